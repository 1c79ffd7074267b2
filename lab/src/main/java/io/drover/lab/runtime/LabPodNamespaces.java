package io.drover.lab.runtime;

import io.drover.agent.desired.PodNamespaces;
import io.drover.agent.kernel.NetNs;
import io.drover.model.pod.Pod;
import java.util.Optional;

/**
 * Where a lab pod's network lives, by {@link LabNames}: a pod in bridge or none mode has a namespace of its own,
 * {@code drl-LAB-p-HASH}, that the node's agent creates; a pod in {@code container:<other>} mode lives in the other
 * pod's namespace (same Kubernetes namespace, as Docker's {@code --network container:}); a pod in host mode lives
 * in its node's namespace. The agent of lab node N uses it as its {@link PodNamespaces}; the probe and
 * {@code lab exec} use {@link #namespaceName} to find a pod's namespace from the pod alone.
 *
 * @param names the lab's names
 * @param node  the number of the node whose agent this serves
 */
public record LabPodNamespaces(LabNames names, int node) implements PodNamespaces {

    public LabPodNamespaces {
        names.nodeNamespace(node); // checks the node number
    }

    /** The namespace name (under /run/netns) a lab pod's processes and sockets live in. */
    public static String namespaceName(LabNames names, Pod pod) {
        String mode = pod.spec().effectiveNetworkMode();
        if (mode.startsWith(CONTAINER)) {
            return names.podNamespace(pod.metadata().namespace(), mode.substring(CONTAINER.length()));
        }
        if (mode.equals("host")) {
            String node = pod.spec().node();
            int number = node == null ? 0 : LabNames.nodeNumber(node).orElse(0);
            if (number == 0) {
                throw new LabException("pod " + pod.metadata().namespace() + "/" + pod.metadata().name()
                        + " is in host mode on " + (node == null ? "no node" : "node " + node)
                        + ", which is not a lab node (node-1, node-2, ...)");
            }
            return names.nodeNamespace(number);
        }
        return names.podNamespace(pod.metadata().namespace(), pod.metadata().name());
    }

    private static final String CONTAINER = "container:";

    @Override
    public NetNs namespaceOf(Pod pod) {
        return NetNs.named(namespaceName(names, pod));
    }

    @Override
    public boolean createdByAgent(Pod pod) {
        String mode = pod.spec().effectiveNetworkMode();
        return mode.equals("bridge") || mode.equals("none");
    }

    /** Every lab pod namespace has it; {@link NodeScopedKernel} keeps each node's agent to its own pods' ones. */
    @Override
    public Optional<String> ownedPrefix() {
        return Optional.of(podPrefix(names));
    }

    /** The start of every pod namespace name of a lab. */
    public static String podPrefix(LabNames names) {
        return names.prefix() + "p-";
    }

    @Override
    public NetNs nodeNamespace() {
        return NetNs.named(names.nodeNamespace(node));
    }
}
