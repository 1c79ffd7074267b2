package io.drover.controllers.placement;

import io.drover.model.node.Node;
import io.drover.model.pod.Pod;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a pod that names no node should run: the Ready node with the fewest pods (ties: the first by name), except
 * that a pod in {@code container:<other>} mode goes where the other pod is, since it shares that pod's network
 * namespace (and waits while the other pod is not placed). Pure, so the policy is tested without a server.
 */
public final class PodPlacement {

    private static final String CONTAINER = "container:";

    private PodPlacement() {}

    /** Whether a pod still needs a node. */
    public static boolean unplaced(Pod pod) {
        return pod.spec().node() == null || pod.spec().node().isEmpty();
    }

    public static boolean ready(Node node) {
        return node.status() != null && Boolean.TRUE.equals(node.status().ready());
    }

    /**
     * @param nodes the nodes
     * @param pods  every pod, with the nodes already chosen for pods the store does not show placed yet
     * @return the node, or empty when the pod must wait (no Ready node, or the pod it shares is not placed)
     */
    public static Optional<String> choose(Pod pod, Collection<Node> nodes, Map<String, String> nodeOfPod) {
        String mode = pod.spec().effectiveNetworkMode();
        if (mode.startsWith(CONTAINER)) {
            String other = pod.metadata().namespace() + "/" + mode.substring(CONTAINER.length());
            return Optional.ofNullable(nodeOfPod.get(other));
        }
        List<String> ready = nodes.stream().filter(PodPlacement::ready).map(Node::name).sorted().toList();
        Map<String, Integer> load = new HashMap<>();
        nodeOfPod.values().forEach(n -> load.merge(n, 1, Integer::sum));
        return ready.stream().min(Comparator.comparingInt((String n) -> load.getOrDefault(n, 0))
                .thenComparing(Comparator.naturalOrder()));
    }

    /** {@code <namespace>/<pod>} to node, for the pods that have one. */
    public static Map<String, String> nodesOf(Collection<Pod> pods) {
        Map<String, String> out = new HashMap<>();
        for (Pod p : pods) {
            if (!unplaced(p)) {
                out.put(key(p), p.spec().node());
            }
        }
        return out;
    }

    public static String key(Pod pod) {
        return pod.metadata().namespace() + "/" + pod.metadata().name();
    }
}
