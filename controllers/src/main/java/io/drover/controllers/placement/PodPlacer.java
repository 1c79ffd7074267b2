package io.drover.controllers.placement;

import io.drover.api.ApiException;
import io.drover.api.ResourceRegistry;
import io.drover.controllers.support.KeyedWorkQueue;
import io.drover.controllers.support.ResourceInformer;
import io.drover.model.ResourceKind;
import io.drover.model.node.Node;
import io.drover.model.pod.Pod;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places pods that name no node, as a lab's scheduler: sets {@code spec.node} by {@link PodPlacement} (the
 * least-loaded Ready node; a container-mode pod beside the pod it shares). Placing is a normal update through the
 * registry, so IPAM and the node's agent then see an ordinary pod on a node. Only the lab's server runs it
 * ({@code drover server --lab-placement}): elsewhere a pod without a node is one a container runtime will bind
 * through CNI.
 *
 * <p>All placement happens on one worker, one pass over every unplaced pod (oldest first) per change, so that
 * counting load and choosing never race with another placement. A pod placed in a pass counts at once, even
 * before the watch brings its update back.
 */
public final class PodPlacer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PodPlacer.class);
    private static final String PASS = "place";

    private final ResourceRegistry registry;
    private final ResourceInformer<Pod> pods;
    private final ResourceInformer<Node> nodes;
    private final KeyedWorkQueue<String> queue;
    /** Pods placed by this placer that the pod informer does not show placed yet: by uid, the node chosen. */
    private final Map<String, String> placed = new ConcurrentHashMap<>();
    private volatile boolean reportedNoNode;

    public PodPlacer(ResourceRegistry registry) {
        this.registry = registry;
        this.queue = new KeyedWorkQueue<>("placement", 1, key -> pass());
        this.pods = new ResourceInformer<>(registry, ResourceKind.POD, p -> p.metadata().uid(), anyChange());
        this.nodes = new ResourceInformer<>(registry, ResourceKind.NODE, Node::name, anyChange());
    }

    /** Any change of a pod or node may let a pod be placed (or change where): queue a pass. */
    private <T> ResourceInformer.Handler<T> anyChange() {
        return new ResourceInformer.Handler<>() {
            @Override
            public void onAdd(T object) {
                queue.add(PASS);
            }

            @Override
            public void onUpdate(T previous, T object) {
                queue.add(PASS);
            }

            @Override
            public void onDelete(T object) {
                queue.add(PASS);
            }
        };
    }

    public void start() {
        nodes.start();
        pods.start();
        queue.add(PASS);
        log.info("pod placement started: pods that name no node go to the least-loaded Ready node");
    }

    /** Waits until no pass is queued or running; false on timeout. For tests. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return queue.awaitIdle(timeout);
    }

    @Override
    public void close() {
        pods.close();
        nodes.close();
        queue.close(Duration.ofSeconds(5));
    }

    private void pass() {
        List<Pod> all = List.copyOf(pods.items());
        // What the informer shows placed (or gone) no longer needs remembering.
        placed.keySet().removeIf(uid -> all.stream().noneMatch(p -> uid.equals(p.metadata().uid()) && PodPlacement.unplaced(p)));
        Map<String, String> nodeOfPod = new ConcurrentHashMap<>(PodPlacement.nodesOf(all));
        for (Pod p : all) {
            String chosen = placed.get(p.metadata().uid());
            if (chosen != null) {
                nodeOfPod.put(PodPlacement.key(p), chosen);
            }
        }
        List<Pod> waiting = all.stream()
                .filter(p -> PodPlacement.unplaced(p) && !placed.containsKey(p.metadata().uid()))
                .sorted(Comparator.comparing((Pod p) -> p.metadata().creationTimestamp() == null ? "" : p.metadata().creationTimestamp())
                        .thenComparing(PodPlacement::key))
                .toList();
        RuntimeException failed = null;
        for (Pod pod : waiting) {
            Optional<String> node = PodPlacement.choose(pod, nodes.items(), nodeOfPod);
            if (node.isEmpty()) {
                if (!pod.spec().effectiveNetworkMode().startsWith("container:") && !reportedNoNode) {
                    log.warn("pod {} waits for a Ready node to be placed on", PodPlacement.key(pod));
                    reportedNoNode = true;
                }
                continue;
            }
            reportedNoNode = false;
            try {
                registry.replace(new Pod(pod.apiVersion(), pod.kind(), pod.metadata(), pod.spec().withNode(node.get()), pod.status()));
                placed.put(pod.metadata().uid(), node.get());
                nodeOfPod.put(PodPlacement.key(pod), node.get());
                log.info("placed pod {} on {}", PodPlacement.key(pod), node.get());
            } catch (ApiException e) {
                if (e.reason() != ApiException.Reason.NOT_FOUND) {
                    failed = e; // a conflict (the pod changed meanwhile): the queue retries the pass
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
