package io.drover.agent.desired;

import io.drover.agent.kernel.NetNs;
import io.drover.model.pod.Pod;
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

    /** The namespace the node's bridges live in: the agent's own, except for an agent run inside a lab node. */
    default NetNs nodeNamespace() {
        return NetNs.SELF;
    }
}
