package io.drover.lab.runtime;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.NetNs;
import io.drover.model.net.Cidr;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan of a lab's underlay, computed from the lab name, the node count and the underlay subnet alone (pure):
 * the fabric namespace holds bridge {@code underlay} with the fabric's own address (the subnet's last host, e.g.
 * 172.31.0.254/24: where lab-wide services such as the API server can listen); node-N's namespace has uplink
 * {@code eth0} with the N-th host address (172.31.0.N/24), the peer of veth {@code node-N} on the bridge.
 *
 * @param fabric the fabric namespace
 */
public record FabricLayout(
        String lab, Cidr underlay, FabricLayout.Namespace fabric, String bridge, Address fabricAddress, List<Node> nodes) {

    public static final Cidr DEFAULT_UNDERLAY = Cidr.parse("172.31.0.0/24");
    public static final String BRIDGE = "underlay";
    /** A lab node's uplink has the name a real node's first NIC usually has. */
    public static final String UPLINK = "eth0";
    public static final int MTU = 1500;

    /** A namespace by its name under /run/netns. */
    public record Namespace(String name) {
        public NetNs netns() {
            return NetNs.named(name);
        }
    }

    /**
     * @param name       the node's name (node-N), as the lab registers it
     * @param namespace  its namespace
     * @param fabricPort the veth end on the fabric bridge
     * @param uplink     the veth end inside the node
     * @param address    the uplink's underlay address
     */
    public record Node(String name, Namespace namespace, String fabricPort, String uplink, Address address) {}

    public FabricLayout {
        nodes = List.copyOf(nodes);
    }

    public static FabricLayout plan(String lab, int nodeCount) {
        return plan(lab, nodeCount, DEFAULT_UNDERLAY);
    }

    public static FabricLayout plan(String lab, int nodeCount, Cidr underlay) {
        LabNames names = LabNames.of(lab);
        if (nodeCount < 1 || nodeCount > LabNames.MAX_NODES) {
            throw new IllegalArgumentException("a lab has 1 to " + LabNames.MAX_NODES + " nodes, not " + nodeCount);
        }
        if (underlay.family() != io.drover.model.net.IpFamily.IPV4) {
            throw new IllegalArgumentException("the lab underlay is an IPv4 subnet, not " + underlay);
        }
        // Hosts 1..N for nodes, the last host for the fabric; the network and broadcast addresses stay unused.
        BigInteger needed = BigInteger.valueOf(nodeCount + 3L);
        if (underlay.size().compareTo(needed) < 0) {
            throw new IllegalArgumentException("underlay " + underlay + " is too small for " + nodeCount
                    + " nodes; use a larger subnet, e.g. " + DEFAULT_UNDERLAY);
        }
        int prefix = underlay.prefixLength();
        Address fabricAddress = new Address(underlay.address(underlay.size().subtract(BigInteger.TWO)), prefix);
        List<Node> nodes = new ArrayList<>();
        for (int n = 1; n <= nodeCount; n++) {
            nodes.add(new Node(LabNames.nodeName(n), new Namespace(names.nodeNamespace(n)), LabNames.nodeName(n),
                    UPLINK, new Address(underlay.address(BigInteger.valueOf(n)), prefix)));
        }
        return new FabricLayout(lab, underlay, new Namespace(names.fabricNamespace()), BRIDGE, fabricAddress, nodes);
    }

    /** Every namespace of the plan, fabric first. */
    public List<String> namespaces() {
        List<String> all = new ArrayList<>();
        all.add(fabric.name());
        nodes.forEach(n -> all.add(n.namespace().name()));
        return all;
    }

    public Node node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("lab " + lab + " has no node " + name));
    }
}
