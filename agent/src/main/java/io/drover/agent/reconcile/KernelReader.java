package io.drover.agent.reconcile;

import io.drover.agent.desired.CrossNodeConfig;
import io.drover.agent.desired.CrossNodeMode;
import io.drover.agent.desired.DesiredBridge;
import io.drover.agent.desired.DesiredCrossNode;
import io.drover.agent.desired.DesiredInterface;
import io.drover.agent.desired.DesiredNamespace;
import io.drover.agent.desired.DesiredNode;
import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.FdbEntry;
import io.drover.agent.kernel.Neighbour;
import io.drover.agent.kernel.Vxlan;
import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.Route;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the parts of the kernel a desired state touches: the node namespace's links (all of them, to find Drover's
 * that are no longer wanted), the addresses of the desired bridges, the pod namespaces with their links, the
 * addresses of the pod interfaces and their routes, and the desired sysctls; pod namespaces verified by an earlier
 * sync are taken as they were ({@link VerifiedNamespaces}). Only reads: no write ever happens here. Each namespace is
 * read in one visit ({@link NamespaceVisit}), not one hand-off to its thread per request.
 */
final class KernelReader {

    private final Kernel kernel;

    KernelReader(Kernel kernel) {
        this.kernel = kernel;
    }

    /**
     * Throws when the node namespace itself cannot be read: without it nothing can be planned. A pod namespace that
     * {@code verified} vouches for is not read again.
     */
    Observed read(DesiredNode desired, VerifiedNamespaces verified) {
        NetNs nodeNs = desired.nodeNamespace();
        NodeReading nodeReading = NamespaceVisit.inside(kernel, nodeNs, () -> readNode(desired));
        Map<String, Link> nodeLinks = nodeReading.view().links();

        Set<String> namespaces = desired.namespaces().isEmpty() && desired.ownedPrefix().isEmpty()
                ? Set.of()
                : new HashSet<>(kernel.namespaces());

        Map<NetNs, List<DesiredInterface>> interfacesByNs = new LinkedHashMap<>();
        for (DesiredInterface i : desired.interfaces()) {
            interfacesByNs.computeIfAbsent(i.netns(), n -> new java.util.ArrayList<>()).add(i);
        }
        Set<NetNs> owned = new HashSet<>();
        Set<NetNs> podNamespaces = new LinkedHashSet<>();
        for (DesiredNamespace n : desired.namespaces()) {
            owned.add(n.netns());
            podNamespaces.add(n.netns());
        }
        podNamespaces.addAll(interfacesByNs.keySet());

        Map<NetNs, NamespaceView> pods = new HashMap<>();
        Map<NetNs, String> unreadable = new HashMap<>();
        for (NetNs netns : podNamespaces) {
            if (owned.contains(netns) && !namespaces.contains(netns.path().getFileName().toString())) {
                pods.put(netns, NamespaceView.ABSENT);
                continue;
            }
            List<DesiredInterface> interfaces = interfacesByNs.getOrDefault(netns, List.of());
            NamespaceView known = verified.reusable(netns, interfaces, owned.contains(netns), nodeLinks);
            if (known != null) {
                pods.put(netns, known);
                continue;
            }
            try {
                pods.put(netns, NamespaceVisit.inside(kernel, netns, () -> readPodNamespace(netns, interfaces)));
            } catch (RuntimeException e) {
                unreadable.put(netns, "cannot read namespace " + netns + ": " + e.getMessage());
            }
        }
        return new Observed(nodeReading.view(), namespaces, pods, unreadable, nodeReading.sysctls(),
                nodeReading.unreadableSysctls(), nodeReading.crossNode());
    }

    /** Everything read in the node namespace, read in one visit to it. */
    private record NodeReading(NamespaceView view, Map<String, String> sysctls, Map<String, String> unreadableSysctls,
            CrossNodeView crossNode) {}

    private NodeReading readNode(DesiredNode desired) {
        NetNs nodeNs = desired.nodeNamespace();
        Map<String, Link> nodeLinks = byName(kernel.trackedLinks(nodeNs));
        Map<String, List<Address>> nodeAddresses = new HashMap<>();
        for (DesiredBridge b : desired.bridges()) {
            Link link = nodeLinks.get(b.name());
            if (link != null && link.ownedByDrover()) {
                readAddresses(nodeNs, link.name(), nodeLinks, nodeAddresses);
            }
        }
        Map<String, String> sysctls = new HashMap<>();
        Map<String, String> unreadableSysctls = new HashMap<>();
        for (String key : desired.sysctls().keySet()) {
            try {
                sysctls.put(key, kernel.sysctl(nodeNs, key).trim());
            } catch (RuntimeException e) {
                unreadableSysctls.put(key, e.getMessage());
            }
        }
        return new NodeReading(new NamespaceView(true, nodeLinks, nodeAddresses, List.of()), sysctls,
                unreadableSysctls, readCrossNode(desired, nodeLinks));
    }

    /**
     * The routes of the node namespace (one dump), and Drover's VXLAN device with its entries when it exists: wanted
     * or not, so that one left from another mode is found and removed. Per-bridge sysctls only of bridges that exist.
     */
    private CrossNodeView readCrossNode(DesiredNode desired, Map<String, Link> nodeLinks) {
        NetNs nodeNs = desired.nodeNamespace();
        boolean clustered = desired.crossNode().mode() != CrossNodeMode.NONE;
        Link device = nodeLinks.get(CrossNodeConfig.VXLAN_DEVICE);
        boolean ourDevice = device != null && device.ownedByDrover();
        if (!clustered && !ourDevice) {
            return CrossNodeView.EMPTY;
        }
        List<Route> routes = kernel.routes(nodeNs);
        Optional<Vxlan> vxlan = Optional.empty();
        List<Neighbour> neighbours = List.of();
        List<FdbEntry> fdb = List.of();
        if (ourDevice) {
            vxlan = kernel.vxlan(nodeNs, device.name());
            neighbours = kernel.neighbours(nodeNs, device.name());
            fdb = kernel.fdb(nodeNs, device.name());
        }
        Map<String, String> bridgeSysctls = new HashMap<>();
        for (DesiredCrossNode.BridgeSysctl s : desired.crossNode().bridgeSysctls()) {
            if (nodeLinks.containsKey(s.bridge())) {
                bridgeSysctls.put(s.key(), kernel.sysctl(nodeNs, s.key()).trim());
            }
        }
        return new CrossNodeView(routes, vxlan, neighbours, fdb, bridgeSysctls);
    }

    private NamespaceView readPodNamespace(NetNs netns, List<DesiredInterface> interfaces) {
        Map<String, Link> links = byName(kernel.links(netns));
        Map<String, List<Address>> addresses = new HashMap<>();
        for (DesiredInterface i : interfaces) {
            if (links.containsKey(i.name())) {
                readAddresses(netns, i.name(), links, addresses);
            }
        }
        List<Route> routes = interfaces.isEmpty() ? List.of() : kernel.routes(netns);
        return new NamespaceView(true, links, addresses, routes);
    }

    /** A link that vanished between listing and reading its addresses is treated as never seen. */
    private void readAddresses(NetNs ns, String link, Map<String, Link> links, Map<String, List<Address>> into) {
        try {
            into.put(link, kernel.addresses(ns, link));
        } catch (KernelException e) {
            if (e.errno() != KernelException.ENODEV && e.errno() != KernelException.ENOENT) {
                throw e;
            }
            links.remove(link);
        }
    }

    private static Map<String, Link> byName(List<Link> links) {
        Map<String, Link> out = new LinkedHashMap<>();
        for (Link l : links) {
            out.put(l.name(), l);
        }
        return out;
    }
}
