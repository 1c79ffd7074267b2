package io.drover.lab.runtime;

import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.Route;
import io.drover.model.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds a lab's underlay in the kernel from a {@link FabricLayout}: the fabric namespace with its bridge (or, for a
 * routed underlay, one bridge per segment and the router namespace between them), and per node a namespace joined
 * to its bridge by a veth pair. Nothing is created in the namespace Drover runs in: the
 * veth peers are created directly inside their target namespaces, so the lab has no link to the host.
 *
 * <p>All or nothing: when a step fails, the namespaces made so far are deleted again (their interfaces go with
 * them) before the error is thrown.
 */
public final class LabFabric {

    /** The alias Drover writes on the interfaces it creates, so that they are recognisably its own. */
    public static final String ALIAS = "drover:lab";

    private static final Cidr DEFAULT_ROUTE = Cidr.parse("0.0.0.0/0");

    private final Kernel kernel;

    public LabFabric(Kernel kernel) {
        this.kernel = kernel;
    }

    public FabricLayout create(FabricLayout layout) {
        return create(layout, name -> {});
    }

    /**
     * Creates the fabric and its nodes.
     *
     * @param created told each namespace name right after it exists, so that the caller can record it in the lab
     *                state before the next step can fail or the process be killed
     */
    public FabricLayout create(FabricLayout layout, Consumer<String> created) {
        return create(layout, 0, created);
    }

    /**
     * Creates the fabric, its router (a routed underlay) and its nodes, and gives the fabric's bridge the addresses
     * of {@code members} lab-wide members ({@link FabricLayout#memberAddress}, e.g. the etcd members).
     *
     * @param created told each namespace name right after it exists, so that the caller can record it in the lab
     *                state before the next step can fail or the process be killed
     */
    public FabricLayout create(FabricLayout layout, int members, Consumer<String> created) {
        List<String> made = new ArrayList<>();
        try {
            NetNs fabric = createNamespace(layout.fabric().name(), made, created);
            for (FabricLayout.Segment segment : layout.segments()) {
                kernel.createBridge(fabric, segment.bridge(), FabricLayout.MTU, ALIAS);
                kernel.setUp(fabric, segment.bridge(), true);
            }
            kernel.addAddress(fabric, layout.bridge(), layout.fabricAddress());
            for (int i = 1; i <= members; i++) {
                kernel.addAddress(fabric, layout.bridge(), layout.memberAddress(i));
            }
            if (layout.router() != null) {
                createRouter(layout, fabric, made, created);
                kernel.addRoute(fabric, Route.via(layout.underlay(), layout.fabricGateway()));
            }
            for (FabricLayout.Node node : layout.nodes()) {
                NetNs nodeNs = createNamespace(node.namespace().name(), made, created);
                kernel.createVethPair(fabric, node.fabricPort(), ALIAS, nodeNs, node.uplink(), FabricLayout.MTU);
                kernel.setMaster(fabric, node.fabricPort(), node.bridge());
                kernel.setUp(fabric, node.fabricPort(), true);
                kernel.addAddress(nodeNs, node.uplink(), node.address());
                kernel.setUp(nodeNs, node.uplink(), true);
                if (node.gateway() != null) {
                    kernel.addRoute(nodeNs, Route.via(DEFAULT_ROUTE, node.gateway()));
                }
            }
            return layout;
        } catch (RuntimeException e) {
            undo(made, e);
            if (e instanceof KernelException k && k.errno() == KernelException.EEXIST) {
                throw new LabException("lab " + layout.lab() + " already exists or left namespaces behind ("
                        + k.getMessage() + "); run 'drover lab down --name " + layout.lab() + "' first", e);
            }
            throw new LabException("cannot build the fabric of lab " + layout.lab() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The router of a routed underlay: its own namespace with one port on each segment's bridge, forwarding between
     * them. IP forwarding is switched on in that namespace only (a namespace's sysctls are its own).
     */
    private void createRouter(FabricLayout layout, NetNs fabric, List<String> made, Consumer<String> created) {
        FabricLayout.Router router = layout.router();
        NetNs routerNs = createNamespace(router.namespace().name(), made, created);
        for (FabricLayout.RouterPort port : router.ports()) {
            kernel.createVethPair(fabric, port.fabricPort(), ALIAS, routerNs, port.name(), FabricLayout.MTU);
            kernel.setMaster(fabric, port.fabricPort(), port.bridge());
            kernel.setUp(fabric, port.fabricPort(), true);
            kernel.addAddress(routerNs, port.name(), port.address());
            kernel.setUp(routerNs, port.name(), true);
        }
        kernel.setSysctl(routerNs, "net.ipv4.ip_forward", "1");
    }

    /**
     * Cuts a node off the underlay (its port on the fabric bridge down), or joins it again: the node keeps its
     * interfaces, addresses and routes, so that it works again as soon as the link is up.
     */
    public void setNodeLink(FabricLayout layout, String node, boolean up) {
        FabricLayout.Node n = layout.node(node);
        kernel.setUp(layout.fabric().netns(), n.fabricPort(), up);
    }

    /** Whether a node's port on the fabric bridge is up (false when it was cut or is missing). */
    public boolean nodeLinkUp(FabricLayout layout, String node) {
        FabricLayout.Node n = layout.node(node);
        return kernel.links(layout.fabric().netns()).stream()
                .anyMatch(l -> l.name().equals(n.fabricPort()) && l.up());
    }

    /** Creates a pod's namespace with its loopback up, as a container runtime would before calling CNI. */
    public NetNs createPodNamespace(LabNames names, String namespace, String pod) {
        String name = names.podNamespace(namespace, pod);
        NetNs ns = kernel.createNamespace(name);
        try {
            kernel.setUp(ns, "lo", true);
            return ns;
        } catch (RuntimeException e) {
            undo(List.of(name), e);
            throw e;
        }
    }

    private NetNs createNamespace(String name, List<String> made, Consumer<String> created) {
        NetNs ns = kernel.createNamespace(name);
        made.add(name);
        created.accept(name);
        // A fresh namespace's loopback is down; servers and probes inside it expect 127.0.0.1 to work.
        kernel.setUp(ns, "lo", true);
        return ns;
    }

    private void undo(List<String> made, RuntimeException cause) {
        for (String name : made.reversed()) {
            try {
                kernel.deleteNamespace(name);
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    }
}
