package io.drover.agent.reconcile;

import io.drover.agent.desired.DesiredBridge;
import io.drover.agent.desired.DesiredInterface;
import io.drover.agent.desired.DesiredNamespace;
import io.drover.agent.desired.DesiredNode;
import io.drover.agent.desired.Ownership;
import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.Route;
import io.drover.agent.reconcile.KernelChange.AddAddress;
import io.drover.agent.reconcile.KernelChange.AddRoute;
import io.drover.agent.reconcile.KernelChange.CreateBridge;
import io.drover.agent.reconcile.KernelChange.CreateNamespace;
import io.drover.agent.reconcile.KernelChange.CreateVethPair;
import io.drover.agent.reconcile.KernelChange.DeleteAddress;
import io.drover.agent.reconcile.KernelChange.DeleteLink;
import io.drover.agent.reconcile.KernelChange.DeleteNamespace;
import io.drover.agent.reconcile.KernelChange.DeleteRoute;
import io.drover.agent.reconcile.KernelChange.AwaitRunning;
import io.drover.agent.reconcile.KernelChange.PinMac;
import io.drover.agent.reconcile.KernelChange.SetHairpin;
import io.drover.agent.reconcile.KernelChange.SetMac;
import io.drover.agent.reconcile.KernelChange.SetMaster;
import io.drover.agent.reconcile.KernelChange.SetMtu;
import io.drover.agent.reconcile.KernelChange.SetSysctl;
import io.drover.agent.reconcile.KernelChange.SetUp;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The difference between a desired node and the kernel as read, as an ordered {@link Plan}: pure, so every
 * decision about what to change is tested without a kernel.
 *
 * <p>Order: sysctls, pod namespaces, bridges (each with its fixed MAC), the rules, pod interfaces (each: veth, master,
 * hairpin, the pod's MAC pinned to its port, up, both ends able to send, addresses, routes), the links to other nodes
 * ({@link CrossNodePlanner}), then the removals. Creating before removing keeps traffic flowing: a changed address is
 * added before the old one goes, and nothing that stays is touched while something that leaves is taken away.
 *
 * <p>Ownership: the agent only changes links it made (see {@link Ownership}) and, inside a namespace it created,
 * everything. A foreign link holding a name the agent needs is reported, never removed. IPv6 link-local addresses
 * are the kernel's own and are never counted as drift.
 */
public final class Planner {

    /**
     * The rules as the reconciler found them: already in the kernel ({@code change} null), or the change that
     * programs them.
     */
    public record Rules(KernelChange.ApplyNftables change) {
        public static final Rules CURRENT = new Rules(null);
    }

    static final String LOOPBACK = "lo";

    private Planner() {}

    public static Plan plan(DesiredNode desired, Observed observed, Rules rules) {
        NetNs nodeNs = desired.nodeNamespace();
        List<Task> tasks = new ArrayList<>();

        desired.sysctls().forEach((key, value) -> {
            String problem = observed.unreadableSysctls().get(key);
            if (problem != null) {
                tasks.add(Task.blocked(sysctlObject(key), "cannot read " + key + ": " + problem));
            } else if (!value.equals(observed.sysctls().get(key))) {
                tasks.add(Task.of(sysctlObject(key), List.of(), List.of(new SetSysctl(nodeNs, key, value))));
            }
        });

        for (DesiredNamespace n : desired.namespaces()) {
            tasks.add(namespaceTask(n, observed));
        }

        Set<String> recreatedBridges = new HashSet<>();
        for (DesiredBridge b : desired.bridges()) {
            tasks.add(bridgeTask(nodeNs, b, observed.node(), recreatedBridges));
        }

        // The rules before any pod interface: a new pod's policy is in the kernel before its interface exists, so it
        // never sends or receives a packet unprotected; should the rules fail, its interface waits for them.
        boolean rulesChange = rules.change() != null;
        if (rulesChange) {
            tasks.add(Task.of(RULES, List.of(), List.of(rules.change())));
        }

        Set<String> ownedNames = new HashSet<>();
        desired.namespaces().forEach(n -> ownedNames.add(n.name()));
        for (DesiredInterface i : desired.interfaces()) {
            tasks.add(interfaceTask(nodeNs, i, observed, ownedNames, recreatedBridges, rulesChange));
        }

        tasks.addAll(CrossNodePlanner.plan(desired, observed));

        tasks.addAll(removals(desired, observed));
        return new Plan(tasks);
    }

    static final String RULES = "nftables table inet drover";

    static String sysctlObject(String key) {
        return "sysctl " + key;
    }

    static String namespaceObject(String name) {
        return "netns " + name;
    }

    static String bridgeObject(String name) {
        return "bridge " + name;
    }

    static String interfaceObject(DesiredInterface i) {
        return "pod " + i.pod() + " " + i.name();
    }

    /** A namespace the agent owns: created with its loopback up (the whole network of a pod in none mode). */
    private static Task namespaceTask(DesiredNamespace n, Observed observed) {
        String object = namespaceObject(n.name());
        String problem = observed.unreadable().get(n.netns());
        if (problem != null) {
            return Task.blocked(object, problem);
        }
        NamespaceView view = observed.pod(n.netns()).orElse(NamespaceView.ABSENT);
        List<KernelChange> changes = new ArrayList<>();
        if (!view.exists()) {
            changes.add(new CreateNamespace(n.name()));
        }
        Link lo = view.link(LOOPBACK);
        if (lo == null || !lo.up()) {
            changes.add(new SetUp(n.netns(), LOOPBACK, true));
        }
        return Task.of(object, List.of(), changes);
    }

    private static Task bridgeTask(NetNs ns, DesiredBridge b, NamespaceView node, Set<String> recreated) {
        String object = bridgeObject(b.name());
        Link link = node.link(b.name());
        if (link != null && !link.ownedByDrover()) {
            return Task.blocked(object, "interface " + b.name() + " exists and was not made by Drover (alias "
                    + (link.alias() == null ? "none" : "'" + link.alias() + "'") + "); remove or rename it so that "
                    + (b.network() == null ? "the node can answer for its load-balancer addresses"
                            : "network " + b.network() + " can have its bridge"));
        }
        List<KernelChange> changes = new ArrayList<>();
        if (link != null && (!"bridge".equals(link.kind()) || !b.alias().equals(link.alias()))) {
            changes.add(new DeleteLink(ns, b.name()));
            recreated.add(b.name());
            link = null;
        }
        if (link == null) {
            changes.add(new CreateBridge(ns, b.name(), b.mtu(), b.alias()));
            if (b.mac() != null) {
                changes.add(new SetMac(ns, b.name(), b.mac()));
            }
            changes.add(new SetUp(ns, b.name(), true));
            b.addresses().forEach(a -> changes.add(new AddAddress(ns, b.name(), a)));
            return Task.of(object, List.of(), changes);
        }
        if (link.mtu() != b.mtu()) {
            changes.add(new SetMtu(ns, b.name(), b.mtu()));
        }
        if (b.mac() != null && !b.mac().equalsIgnoreCase(link.mac())) {
            // A bridge made before its MAC was fixed, or changed by hand; once set, the kernel keeps it.
            changes.add(new SetMac(ns, b.name(), b.mac()));
        }
        if (!link.up()) {
            changes.add(new SetUp(ns, b.name(), true));
        }
        addressChanges(ns, b.name(), b.addresses(), node.addressesOf(b.name()), changes);
        return Task.of(object, List.of(), changes);
    }

    private static Task interfaceTask(NetNs nodeNs, DesiredInterface i, Observed observed, Set<String> ownedNames,
            Set<String> recreatedBridges, boolean rulesChange) {
        String object = interfaceObject(i);
        List<String> needs = new ArrayList<>();
        needs.add(bridgeObject(i.bridge()));
        if (rulesChange) {
            needs.add(RULES);
        }
        String podNsName = i.netns().path().getFileName().toString();
        boolean owned = i.podNamespaceOwned() && ownedNames.contains(podNsName);
        if (owned) {
            needs.add(namespaceObject(podNsName));
        }
        String problem = observed.unreadable().get(i.netns());
        if (problem != null) {
            return new Task(object, needs, List.of(), problem);
        }
        NamespaceView podView = observed.pod(i.netns()).orElse(NamespaceView.ABSENT);
        Link host = observed.node().link(i.hostName());
        Link pod = podView.link(i.name());
        if (host != null && !Ownership.isPodInterfaceAlias(host.alias())) {
            return new Task(object, needs, List.of(), "interface " + i.hostName() + " exists and was not made by Drover");
        }

        List<KernelChange> changes = new ArrayList<>();
        // The node end without its pod end (the pod's namespace was made again) or made for something else: the
        // pair is of no use, make it again.
        if (host != null && (pod == null || !"veth".equals(host.kind()) || !i.alias().equals(host.alias()))) {
            changes.add(new DeleteLink(nodeNs, i.hostName()));
            host = null;
        }
        if (host == null) {
            if (pod != null) {
                if (!owned) {
                    return new Task(object, needs, List.of(), "interface " + i.name() + " already exists in namespace "
                            + i.netns() + " and is not Drover's; the runtime that made the namespace must remove it");
                }
                // In a namespace the agent made, an interface without our node end is a leftover of ours.
                changes.add(new DeleteLink(i.netns(), i.name()));
            }
            changes.add(new CreateVethPair(nodeNs, i.hostName(), i.alias(), i.netns(), i.name(), i.mtu()));
            changes.add(new SetMaster(nodeNs, i.hostName(), i.bridge()));
            changes.add(new SetHairpin(nodeNs, i.hostName(), true));
            changes.add(new PinMac(nodeNs, i.hostName(), i.mac()));
            changes.add(new SetUp(nodeNs, i.hostName(), true));
            // Before the pod end comes up, so that its first frame (and its IPv6 link-local address) has it.
            changes.add(new SetMac(i.netns(), i.name(), i.mac()));
            changes.add(new SetUp(i.netns(), i.name(), true));
            // Both ends: the pod's first ARP request leaves through one, the node's answer through the other.
            changes.add(new AwaitRunning(nodeNs, i.hostName()));
            changes.add(new AwaitRunning(i.netns(), i.name()));
            i.addresses().forEach(a -> changes.add(new AddAddress(i.netns(), i.name(), a)));
            i.routes().forEach(r -> changes.add(new AddRoute(i.netns(), r)));
            return Task.of(object, needs, changes);
        }

        if (host.mtu() != i.mtu()) {
            changes.add(new SetMtu(nodeNs, i.hostName(), i.mtu()));
        }
        if (pod.mtu() != i.mtu()) {
            changes.add(new SetMtu(i.netns(), i.name(), i.mtu()));
        }
        if (pod.mac() == null || !pod.mac().equalsIgnoreCase(i.mac())) {
            // An interface made before spoofguard, or changed by hand: spoofguard lets only this MAC out.
            changes.add(new SetMac(i.netns(), i.name(), i.mac()));
        }
        String master = recreatedBridges.contains(i.bridge()) ? null : host.master();
        if (!i.bridge().equals(master)) {
            // A port that joins a bridge starts with hairpin off and nothing pinned.
            changes.add(new SetMaster(nodeNs, i.hostName(), i.bridge()));
            changes.add(new SetHairpin(nodeNs, i.hostName(), true));
            changes.add(new PinMac(nodeNs, i.hostName(), i.mac()));
        }
        if (!host.up()) {
            changes.add(new SetUp(nodeNs, i.hostName(), true));
        }
        if (!pod.up()) {
            changes.add(new SetUp(i.netns(), i.name(), true));
            changes.add(new AwaitRunning(i.netns(), i.name()));
        }
        addressChanges(i.netns(), i.name(), i.addresses(), podView.addressesOf(i.name()), changes);
        routeChanges(i, podView.routes(), changes);
        return Task.of(object, needs, changes);
    }

    /** Adds what is missing, then removes what is not wanted: an address that changes is never absent. */
    private static void addressChanges(NetNs ns, String link, List<Address> desired, List<Address> actual,
            List<KernelChange> changes) {
        for (Address a : desired) {
            if (!actual.contains(a)) {
                changes.add(new AddAddress(ns, link, a));
            }
        }
        for (Address a : actual) {
            if (!desired.contains(a) && !kernelOwned(a)) {
                changes.add(new DeleteAddress(ns, link, a));
            }
        }
    }

    /**
     * Default routes through the pod interface: one destination holds one route, so a wrong one goes before the
     * right one is added. Other routes (the kernel's connected ones) are not the agent's.
     */
    private static void routeChanges(DesiredInterface i, List<Route> actual, List<KernelChange> changes) {
        List<Route> present = actual.stream()
                .filter(r -> r.destination().prefixLength() == 0 && i.name().equals(r.device()))
                .toList();
        for (Route r : present) {
            if (i.routes().stream().noneMatch(d -> same(d, r))) {
                changes.add(new DeleteRoute(i.netns(), r));
            }
        }
        for (Route d : i.routes()) {
            if (present.stream().noneMatch(r -> same(d, r))) {
                changes.add(new AddRoute(i.netns(), d));
            }
        }
    }

    private static boolean same(Route desired, Route actual) {
        return desired.destination().equals(actual.destination())
                && Objects.equals(desired.gateway(), actual.gateway())
                && Objects.equals(desired.device(), actual.device());
    }

    /** IPv6 link-local addresses come and go with the link; they are the kernel's, not drift. */
    private static boolean kernelOwned(Address a) {
        return a.ip() instanceof Inet6Address && a.ip().isLinkLocalAddress();
    }

    /**
     * What the agent made and no longer wants: node ends of pod interfaces (their pod ends go with them), the
     * namespaces it owns, then bridges, once nothing of theirs is left.
     */
    private static List<Task> removals(DesiredNode desired, Observed observed) {
        NetNs nodeNs = desired.nodeNamespace();
        Set<String> wantedHostEnds = new HashSet<>();
        desired.interfaces().forEach(i -> wantedHostEnds.add(i.hostName()));
        Set<String> wantedBridges = new HashSet<>();
        desired.bridges().forEach(b -> wantedBridges.add(b.name()));
        Set<String> wantedNamespaces = new HashSet<>();
        desired.namespaces().forEach(n -> wantedNamespaces.add(n.name()));

        // Filtered before sorted: the node has a link per pod and /run/netns a file per container, few of them stale.
        List<Task> tasks = new ArrayList<>();
        Collection<Link> links = observed.node().links().values();
        for (Link l : sortedByName(links.stream().filter(l -> Ownership.isPodInterface(l)
                && !wantedHostEnds.contains(l.name())))) {
            tasks.add(Task.of("stale interface " + l.name() + " (" + l.alias() + ")", List.of(),
                    List.of(new DeleteLink(nodeNs, l.name()))));
        }
        desired.ownedPrefix().ifPresent(prefix -> observed.namespaces().stream()
                .filter(name -> name.startsWith(prefix) && !wantedNamespaces.contains(name))
                .sorted()
                .forEach(name -> tasks.add(Task.of("stale " + namespaceObject(name), List.of(),
                        List.of(new DeleteNamespace(name))))));
        for (Link l : sortedByName(links.stream().filter(l -> (Ownership.isBridge(l) || Ownership.isAnnounceDevice(l))
                && !wantedBridges.contains(l.name())))) {
            tasks.add(Task.of("stale " + bridgeObject(l.name()), List.of(), List.of(new DeleteLink(nodeNs, l.name()))));
        }
        return tasks;
    }

    private static List<Link> sortedByName(java.util.stream.Stream<Link> links) {
        return links.sorted(java.util.Comparator.comparing(Link::name)).toList();
    }
}
