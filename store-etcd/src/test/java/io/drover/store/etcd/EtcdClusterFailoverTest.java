package io.drover.store.etcd;

import static io.drover.store.contract.ContractSupport.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.store.KeyValue;
import io.drover.store.StoreException;
import io.drover.store.contract.RecordingListener;
import io.drover.store.etcd.testing.EtcdCluster;
import io.drover.store.etcd.testing.EtcdProcess;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** A three-member cluster on loopback: one member down is tolerated, two are not (and say so quickly). */
class EtcdClusterFailoverTest {
    @Test
    void withOneOfThreeMembersKilledReadsWritesAndWatchesGoOnAndWithTwoCallsFailInTime() {
        try (EtcdCluster cluster = EtcdCluster.start(3)) {
            EtcdStoreOptions options = EtcdStoreOptions.of(cluster.clientUrls().stream().map(Object::toString).toList())
                    .withNamespace("/failover/");
            try (EtcdKeyValueStore store = EtcdKeyValueStore.open(options)) {
                long base = store.revision();
                RecordingListener watcher = new RecordingListener();
                store.watch("", base + 1, watcher);
                for (int i = 1; i <= 5; i++) {
                    store.put("/a/" + i, bytes("v" + i));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> watcher.lastRevision() == base + 5);

                // The first endpoint is the member the client talks to first; it may be the leader too.
                cluster.member(0).kill();
                await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(StoreException.class)
                        .until(() -> store.put("/after", bytes("kill")) != null);
                assertThat(store.range("/a/").kvs()).hasSize(5);
                KeyValue a1 = store.get("/a/1").orElseThrow();
                assertThat(store.putIf("/a/1", bytes("cas"), a1.modRevision())).isPresent();
                assertThat(store.putIf("/a/1", bytes("stale"), a1.modRevision())).isEmpty();
                long last = store.revision();
                await().atMost(Duration.ofSeconds(15)).until(() -> watcher.lastRevision() == last);
                assertThat(watcher.revisions()).isEqualTo(LongStream.rangeClosed(base + 1, last).boxed().toList());
                assertThat(watcher.replayedState()).isEqualTo(RecordingListener.asMap(store.range("").kvs()));
                assertThat(watcher.error.get()).isNull();
            }

            // Two of three down: no quorum, no leader. Calls fail with a StoreException (503 upstream) within the
            // request timeout instead of hanging.
            cluster.member(1).kill();
            try (EtcdKeyValueStore store = EtcdKeyValueStore.open(options.withRequestTimeout(Duration.ofMillis(1500)))) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> store.put("/no-quorum", bytes("x"))).isInstanceOf(StoreException.class)
                        .hasMessageContaining(cluster.endpoints());
                assertThatThrownBy(() -> store.get("/a/1")).isInstanceOf(StoreException.class)
                        .hasMessageContaining(cluster.endpoints());
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
            }
        }
    }

    @Test
    void closingAClusterKillsItsMembersAndDeletesTheirData() {
        List<EtcdProcess> members;
        try (EtcdCluster cluster = EtcdCluster.start(1)) {
            members = cluster.members();
            assertThat(members).allMatch(EtcdProcess::isAlive);
            assertThat(members.getFirst().config().dataDir()).isDirectory();
        }
        assertThat(members).noneMatch(EtcdProcess::isAlive);
        assertThat(members).allMatch(m -> !Files.exists(m.config().dataDir()) && !Files.exists(m.config().logFile()));
    }
}
