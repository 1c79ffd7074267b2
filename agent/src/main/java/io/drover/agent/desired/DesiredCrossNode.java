package io.drover.agent.desired;

import io.drover.agent.kernel.FdbEntry;
import io.drover.agent.kernel.Neighbour;
import io.drover.agent.kernel.Route;
import io.drover.agent.kernel.Vxlan;
import io.drover.model.net.Cidr;
import java.util.List;
import java.util.Optional;

/**
 * How this node reaches the pods of every other node: routes to their blocks, and in VXLAN mode the device with its
 * static forwarding and neighbour entries. Each entry is about one peer or one block, so a new node or block is a
 * few added entries, never a rewrite.
 *
 * @param vxlan          the VXLAN device, in VXLAN mode
 * @param routes         one route per block of another node, in the node namespace
 * @param neighbours     in VXLAN mode, each peer's underlay address at its VTEP MAC, on the VXLAN device
 * @param fdb            in VXLAN mode, each peer's VTEP MAC at its underlay address
 * @param bridgeSysctls  per bridge: proxy ARP on, so that a pod's ARP for a pod of another node (same subnet, but
 *                       not on this bridge) is answered by the node, which routes it
 * @param podSubnets     every Drover network subnet: a gateway route into one of them is Drover's (see
 *                       {@link #ownsRoute})
 * @param problems       peers this node cannot reach, with why and what to do
 * @param underlayDevice the interface holding the node's underlay address, null when not known
 */
public record DesiredCrossNode(
        CrossNodeMode mode,
        Optional<DesiredVxlan> vxlan,
        List<Route> routes,
        List<Neighbour> neighbours,
        List<FdbEntry> fdb,
        List<BridgeSysctl> bridgeSysctls,
        List<Cidr> podSubnets,
        List<String> problems,
        String underlayDevice) {

    public static final DesiredCrossNode NONE = new DesiredCrossNode(CrossNodeMode.NONE, Optional.empty(), List.of(),
            List.of(), List.of(), List.of(), List.of(), List.of(), null);

    public DesiredCrossNode(CrossNodeMode mode, Optional<DesiredVxlan> vxlan, List<Route> routes,
            List<Neighbour> neighbours, List<FdbEntry> fdb, List<BridgeSysctl> bridgeSysctls, List<Cidr> podSubnets,
            List<String> problems) {
        this(mode, vxlan, routes, neighbours, fdb, bridgeSysctls, podSubnets, problems, null);
    }

    /** The interface packets to other nodes leave through: the VXLAN device, or the underlay; null on a single host. */
    public String peerDevice() {
        return switch (mode) {
            case NONE -> null;
            case VXLAN -> vxlan.map(DesiredVxlan::name).orElse(null);
            case ROUTED -> underlayDevice;
        };
    }

    /** A sysctl of one bridge, set once the bridge exists. */
    public record BridgeSysctl(String bridge, String key, String value) {}

    /** The VXLAN device of the node. */
    public record DesiredVxlan(String name, Vxlan vxlan, int mtu, String mac, String alias) {}

    public DesiredCrossNode {
        routes = List.copyOf(routes);
        neighbours = List.copyOf(neighbours);
        fdb = List.copyOf(fdb);
        bridgeSysctls = List.copyOf(bridgeSysctls);
        podSubnets = List.copyOf(podSubnets);
        problems = List.copyOf(problems);
    }

    /**
     * Whether a route of the node namespace is one Drover made: it goes through a gateway (bridges' connected routes
     * do not) to a prefix inside a Drover network. Nobody else routes pod subnets on a Drover node.
     */
    public boolean ownsRoute(Route route) {
        return route.gateway() != null && route.destination().prefixLength() > 0
                && podSubnets.stream().anyMatch(s -> s.family() == route.destination().family()
                        && s.contains(route.destination()));
    }
}
