package io.drover.lab.runtime;

import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.NetNs;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds a lab's underlay in the kernel from a {@link FabricLayout}: the fabric namespace with its bridge, and per
 * node a namespace joined to the bridge by a veth pair. Nothing is created in the namespace Drover runs in: the
 * veth peers are created directly inside their target namespaces, so the lab has no link to the host.
 *
 * <p>All or nothing: when a step fails, the namespaces made so far are deleted again (their interfaces go with
 * them) before the error is thrown.
 */
public final class LabFabric {

    /** The alias Drover writes on the interfaces it creates, so that they are recognisably its own. */
    public static final String ALIAS = "drover:lab";

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
        List<String> made = new ArrayList<>();
        try {
            NetNs fabric = createNamespace(layout.fabric().name(), made, created);
            kernel.createBridge(fabric, layout.bridge(), FabricLayout.MTU, ALIAS);
            kernel.addAddress(fabric, layout.bridge(), layout.fabricAddress());
            kernel.setUp(fabric, layout.bridge(), true);
            for (FabricLayout.Node node : layout.nodes()) {
                NetNs nodeNs = createNamespace(node.namespace().name(), made, created);
                kernel.createVethPair(fabric, node.fabricPort(), ALIAS, nodeNs, node.uplink(), FabricLayout.MTU);
                kernel.setMaster(fabric, node.fabricPort(), layout.bridge());
                kernel.setUp(fabric, node.fabricPort(), true);
                kernel.addAddress(nodeNs, node.uplink(), node.address());
                kernel.setUp(nodeNs, node.uplink(), true);
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
