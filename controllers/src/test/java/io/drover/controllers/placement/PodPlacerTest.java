package io.drover.controllers.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.api.registry.StoreResourceRegistry;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.node.Node;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.store.KeyValueStore;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The placer against a real registry: it writes spec.node through ordinary updates, one pod at a time. */
class PodPlacerTest {

    @TempDir
    Path dir;

    private KeyValueStore store;
    private StoreResourceRegistry registry;
    private PodPlacer placer;

    @BeforeEach
    void start() {
        store = SqliteKeyValueStore.open(dir);
        registry = new StoreResourceRegistry(store);
        registry.ensureDefaults();
        placer = new PodPlacer(registry);
    }

    @AfterEach
    void stop() {
        placer.close();
        store.close();
    }

    private void readyNode(String name) {
        Node node = registry.create(Node.of(ObjectMeta.named(name), null));
        registry.replaceStatus(node.withStatus(new Node.NodeStatus(true, null, null)));
    }

    private String nodeOf(String pod) {
        return registry.get(Pod.class, "default", pod).orElseThrow().spec().node();
    }

    @Test
    void podsWithoutANodeAreSpreadOverReadyNodesAndSidecarsFollowTheirPod() throws Exception {
        readyNode("node-1");
        readyNode("node-2");
        registry.create(Node.of(ObjectMeta.named("node-3"), null)); // never ready
        registry.create(Pod.of(ObjectMeta.named("default", "pinned"), PodSpec.on("node-1")));
        placer.start();
        registry.create(Pod.of(ObjectMeta.named("default", "a"), PodSpec.EMPTY));
        await().atMost(Duration.ofSeconds(10)).until(() -> nodeOf("a") != null);
        assertThat(nodeOf("a")).isEqualTo("node-2");
        registry.create(Pod.of(ObjectMeta.named("default", "b"), PodSpec.EMPTY));
        registry.create(Pod.of(ObjectMeta.named("default", "b-sidecar"),
                new PodSpec(null, "container:b", List.of(), List.of(), List.of())));
        await().atMost(Duration.ofSeconds(10)).until(() -> nodeOf("b") != null && nodeOf("b-sidecar") != null);
        assertThat(nodeOf("b-sidecar")).isEqualTo(nodeOf("b"));
        assertThat(List.of(nodeOf("a"), nodeOf("b"))).doesNotContain("node-3");
        assertThat(placer.awaitIdle(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aPodWaitsUntilANodeIsReady() throws Exception {
        placer.start();
        registry.create(Pod.of(ObjectMeta.named("default", "early"), PodSpec.EMPTY));
        assertThat(placer.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(nodeOf("early")).isNull();
        readyNode("node-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> "node-1".equals(nodeOf("early")));
    }
}
