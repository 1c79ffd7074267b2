package io.drover.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.api.registry.StoreResourceRegistry;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.node.Node;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeRegistrationTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private SqliteKeyValueStore store;
    private StoreResourceRegistry registry;
    private final MovingClock clock = new MovingClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final AtomicReference<Optional<String>> problem = new AtomicReference<>(Optional.empty());
    private NodeRegistration registration;

    @BeforeEach
    void open() {
        store = SqliteKeyValueStore.open(dir);
        registry = new StoreResourceRegistry(store);
        registry.ensureDefaults();
    }

    @AfterEach
    void close() {
        if (registration != null) {
            registration.close();
        }
        store.close();
    }

    private NodeRegistration start(String address) {
        registration = NodeRegistration.start(registry, "node-1", address, problem::get,
                new NodeRegistration.Options(Duration.ofMillis(50), clock));
        return registration;
    }

    private Node node() {
        return registry.get(Node.class, null, "node-1").orElseThrow();
    }

    @Test
    void registersTheNodeAndKeepsItsHeartbeatFresh() {
        start("192.168.50.1");
        Node node = node();
        assertThat(node.spec().address()).isEqualTo("192.168.50.1");
        assertThat(node.status().ready()).isTrue();
        assertThat(node.status().lastHeartbeat()).isEqualTo("2026-03-01T10:00:00Z");

        clock.advance(Duration.ofSeconds(7));
        await().atMost(WAIT).until(() -> "2026-03-01T10:00:07Z".equals(node().status().lastHeartbeat()));
    }

    @Test
    void readinessProblemsAreReportedAndCleared() {
        start(null);
        problem.set(Optional.of("cannot read the kernel"));
        await().atMost(WAIT).until(() -> Boolean.FALSE.equals(node().status().ready()));
        assertThat(node().status().message()).isEqualTo("cannot read the kernel");

        problem.set(Optional.empty());
        await().atMost(WAIT).until(() -> Boolean.TRUE.equals(node().status().ready()) && node().status().message() == null);
    }

    @Test
    void aDeletedNodeIsRegisteredAgainAndAWrongAddressCorrected() {
        registry.create(Node.of(ObjectMeta.named("node-1"), new Node.NodeSpec("10.0.0.9")));
        start("10.0.0.1");
        assertThat(node().spec().address()).as("corrected at start").isEqualTo("10.0.0.1");

        registry.delete(ResourceKind.NODE, null, "node-1", null);
        await().atMost(WAIT).until(() -> registry.get(Node.class, null, "node-1").isPresent()
                && node().status() != null && Boolean.TRUE.equals(node().status().ready()));
        assertThat(node().spec().address()).isEqualTo("10.0.0.1");
    }

    @Test
    void closingSaysTheAgentStopped() {
        start("10.0.0.1").close();
        registration = null;
        Node node = node();
        assertThat(node.status().ready()).isFalse();
        assertThat(node.status().message()).isEqualTo(NodeRegistration.STOPPED);

        clock.advance(Duration.ofSeconds(30));
        assertThat(node().status()).as("no heartbeat after close").isEqualTo(node.status());
    }

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        private volatile Instant now;

        MovingClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
