package io.drover.store.etcd;

import static io.drover.store.contract.ContractSupport.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.store.KeyValueStore;
import io.drover.store.Op;
import io.drover.store.StoreException;
import io.drover.store.Txn;
import io.drover.store.contract.RecordingListener;
import io.drover.store.etcd.testing.EtcdProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.LongStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** When etcd cannot be reached, every call fails fast with a StoreException that says where and what to check. */
class EtcdUnavailableTest {
    /** Well under the request timeout: an unreachable etcd is noticed at connect, not by waiting out the deadline. */
    private static final Duration FAST = Duration.ofSeconds(3);

    @RegisterExtension
    static final EtcdForTests etcd = new EtcdForTests();

    @Test
    void everyCallToAnEtcdNobodyListensForFailsFastNamingTheEndpoint() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + port;
        try (KeyValueStore store = EtcdKeyValueStore.open(EtcdStoreOptions.of(endpoint)
                .withRequestTimeout(Duration.ofSeconds(10)))) {
            Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
            calls.put("get", () -> store.get("/k"));
            calls.put("range", () -> store.range("/"));
            calls.put("put", () -> store.put("/k", bytes("v")));
            calls.put("txn", () -> store.txn(Txn.when().then(Op.delete("/k"))));
            calls.put("revision", store::revision);
            calls.put("compact", () -> store.compact(5));
            calls.put("grantLease", () -> store.grantLease(Duration.ofSeconds(5)));
            calls.put("keepAlive", () -> store.keepAlive(7));
            calls.put("revokeLease", () -> store.revokeLease(7));
            calls.put("watch from now", () -> store.watch("/", 0, new RecordingListener()));
            calls.forEach((name, call) -> {
                long start = System.nanoTime();
                assertThatThrownBy(call).as(name).isInstanceOf(StoreException.class)
                        .hasMessageContaining("etcd is unavailable at " + endpoint)
                        .hasMessageContaining("check that the etcd members are running");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as(name).isLessThan(FAST);
            });
        }
    }

    @Test
    void whileItsOnlyMemberIsDownCallsFailFastAndAfterItsRestartTheStoreAndItsWatchesCarryOn() {
        EtcdProcess member = etcd.cluster().member(0);
        KeyValueStore store = etcd.newStore();
        long base = store.revision();
        RecordingListener watcher = new RecordingListener();
        store.watch("/w/", base + 1, watcher);
        store.put("/w/1", bytes("before"));
        await().atMost(Duration.ofSeconds(10)).until(() -> watcher.lastRevision() == base + 1);

        member.kill();
        long start = System.nanoTime();
        assertThatThrownBy(() -> store.put("/w/2", bytes("while down"))).isInstanceOf(StoreException.class)
                .hasMessageContaining(member.clientUrl().toString());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAST);

        member.restart(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(15)).ignoreExceptionsInstanceOf(StoreException.class)
                .until(() -> store.put("/w/2", bytes("after")) != null);
        store.put("/w/3", bytes("after"));
        long last = store.revision();
        await().atMost(Duration.ofSeconds(15)).until(() -> watcher.lastRevision() == last);
        // Every revision once, in order, across the outage (a put that timed out may have been applied: also seen).
        assertThat(watcher.revisions()).isEqualTo(LongStream.rangeClosed(base + 1, last).boxed().toList());
        assertThat(watcher.replayedState()).isEqualTo(RecordingListener.asMap(store.range("/w/").kvs()));
        assertThat(watcher.error.get()).isNull();
        assertThat(watcher.compacted.get()).isNull();
    }
}
