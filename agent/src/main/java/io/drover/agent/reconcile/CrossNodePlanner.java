package io.drover.agent.reconcile;

import io.drover.agent.desired.CrossNodeConfig;
import io.drover.agent.desired.DesiredCrossNode;
import io.drover.agent.desired.DesiredCrossNode.DesiredVxlan;
import io.drover.agent.desired.DesiredNode;
import io.drover.agent.kernel.FdbEntry;
import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.Neighbour;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.Route;
import io.drover.agent.reconcile.KernelChange.AddFdb;
import io.drover.agent.reconcile.KernelChange.AddRoute;
import io.drover.agent.reconcile.KernelChange.CreateVxlan;
import io.drover.agent.reconcile.KernelChange.DeleteFdb;
import io.drover.agent.reconcile.KernelChange.DeleteLink;
import io.drover.agent.reconcile.KernelChange.DeleteNeighbour;
import io.drover.agent.reconcile.KernelChange.DeleteRoute;
import io.drover.agent.reconcile.KernelChange.SetMtu;
import io.drover.agent.reconcile.KernelChange.SetNeighbour;
import io.drover.agent.reconcile.KernelChange.SetSysctl;
import io.drover.agent.reconcile.KernelChange.SetUp;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The part of the plan that connects the node to the other nodes: the VXLAN device, one task per peer for its
 * forwarding and neighbour entries, one task per remote block for its route, proxy ARP on the bridges. Each peer and
 * each block is its own task, so a new node or block is a few added entries, and a peer that cannot be reached fails
 * alone. Pure, like {@link Planner}.
 */
final class CrossNodePlanner {

    static final String VXLAN = "vxlan device " + CrossNodeConfig.VXLAN_DEVICE;

    private CrossNodePlanner() {}

    static List<Task> plan(DesiredNode desired, Observed observed) {
        NetNs ns = desired.nodeNamespace();
        DesiredCrossNode wanted = desired.crossNode();
        CrossNodeView seen = observed.crossNode();
        List<Task> tasks = new ArrayList<>();

        Link device = observed.node().link(CrossNodeConfig.VXLAN_DEVICE);
        boolean fresh = false; // the device is (re)made in this plan: it has no entries yet
        if (wanted.vxlan().isPresent()) {
            DesiredVxlan v = wanted.vxlan().get();
            if (device != null && !device.ownedByDrover()) {
                tasks.add(Task.blocked(VXLAN, "interface " + v.name() + " exists and was not made by Drover; remove or"
                        + " rename it so that this node can reach the pods of other nodes"));
                return tasks;
            }
            List<KernelChange> changes = new ArrayList<>();
            if (device != null && (!"vxlan".equals(device.kind()) || !seen.vxlan().equals(java.util.Optional.of(v.vxlan()))
                    || !v.mac().equals(device.mac()) || !v.alias().equals(device.alias()))) {
                changes.add(new DeleteLink(ns, v.name()));
                device = null;
            }
            if (device == null) {
                fresh = true;
                changes.add(new CreateVxlan(ns, v.name(), v.vxlan(), v.mtu(), v.mac(), v.alias()));
                changes.add(new SetUp(ns, v.name(), true));
            } else {
                if (device.mtu() != v.mtu()) {
                    changes.add(new SetMtu(ns, v.name(), v.mtu()));
                }
                if (!device.up()) {
                    changes.add(new SetUp(ns, v.name(), true));
                }
            }
            tasks.add(Task.of(VXLAN, List.of(), changes));
            List<String> needsDevice = List.of(VXLAN);

            List<FdbEntry> fdbSeen = fresh ? List.of() : seen.fdb();
            List<Neighbour> neighboursSeen = fresh ? List.of() : seen.neighbours();
            for (FdbEntry e : wanted.fdb()) {
                List<KernelChange> peer = new ArrayList<>();
                // One MAC, one destination: an entry towards an old address of the peer goes first.
                fdbSeen.stream().filter(s -> s.mac().equals(e.mac()) && !s.equals(e))
                        .forEach(s -> peer.add(new DeleteFdb(ns, s)));
                if (!fdbSeen.contains(e)) {
                    peer.add(new AddFdb(ns, e));
                }
                Neighbour n = wanted.neighbours().stream().filter(x -> x.address().equals(e.destination()))
                        .findFirst().orElse(null);
                if (n != null && !neighboursSeen.contains(n)) {
                    peer.add(new SetNeighbour(ns, n));
                }
                tasks.add(Task.of(peerObject(e), needsDevice, peer));
            }
            List<KernelChange> stale = new ArrayList<>();
            for (FdbEntry s : fdbSeen) {
                if (!wanted.fdb().contains(s) && wanted.fdb().stream().noneMatch(e -> e.mac().equals(s.mac()))) {
                    stale.add(new DeleteFdb(ns, s));
                }
            }
            for (Neighbour s : neighboursSeen) {
                if (wanted.neighbours().stream().noneMatch(n -> n.address().equals(s.address()))) {
                    stale.add(new DeleteNeighbour(ns, s));
                }
            }
            if (!stale.isEmpty()) {
                tasks.add(Task.of("stale vxlan peers", needsDevice, stale));
            }
        } else if (device != null && device.ownedByDrover() && "vxlan".equals(device.kind())) {
            // Another mode now: the device goes, and with it its routes, neighbours and forwarding entries.
            tasks.add(Task.of("stale " + VXLAN, List.of(), List.of(new DeleteLink(ns, device.name()))));
            fresh = true;
        }

        boolean deviceRemade = fresh;
        List<Route> routesSeen = seen.routes().stream()
                .filter(r -> !(deviceRemade && CrossNodeConfig.VXLAN_DEVICE.equals(r.device())))
                .toList();
        for (Route r : wanted.routes()) {
            List<KernelChange> changes = new ArrayList<>();
            boolean present = false;
            for (Route s : routesSeen) {
                if (!s.destination().equals(r.destination())) {
                    continue;
                }
                if (same(r, s)) {
                    present = true;
                } else if (wanted.ownsRoute(s)) {
                    changes.add(new DeleteRoute(ns, s)); // one destination, one route: the wrong one first
                }
            }
            if (!present) {
                changes.add(new AddRoute(ns, r));
            }
            List<String> needs = r.device() != null && r.device().equals(CrossNodeConfig.VXLAN_DEVICE)
                    ? List.of(VXLAN) : List.of();
            tasks.add(Task.of(routeObject(r), needs, changes));
        }
        List<KernelChange> staleRoutes = new ArrayList<>();
        for (Route s : routesSeen) {
            if (wanted.ownsRoute(s) && wanted.routes().stream().noneMatch(r -> r.destination().equals(s.destination()))) {
                staleRoutes.add(new DeleteRoute(ns, s));
            }
        }
        if (!staleRoutes.isEmpty()) {
            tasks.add(Task.of("stale routes to other nodes", List.of(), staleRoutes));
        }

        for (DesiredCrossNode.BridgeSysctl s : wanted.bridgeSysctls()) {
            if (!s.value().equals(seen.bridgeSysctls().get(s.key()))) {
                tasks.add(Task.of(Planner.sysctlObject(s.key()), List.of(Planner.bridgeObject(s.bridge())),
                        List.of(new SetSysctl(ns, s.key(), s.value()))));
            }
        }
        return tasks;
    }

    static String peerObject(FdbEntry entry) {
        return "vxlan peer " + entry.destination().getHostAddress();
    }

    static String routeObject(Route route) {
        return "route " + route.destination() + " via " + route.gateway().getHostAddress();
    }

    /** A route the kernel chose the device of (routed mode) matches whatever device it chose. */
    private static boolean same(Route wanted, Route seen) {
        return Objects.equals(wanted.gateway(), seen.gateway())
                && (wanted.device() == null || wanted.device().equals(seen.device()) && wanted.onLink() == seen.onLink());
    }
}
