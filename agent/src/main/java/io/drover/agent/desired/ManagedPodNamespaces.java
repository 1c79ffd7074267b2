package io.drover.agent.desired;

import io.drover.agent.kernel.NetNs;
import io.drover.model.pod.Pod;
import java.util.Optional;

/**
 * Pod namespaces the agent creates itself, named {@code <prefix>p-<hash of the pod uid>}. The prefix keeps the
 * namespaces of different agents apart where they share /run/netns (the lab runs every node on one machine), so
 * give each node its own, e.g. {@code drover-node-1-}.
 */
public record ManagedPodNamespaces(String prefix, NetNs nodeNamespace) implements PodNamespaces {

    private static final int HASH_CHARS = 10;

    public ManagedPodNamespaces {
        if (prefix == null || prefix.contains("/")) {
            throw new IllegalArgumentException("a namespace prefix must be set and must not contain '/': " + prefix);
        }
    }

    /** Namespaces for an agent that runs in the node's own namespace. */
    public static ManagedPodNamespaces withPrefix(String prefix) {
        return new ManagedPodNamespaces(prefix, NetNs.SELF);
    }

    /** The name under /run/netns; the lab uses it to start the pod's process inside. */
    public String nameOf(Pod pod) {
        return prefix + "p-" + InterfaceNames.hash(PodKeys.identity(pod), HASH_CHARS);
    }

    @Override
    public NetNs namespaceOf(Pod pod) {
        return NetNs.named(nameOf(pod));
    }

    @Override
    public boolean createdByAgent(Pod pod) {
        return true;
    }

    @Override
    public Optional<String> ownedPrefix() {
        return Optional.of(prefix + "p-");
    }
}
