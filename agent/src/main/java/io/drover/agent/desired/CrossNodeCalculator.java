package io.drover.agent.desired;

import io.drover.agent.desired.DesiredCrossNode.BridgeSysctl;
import io.drover.agent.desired.DesiredCrossNode.DesiredVxlan;
import io.drover.agent.kernel.FdbEntry;
import io.drover.agent.kernel.Neighbour;
import io.drover.agent.kernel.Route;
import io.drover.agent.kernel.Vxlan;
import io.drover.model.ipam.Block;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;
import io.drover.model.network.Network;
import io.drover.model.node.Node;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Computes {@link DesiredCrossNode} from the cluster's nodes and blocks: pure, so every routing decision is tested
 * without a kernel. A block is routed to the node that claimed it, through that node's underlay address.
 */
public final class CrossNodeCalculator {

    static final String VXLAN_ALIAS = "drover:vxlan";

    private CrossNodeCalculator() {}

    public static DesiredCrossNode compute(String nodeName, CrossNodeConfig config, Collection<Node> nodes,
            Collection<Block> blocks, Collection<Network> networks, Collection<DesiredBridge> bridges) {
        if (config.mode() == CrossNodeMode.NONE) {
            return DesiredCrossNode.NONE;
        }
        IpFamily underlayFamily = IpFamily.of(config.underlayAddress());
        Map<String, InetAddress> peers = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Node node : nodes) {
            if (node.name() == null || node.name().equals(nodeName)) {
                continue;
            }
            String address = node.spec() == null ? null : node.spec().address();
            if (address == null || !IpAddresses.isValid(address)) {
                problems.add("node " + node.name() + " has no underlay address (spec.address), so its pods cannot be"
                        + " reached from here; its agent registers one when it starts");
                continue;
            }
            InetAddress peer = IpAddresses.parse(address);
            if (IpFamily.of(peer) != underlayFamily) {
                problems.add("node " + node.name() + " has underlay address " + address + ", not of this node's family ("
                        + config.underlayAddress().getHostAddress() + "): give every node an underlay address of one family");
                continue;
            }
            if (config.mode() == CrossNodeMode.ROUTED && !config.underlaySubnet().contains(peer)) {
                problems.add("node " + node.name() + " (" + address + ") is not on this node's L2 segment ("
                        + config.underlaySubnet() + "): routed mode sends pod packets straight to the peer's underlay"
                        + " address, which needs both on one segment; put the nodes on one segment or use vxlan mode");
                continue;
            }
            peers.put(node.name(), peer);
        }

        List<Route> routes = new ArrayList<>();
        List<String> unroutedFamilies = new ArrayList<>();
        for (Block block : sorted(blocks)) {
            String owner = block.spec().node();
            if (owner == null || owner.equals(nodeName) || block.spec().cidr() == null) {
                continue;
            }
            InetAddress peer = peers.get(owner);
            if (peer == null) {
                continue; // a node that is not known (yet) or not reachable: reported above
            }
            Cidr cidr = Cidr.parse(block.spec().cidr());
            if (cidr.family() != underlayFamily) {
                // A route for one family cannot have a next hop of the other: such blocks stay on their node.
                if (!unroutedFamilies.contains(label(cidr.family()))) {
                    unroutedFamilies.add(label(cidr.family()));
                }
                continue;
            }
            routes.add(switch (config.mode()) {
                case ROUTED -> new Route(cidr, peer, null, false);
                case VXLAN -> new Route(cidr, peer, CrossNodeConfig.VXLAN_DEVICE, true);
                case NONE -> throw new IllegalStateException("unreachable");
            });
        }
        for (String family : unroutedFamilies) {
            problems.add(family + " blocks of other nodes are not routed: the underlay is "
                    + label(underlayFamily) + " and a route's next hop must be of its own family; pods reach pods of"
                    + " other nodes over " + label(underlayFamily) + " only");
        }

        Optional<DesiredVxlan> vxlan = Optional.empty();
        List<Neighbour> neighbours = new ArrayList<>();
        List<FdbEntry> fdb = new ArrayList<>();
        if (config.mode() == CrossNodeMode.VXLAN) {
            vxlan = Optional.of(new DesiredVxlan(CrossNodeConfig.VXLAN_DEVICE,
                    new Vxlan(config.vni(), config.underlayAddress(), Vxlan.IANA_PORT, false),
                    config.podMtuLimit(), CrossNodeConfig.vtepMac(config.underlayAddress()), VXLAN_ALIAS));
            for (InetAddress peer : peers.values()) {
                String mac = CrossNodeConfig.vtepMac(peer);
                neighbours.add(new Neighbour(CrossNodeConfig.VXLAN_DEVICE, peer, mac));
                fdb.add(new FdbEntry(CrossNodeConfig.VXLAN_DEVICE, mac, peer));
            }
        }

        List<BridgeSysctl> sysctls = new ArrayList<>();
        for (DesiredBridge bridge : bridges) {
            sysctls.add(new BridgeSysctl(bridge.name(), "net.ipv4.conf." + bridge.name() + ".proxy_arp", "1"));
            // Answer at once: the kernel otherwise delays proxied ARP replies by up to 0.8 s.
            sysctls.add(new BridgeSysctl(bridge.name(), "net.ipv4.neigh." + bridge.name() + ".proxy_delay", "0"));
        }

        List<Cidr> subnets = new ArrayList<>();
        for (Network network : networks) {
            if (network.spec() != null) {
                network.spec().cidrs().forEach(subnets::add);
            }
        }
        return new DesiredCrossNode(config.mode(), vxlan, routes, neighbours, fdb, sysctls, subnets, problems,
                config.underlayDevice());
    }

    private static String label(IpFamily family) {
        return family == IpFamily.IPV4 ? "IPv4" : "IPv6";
    }

    private static List<Block> sorted(Collection<Block> blocks) {
        return blocks.stream().filter(b -> b.spec() != null && b.name() != null)
                .sorted(Comparator.comparing(Block::name)).toList();
    }
}
