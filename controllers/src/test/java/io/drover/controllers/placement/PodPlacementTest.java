package io.drover.controllers.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.meta.ObjectMeta;
import io.drover.model.node.Node;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodPlacementTest {

    private static Node node(String name, Boolean ready) {
        return Node.of(ObjectMeta.named(name), null).withStatus(ready == null ? null : new Node.NodeStatus(ready, null, null));
    }

    private static Pod pod(String name, String mode) {
        return Pod.of(ObjectMeta.named("shop", name), new PodSpec(null, mode, List.of(), List.of(), List.of()));
    }

    @Test
    void theLeastLoadedReadyNodeWinsAndTiesGoToTheFirstByName() {
        List<Node> nodes = List.of(node("node-2", true), node("node-1", true), node("node-3", true));
        assertThat(PodPlacement.choose(pod("a", null), nodes, Map.of())).contains("node-1");
        assertThat(PodPlacement.choose(pod("a", null), nodes, Map.of("shop/x", "node-1"))).contains("node-2");
        assertThat(PodPlacement.choose(pod("a", null), nodes,
                Map.of("shop/x", "node-1", "shop/y", "node-2", "shop/z", "node-1"))).contains("node-3");
    }

    @Test
    void nodesThatAreNotReadyGetNothing() {
        List<Node> nodes = List.of(node("node-1", false), node("node-2", null), node("node-3", true));
        assertThat(PodPlacement.choose(pod("a", null), nodes, Map.of("shop/x", "node-3"))).contains("node-3");
        assertThat(PodPlacement.choose(pod("a", null), List.of(node("node-1", false)), Map.of())).isEmpty();
    }

    @Test
    void aContainerModePodGoesWhereThePodItSharesIsAndWaitsForIt() {
        List<Node> nodes = List.of(node("node-1", true), node("node-2", true));
        Pod sidecar = pod("web-metrics", "container:web");
        assertThat(PodPlacement.choose(sidecar, nodes, Map.of("shop/web", "node-2"))).contains("node-2");
        assertThat(PodPlacement.choose(sidecar, nodes, Map.of())).isEmpty();
        assertThat(PodPlacement.choose(sidecar, nodes, Map.of("other/web", "node-2"))).isEmpty();
    }

    @Test
    void onlyPodsWithoutANodeArePlaced() {
        assertThat(PodPlacement.unplaced(pod("a", null))).isTrue();
        Pod placed = Pod.of(ObjectMeta.named("shop", "b"), PodSpec.on("node-1"));
        assertThat(PodPlacement.unplaced(placed)).isFalse();
        assertThat(PodPlacement.nodesOf(List.of(pod("a", null), placed))).isEqualTo(Map.of("shop/b", "node-1"));
    }
}
