package io.drover.agent.desired;

import io.drover.agent.kernel.NetNs;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import java.util.Optional;

/**
 * Where a pod's network namespace is, and whether the agent makes it. In the lab and for pods created through the
 * API the agent owns the namespaces (named {@code <prefix>p-<hash>} under /run/netns, see
 * {@link ManagedPodNamespaces}); a container runtime calling CNI brings its own.
 */
public interface PodNamespaces {

    /** The pod's namespace. Only asked of pods that have one of their own (bridge and none modes). */
    NetNs namespaceOf(Pod pod);

    /**
     * Whether the agent creates this pod's namespace (and removes it when the pod goes). Such a namespace must be
     * a named one ({@link NetNs#named}) whose name starts with {@link #ownedPrefix()}.
     */
    boolean createdByAgent(Pod pod);

    /**
     * The name prefix of every namespace the agent creates. A namespace under /run/netns with this prefix that no
     * pod of the node wants any more is removed. Empty when the agent creates none.
     */
    Optional<String> ownedPrefix();

    /**
     * The name of the pod's interface on its {@code index}-th network inside its namespace: eth0, eth1, ... by
     * default. A runtime calling CNI chooses it (CNI_IFNAME), so pods it attaches may have another. IPAM and the pod's
     * status keep naming the attachment by position ({@link PodSpec#interfaceName}); only the kernel name differs.
     */
    default String interfaceName(Pod pod, int index) {
        return PodSpec.interfaceName(index);
    }

    /**
     * Whether the pod's {@code index}-th interface carries its default routes: only the first, by default, so that a
     * pod on several networks has one way out. A runtime attaching a container to several networks through CNI makes
     * one pod per network, and only the first of them routes.
     */
    default boolean routesDefault(Pod pod, int index) {
        return index == 0;
    }

    /**
     * Whether the pod's interfaces are made before IPAM has addressed it (and get their addresses when it has), so
     * that the kernel's work overlaps IPAM's. For pods whose runtime waits on the attachment (a CNI ADD); pods the
     * agent runs itself wait for their addresses, as they have nothing to do with an interface without one.
     */
    default boolean plumbedBeforeAddressed(Pod pod) {
        return false;
    }

    /** The namespace the node's bridges live in: the agent's own, except for an agent run inside a lab node. */
    default NetNs nodeNamespace() {
        return NetNs.SELF;
    }
}
