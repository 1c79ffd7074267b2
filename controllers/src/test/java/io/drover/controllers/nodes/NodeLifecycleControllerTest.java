package io.drover.controllers.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.api.registry.StoreResourceRegistry;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.node.Node;
import io.drover.model.node.Node.NodeSpec;
import io.drover.model.node.Node.NodeStatus;
import io.drover.store.KeyValueStore;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeLifecycleControllerTest {

    private static final Duration GRACE = Duration.ofSeconds(20);
    private static final String T0 = "2026-03-01T10:00:00Z";

    @TempDir
    Path dir;

    private KeyValueStore store;
    private StoreResourceRegistry registry;

    @BeforeEach
    void open() {
        store = SqliteKeyValueStore.open(dir);
        registry = new StoreResourceRegistry(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Node node(String name, NodeStatus status) {
        Node created = registry.create(Node.of(ObjectMeta.named(name), new NodeSpec("172.31.0.1")));
        return status == null ? created : registry.replaceStatus(created.withStatus(status));
    }

    private Node get(String name) {
        return registry.get(Node.class, null, name).orElseThrow();
    }

    /** The agent's heartbeat: the whole status, Ready, with the time. */
    private void beat(String name, String at) {
        Node n = get(name);
        registry.replaceStatus(n.withStatus(new NodeStatus(true, at, null, n.status() == null ? null : n.status().warnings())));
    }

    @Test
    void aNodeSilentForLongerThanTheGraceIsNotReadyUntilItsAgentBeatsAgain() {
        AtomicLong nanos = new AtomicLong();
        node("silent", new NodeStatus(true, T0, null, List.of("peer node-3 is unreachable: check the underlay")));
        node("beating", new NodeStatus(true, T0, null));
        node("unjudged", new NodeStatus(true, null, "status written by hand"));
        node("stopped", new NodeStatus(false, T0, "the agent was stopped"));
        node("new", null);
        try (NodeLifecycleController controller = new NodeLifecycleController(registry,
                new NodeLifecycleController.Options(GRACE, Duration.ofHours(1)), nanos::get)) {
            controller.start();

            nanos.set(Duration.ofSeconds(10).toNanos());
            beat("beating", "2026-03-01T10:00:10Z");
            await().atMost(Duration.ofSeconds(5)).until(() -> controller.heartbeatSeen("beating"),
                    Optional.of("2026-03-01T10:00:10Z")::equals);
            nanos.set(GRACE.toNanos()); // exactly the grace: not yet
            assertThat(controller.check()).isZero();

            nanos.set(GRACE.plusSeconds(1).toNanos());
            assertThat(controller.check()).isEqualTo(1);
            NodeStatus silent = get("silent").status();
            assertThat(silent.ready()).isFalse();
            assertThat(silent.message()).isEqualTo("no heartbeat from the agent since " + T0 + " (grace 20s)");
            assertThat(silent.lastHeartbeat()).isEqualTo(T0);
            assertThat(silent.warnings()).containsExactly("peer node-3 is unreachable: check the underlay");
            assertThat(get("beating").status().ready()).isTrue();
            assertThat(get("unjudged").status()).isEqualTo(new NodeStatus(true, null, "status written by hand"));
            assertThat(get("stopped").status().message()).isEqualTo("the agent was stopped");
            assertThat(get("new").status()).isNull();

            // A node already NotReady is not written again.
            String version = get("silent").metadata().resourceVersion();
            nanos.set(GRACE.plusSeconds(5).toNanos());
            controller.check();
            assertThat(get("silent").metadata().resourceVersion()).isEqualTo(version);

            // Its agent comes back: Ready again (its own write), and judged from this heartbeat on.
            beat("silent", "2026-03-01T10:00:25Z");
            await().atMost(Duration.ofSeconds(5)).until(() -> controller.heartbeatSeen("silent"),
                    Optional.of("2026-03-01T10:00:25Z")::equals);
            nanos.set(GRACE.plusSeconds(6).toNanos());
            controller.check();
            assertThat(get("silent").status().ready()).isTrue();
            assertThat(get("silent").status().message()).isNull();
        }
    }

    @Test
    void silenceIsMeasuredFromWhenThisControllerFirstSawTheHeartbeat() {
        // A leader that just took over (or a store back after an outage) sees old heartbeats: not dead yet.
        AtomicLong nanos = new AtomicLong(Duration.ofHours(5).toNanos());
        node("old", new NodeStatus(true, "2020-01-01T00:00:00Z", null));
        try (NodeLifecycleController controller = new NodeLifecycleController(registry,
                new NodeLifecycleController.Options(GRACE, Duration.ofHours(1)), nanos::get)) {
            controller.start();
            assertThat(controller.check()).isZero();
            assertThat(get("old").status().ready()).isTrue();
            nanos.addAndGet(GRACE.plusMillis(1).toNanos());
            // The controller's own first round may run now too: whichever check marks it, the node is NotReady.
            controller.check();
            assertThat(get("old").status().ready()).isFalse();
        }
    }

    @Test
    void onTheRealClockASilentNodeGoesNotReadyWhileABeatingOneStaysReady() throws Exception {
        node("quiet", new NodeStatus(true, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), null));
        node("alive", new NodeStatus(true, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), null));
        Thread agent = Thread.ofVirtual().start(() -> {
            for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                try {
                    beat("alive", Instant.parse(T0).plusSeconds(i).toString());
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // A conflict with the controller's write: beat again.
                }
            }
        });
        try (NodeLifecycleController controller = new NodeLifecycleController(registry,
                new NodeLifecycleController.Options(Duration.ofMillis(600), Duration.ofMillis(100)))) {
            controller.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> Boolean.FALSE.equals(get("quiet").status().ready()));
            assertThat(get("quiet").status().message()).endsWith("(grace 600ms)");
            Thread.sleep(500);
            assertThat(get("alive").status().ready()).isTrue();
        } finally {
            agent.interrupt();
            agent.join();
        }
    }
}
