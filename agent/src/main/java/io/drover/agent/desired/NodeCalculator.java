package io.drover.agent.desired;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.Route;
import io.drover.agent.rules.BridgeNetwork;
import io.drover.agent.rules.PortClash;
import io.drover.agent.rules.PublishedPort;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;
import io.drover.model.ipam.Block;
import io.drover.model.network.Network;
import io.drover.model.node.Node;
import io.drover.model.network.NetworkSpec;
import io.drover.model.pod.HostPorts;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus.PodAddress;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes a node's {@link DesiredNode} from the networks and the node's pods: a pure function, the whole of the
 * agent's policy about what the data plane looks like. Network modes, as Docker's:
 * <ul>
 *   <li>bridge: the pod's own namespace with one interface per network (eth0, eth1, ... in the order of
 *       {@code spec.networks}), each a veth pair to the network's bridge; the default routes go through eth0's
 *       network only, so that a pod on several networks has one way out;</li>
 *   <li>none: the pod's own namespace with only its loopback;</li>
 *   <li>host: the node's namespace, nothing to plumb;</li>
 *   <li>container:&lt;pod&gt;: the other pod's namespace, nothing to plumb (its published ports go to the other
 *       pod's addresses).</li>
 * </ul>
 * A bridge-mode pod gets its interfaces once IPAM has written an address for every network it joins; until then
 * it is {@link Waiting} (its namespace, when the agent owns it, is made at once).
 */
public final class NodeCalculator {

    public static final String IPV4_FORWARDING = "net.ipv4.ip_forward";
    public static final String IPV6_FORWARDING = "net.ipv6.conf.all.forwarding";

    private static final Cidr DEFAULT_IPV4 = Cidr.parse("0.0.0.0/0");
    private static final Cidr DEFAULT_IPV6 = Cidr.parse("::/0");
    private static final Path RUN_NETNS = Path.of("/run/netns");

    private NodeCalculator() {}

    /**
     * @param pods pods of this node; others (another {@code spec.node}) are ignored, so passing all pods is safe
     */
    public static DesiredNode compute(String nodeName, Collection<Network> networks, Collection<Pod> pods,
            PodNamespaces namespaces) {
        return compute(nodeName, networks, pods, namespaces, CrossNodeConfig.SINGLE_HOST, List.of(), List.of());
    }

    /**
     * The node's data plane in a cluster: the single-host part, plus routes to every other node's blocks
     * ({@link CrossNodeCalculator}); in VXLAN mode the pods' MTU is lowered by the encapsulation overhead, so that a
     * network's packets cross the underlay whole.
     *
     * @param nodes  every node of the cluster (this one included)
     * @param blocks every claimed block of the cluster
     */
    public static DesiredNode compute(String nodeName, Collection<Network> networks, Collection<Pod> pods,
            PodNamespaces namespaces, CrossNodeConfig crossNode, Collection<Node> nodes, Collection<Block> blocks) {
        return compute(nodeName, networks, pods, namespaces, crossNode, nodes, blocks, new InterfaceMemo());
    }

    /**
     * As above, reusing from {@code memo} the interfaces of every pod that has not changed since the memo's last
     * computation (the agent keeps one memo across its syncs, so that a sync costs per changed pod, not per pod).
     */
    public static DesiredNode compute(String nodeName, Collection<Network> networks, Collection<Pod> pods,
            PodNamespaces namespaces, CrossNodeConfig crossNode, Collection<Node> nodes, Collection<Block> blocks,
            InterfaceMemo memo) {
        int mtuLimit = crossNode.podMtuLimit();
        Map<String, Network> networksByName = new HashMap<>();
        for (Network n : networks) {
            if (n.spec() != null && n.name() != null) {
                networksByName.put(n.name(), n);
            }
        }
        // Sorted by key, each key made once (not once per comparison: this runs on every sync).
        List<Pod> mine = pods.stream()
                .filter(p -> nodeName.equals(p.spec().node()))
                .map(p -> Map.entry(PodKeys.key(p), p))
                .sorted(Map.Entry.comparingByKey())
                .map(Map.Entry::getValue)
                .toList();

        List<DesiredNamespace> ownNamespaces = new ArrayList<>();
        Map<String, List<DesiredInterface>> interfacesByPod = new LinkedHashMap<>();
        List<Waiting> waiting = new ArrayList<>();
        for (Pod pod : mine) {
            String mode = pod.spec().effectiveNetworkMode();
            if (!mode.equals("bridge") && !mode.equals("none")) {
                continue; // host and container:<pod> share a namespace that is not the pod's own
            }
            NetNs netns = namespaces.namespaceOf(pod);
            boolean owned = namespaces.createdByAgent(pod);
            if (owned) {
                ownNamespaces.add(new DesiredNamespace(PodKeys.key(pod), ownedName(pod, netns, namespaces)));
            }
            if (mode.equals("bridge") && !pod.spec().networks().isEmpty()) {
                PodInterfaces result = memo.get(pod, networksByName, namespaces, mtuLimit);
                if (result == null) {
                    try {
                        result = interfacesOf(pod, netns, owned, networksByName, namespaces, mtuLimit);
                    } catch (IllegalArgumentException e) {
                        // Validation keeps such pods out of the store; should one get in, it alone is left out.
                        result = new NotYet("cannot be plumbed: " + e.getMessage());
                    }
                    memo.put(pod, networksByName, namespaces, mtuLimit, result);
                }
                switch (result) {
                    case Plumbed p -> {
                        interfacesByPod.put(PodKeys.key(pod), p.interfaces());
                        if (p.pending() != null) {
                            waiting.add(new Waiting(PodKeys.key(pod), p.pending()));
                        }
                    }
                    case NotYet n -> waiting.add(new Waiting(PodKeys.key(pod), n.reason()));
                }
            }
        }

        memo.retainOnly(mine);
        List<DesiredInterface> interfaces = interfacesByPod.values().stream().flatMap(List::stream).toList();
        Set<String> usedNetworks = new TreeSet<>();
        interfaces.forEach(i -> usedNetworks.add(i.network()));
        List<DesiredBridge> bridges = new ArrayList<>();
        List<BridgeNetwork> ruleNetworks = new ArrayList<>();
        Set<IpFamily> families = EnumSet.noneOf(IpFamily.class);
        for (String name : usedNetworks) {
            Network network = networksByName.get(name);
            bridges.add(bridgeOf(network, mtuLimit));
            ruleNetworks.add(new BridgeNetwork(name, InterfaceNames.bridge(name), network.spec().cidrs(),
                    network.spec().natOutgoingEnabled()));
            network.spec().cidrs().forEach(c -> families.add(c.family()));
        }

        PortClash.Admission ports = PortClash.admit(publishedPorts(mine, interfacesByPod, waiting));
        DesiredCrossNode cross = CrossNodeCalculator.compute(nodeName, crossNode, nodes, blocks, networksByName.values(),
                bridges);
        if (crossNode.mode() != CrossNodeMode.NONE) {
            // A node forwards for other nodes' pods even before it has pods of its own.
            families.add(IpFamily.of(crossNode.underlayAddress()));
        }
        return new DesiredNode(nodeName, namespaces.nodeNamespace(), bridges, ownNamespaces, interfaces,
                sysctls(families), ruleNetworks, ports.admitted(), ports.refused(),
                namespaces.ownedPrefix().orElse(null), waiting, cross);
    }

    /**
     * Each pod's interfaces as last computed, with what they were computed from. The inputs are compared by identity:
     * the agent's mirrors hand out the same object for as long as a pod or network is unchanged, and a changed one
     * is a new object, so identity says "unchanged" exactly and at no cost. Not thread-safe (one sync at a time).
     */
    public static final class InterfaceMemo {

        private record Entry(Pod pod, List<Network> networks, PodNamespaces namespaces, int mtuLimit,
                PodInterfaces result) {

            boolean computedFrom(Pod p, List<Network> n, PodNamespaces ns, int mtu) {
                if (pod != p || namespaces != ns || mtuLimit != mtu || networks.size() != n.size()) {
                    return false;
                }
                for (int i = 0; i < n.size(); i++) {
                    if (networks.get(i) != n.get(i)) {
                        return false;
                    }
                }
                return true;
            }
        }

        private final Map<String, Entry> entries = new HashMap<>();

        PodInterfaces get(Pod pod, Map<String, Network> networks, PodNamespaces namespaces, int mtuLimit) {
            Entry e = entries.get(PodKeys.key(pod));
            return e != null && e.computedFrom(pod, joined(pod, networks), namespaces, mtuLimit) ? e.result() : null;
        }

        void put(Pod pod, Map<String, Network> networks, PodNamespaces namespaces, int mtuLimit, PodInterfaces result) {
            entries.put(PodKeys.key(pod), new Entry(pod, joined(pod, networks), namespaces, mtuLimit, result));
        }

        /** Forgets pods no longer on the node, so that the memo's size follows the node's pods. */
        void retainOnly(List<Pod> pods) {
            if (entries.size() > pods.size()) {
                Set<String> keys = new HashSet<>();
                pods.forEach(p -> keys.add(PodKeys.key(p)));
                entries.keySet().retainAll(keys);
            }
        }

        int size() {
            return entries.size();
        }

        /** The networks the pod joins, in order (null where unknown: a network that appears later is a change). */
        private static List<Network> joined(Pod pod, Map<String, Network> networks) {
            List<Network> out = new ArrayList<>(pod.spec().networks().size());
            pod.spec().networks().forEach(n -> out.add(networks.get(n)));
            return out;
        }
    }

    private sealed interface PodInterfaces permits Plumbed, NotYet {}

    /** @param pending why the interfaces have no addresses yet (plumbed early), or null when they are complete */
    private record Plumbed(List<DesiredInterface> interfaces, String pending) implements PodInterfaces {}

    private record NotYet(String reason) implements PodInterfaces {}

    private static PodInterfaces interfacesOf(Pod pod, NetNs netns, boolean owned, Map<String, Network> networks,
            PodNamespaces namespaces, int mtuLimit) {
        String key = PodKeys.key(pod);
        List<PodAddress> statusAddresses = pod.status() == null ? List.of() : pod.status().addresses();
        List<DesiredInterface> out = new ArrayList<>();
        String pending = null;
        List<String> joined = pod.spec().networks();
        for (int i = 0; i < joined.size(); i++) {
            String networkName = joined.get(i);
            // The status names the attachment by position (eth0, ...); the kernel name may be the runtime's choice.
            String attachment = PodSpec.interfaceName(i);
            String ifname = namespaces.interfaceName(pod, i);
            Network network = networks.get(networkName);
            if (network == null) {
                return new NotYet("network " + networkName + " is not known to the agent yet");
            }
            List<PodAddress> mine = statusAddresses.stream()
                    .filter(a -> attachment.equals(a.interfaceName())
                            || (a.interfaceName() == null && networkName.equals(a.network())))
                    .toList();
            if (mine.isEmpty()) {
                String reason = "no address on network " + networkName + " yet (IPAM has not allocated one)";
                if (!namespaces.plumbedBeforeAddressed(pod)) {
                    return new NotYet(reason);
                }
                pending = reason;
            }
            List<Address> addresses = new ArrayList<>();
            List<Route> routes = new ArrayList<>();
            Set<IpFamily> routed = EnumSet.noneOf(IpFamily.class);
            for (PodAddress a : mine) {
                InetAddress ip;
                try {
                    ip = IpAddresses.parse(a.ip());
                } catch (IllegalArgumentException e) {
                    return new NotYet("its status has a bad address on " + networkName + ": " + e.getMessage());
                }
                IpFamily family = IpFamily.of(ip);
                NetworkSpec spec = network.spec();
                Optional<Cidr> subnet = spec.subnet(family);
                Integer prefix = a.prefix() != null ? a.prefix() : subnet.map(Cidr::prefixLength).orElse(null);
                if (prefix == null || prefix < 0 || prefix > family.bits()) {
                    return new NotYet("address " + a.ip() + " has no valid prefix length and network " + networkName
                            + " has no " + family + " subnet");
                }
                addresses.add(new Address(ip, prefix));
                // Only the first interface gets default routes (routesDefault): a pod on several networks leaves
                // through its first one.
                if (namespaces.routesDefault(pod, i) && routed.add(family)) {
                    Optional<InetAddress> gateway = a.gateway() != null && !a.gateway().isEmpty()
                            ? Optional.of(IpAddresses.parse(a.gateway()))
                            : spec.gateway(family);
                    gateway.ifPresent(g -> routes.add(new Route(family == IpFamily.IPV4 ? DEFAULT_IPV4 : DEFAULT_IPV6,
                            g, ifname, false)));
                }
            }
            out.add(new DesiredInterface(key, netns, owned, ifname, InterfaceNames.hostVeth(PodKeys.identity(pod), ifname),
                    networkName, InterfaceNames.bridge(networkName), Math.min(network.spec().effectiveMtu(), mtuLimit),
                    addresses, routes,
                    Ownership.podInterfaceAlias(key, ifname), InterfaceNames.podMac(PodKeys.identity(pod), ifname)));
        }
        return new Plumbed(out, pending);
    }

    private static DesiredBridge bridgeOf(Network network, int mtuLimit) {
        NetworkSpec spec = network.spec();
        List<Address> gateways = new ArrayList<>();
        for (Cidr subnet : spec.cidrs()) {
            spec.gateway(subnet.family()).ifPresent(g -> gateways.add(new Address(g, subnet.prefixLength())));
        }
        return new DesiredBridge(network.name(), InterfaceNames.bridge(network.name()),
                Math.min(spec.effectiveMtu(), mtuLimit), gateways,
                Ownership.bridgeAlias(network.name()), InterfaceNames.bridgeMac(network.name()));
    }

    /**
     * Forwarding only for the families in use: turning on IPv6 forwarding makes the node ignore router
     * advertisements on its own interfaces, which must not happen to a node whose pods never use IPv6. The agent
     * never turns forwarding off again: it does not know who else needs it.
     */
    private static Map<String, String> sysctls(Set<IpFamily> families) {
        Map<String, String> out = new TreeMap<>();
        if (families.contains(IpFamily.IPV4)) {
            out.put(IPV4_FORWARDING, "1");
        }
        if (families.contains(IpFamily.IPV6)) {
            out.put(IPV6_FORWARDING, "1");
        }
        return out;
    }

    /**
     * A published port goes to the pod's eth0 address of each family ({@code hostIP} narrows it to one family):
     * a declared {@code hostPort}, or with {@code publishAllPorts} the host port the controller assigned in
     * {@code status.publishedPorts} (the same rules either way; an automatic port waits for its assignment).
     * A pod in container:&lt;other&gt; mode publishes to the other pod's addresses, the namespace it lives in.
     * Oldest pods first: when two pods publish the same host port, the one that had it keeps it (as a second
     * {@code docker run -p} with a taken port fails, not the first).
     */
    private static List<PublishedPort> publishedPorts(List<Pod> pods, Map<String, List<DesiredInterface>> interfacesByPod,
            List<Waiting> problems) {
        List<PublishedPort> out = new ArrayList<>();
        // Only pods that publish are sorted: on most nodes that is none of them, and this runs on every sync.
        Map<Pod, List<PodPort>> publishing = new java.util.IdentityHashMap<>();
        for (Pod pod : pods) {
            List<PodPort> ports = HostPorts.ports(pod);
            if (!ports.isEmpty()) {
                publishing.put(pod, ports);
            }
        }
        List<Pod> oldestFirst = publishing.keySet().stream()
                .sorted(Comparator.comparing(NodeCalculator::createdAt).thenComparing(PodKeys::key))
                .toList();
        for (Pod pod : oldestFirst) {
            String mode = pod.spec().effectiveNetworkMode();
            String target = mode.startsWith("container:")
                    ? PodKeys.namespace(pod) + "/" + mode.substring("container:".length())
                    : PodKeys.key(pod);
            List<DesiredInterface> interfaces = interfacesByPod.getOrDefault(target, List.of());
            if (interfaces.isEmpty()) {
                continue;
            }
            for (PodPort port : publishing.get(pod)) {
                try {
                    String hostIp = port.hostIP() == null || port.hostIP().isEmpty() ? null
                            : IpAddresses.format(IpAddresses.parse(port.hostIP()));
                    Set<IpFamily> done = EnumSet.noneOf(IpFamily.class);
                    for (Address a : interfaces.getFirst().addresses()) {
                        IpFamily family = IpFamily.of(a.ip());
                        if (hostIp != null && IpFamily.of(IpAddresses.parse(hostIp)) != family || !done.add(family)) {
                            continue;
                        }
                        out.add(new PublishedPort(hostIp, port.hostPort(), port.effectiveProtocol(), a.ip(), port.port(),
                                PodKeys.key(pod)));
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(new Waiting(PodKeys.key(pod), "port " + port.hostPort() + " cannot be published: "
                            + e.getMessage()));
                }
            }
        }
        return out;
    }

    /** ISO-8601 UTC timestamps of one format sort as text; a pod without one (not from the store) sorts last. */
    private static String createdAt(Pod pod) {
        String t = pod.metadata() == null ? null : pod.metadata().creationTimestamp();
        return t == null ? "~" : t;
    }

    private static String ownedName(Pod pod, NetNs netns, PodNamespaces namespaces) {
        Path path = netns.path();
        String name = path.getFileName().toString();
        String prefix = namespaces.ownedPrefix().orElse(null);
        if (!RUN_NETNS.equals(path.getParent()) || prefix == null || !name.startsWith(prefix)) {
            throw new IllegalStateException("namespace " + netns + " of pod " + PodKeys.key(pod) + " is to be created by "
                    + "the agent, so it must be /run/netns/" + (prefix == null ? "<owned prefix>" : prefix) + "...");
        }
        return name;
    }
}
