package io.drover.controllers.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.store.KeyValueStore;
import io.drover.store.etcd.EtcdKeyValueStore;
import io.drover.store.etcd.EtcdStoreOptions;
import io.drover.store.etcd.testing.EtcdCluster;
import io.drover.store.etcd.testing.EtcdProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The election on etcd (a one-member cluster on 127.0.0.1 for the class): every candidate has a client of its own,
 * as servers on different machines would; each test works in a key namespace of its own.
 */
class EtcdLeaderElectionTest extends LeaderElectionContract {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static EtcdCluster etcd;

    private final List<KeyValueStore> stores = new ArrayList<>();
    private String namespace;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdCluster.start(1);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @BeforeEach
    void newNamespace() {
        namespace = "/election-" + NAMESPACES.incrementAndGet() + "/";
    }

    @AfterEach
    void closeStores() {
        closeElectors();
        synchronized (stores) {
            stores.forEach(KeyValueStore::close);
            stores.clear();
        }
    }

    @Override
    KeyValueStore store() {
        KeyValueStore store = EtcdKeyValueStore.open(EtcdStoreOptions.parse(etcd.endpoints()).withNamespace(namespace)
                .withRequestTimeout(Duration.ofSeconds(2)));
        synchronized (stores) {
            stores.add(store);
        }
        return store;
    }

    @Test
    void aLeaderThatCannotReachEtcdStepsDownBeforeItsLeaseCanExpireAndLeadsAgainAfter() throws Exception {
        Recorder recorder = new Recorder();
        LeaderElection leader = elector("a", recorder);
        await().atMost(Duration.ofSeconds(10)).until(leader::isLeader);
        EtcdProcess member = etcd.member(0);

        member.kill();
        long start = System.nanoTime();
        await().atMost(TTL).pollInterval(Duration.ofMillis(10)).until(() -> recorder.running.get() == 0);
        Duration steppedDown = Duration.ofNanos(System.nanoTime() - start);
        assertThat(leader.isLeader()).isFalse();
        assertThat(recorder.term.active()).isFalse();
        assertThat(recorder.term.endReason()).contains("could not be renewed");
        assertThat(steppedDown).as("stopped its work before its lease (%s) could expire", TTL).isLessThan(TTL);
        assertThat(leader.status().problem()).contains(member.clientUrl().toString());

        member.restart(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(20)).until(leader::isLeader);
        assertThat(recorder.running.get()).isEqualTo(1);
        assertThat(recorder.terms.get()).isEqualTo(2);
        assertThat(leader.status().problem()).isNull();
    }
}
