package io.drover.agent.reconcile;

import io.drover.agent.kernel.FdbEntry;
import io.drover.agent.kernel.Neighbour;
import io.drover.agent.kernel.Route;
import io.drover.agent.kernel.Vxlan;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the reconciler read of the node's links to other nodes: the node namespace's routes, and the VXLAN device's
 * parameters and static entries when the device exists.
 *
 * @param routes        every route of the node namespace's main table
 * @param vxlan         the parameters of Drover's VXLAN device, when there is one
 * @param neighbours    its permanent neighbour entries
 * @param fdb           its forwarding entries towards remote endpoints
 * @param bridgeSysctls the current value of each wanted per-bridge sysctl of an existing bridge
 */
public record CrossNodeView(List<Route> routes, Optional<Vxlan> vxlan, List<Neighbour> neighbours, List<FdbEntry> fdb,
        Map<String, String> bridgeSysctls) {

    public static final CrossNodeView EMPTY = new CrossNodeView(List.of(), Optional.empty(), List.of(), List.of(), Map.of());

    public CrossNodeView {
        routes = List.copyOf(routes);
        neighbours = List.copyOf(neighbours);
        fdb = List.copyOf(fdb);
        bridgeSysctls = Map.copyOf(bridgeSysctls);
    }
}
