package io.drover.store.contract;

import static io.drover.store.contract.ContractSupport.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.store.KeyValue;
import io.drover.store.KeyValueStore;
import io.drover.store.Op;
import io.drover.store.StoreException;
import io.drover.store.Txn;
import io.drover.store.Watch;
import io.drover.store.WatchEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Watches: replay from a revision, then live, without gap or duplicate, one revision per call. */
public abstract class WatchContractTest extends StoreContractTest {

    /**
     * The store for {@link #aSlowWatcherDoesNotBlockWritersAndCatchesUpWithoutLoss}: a store may close
     * {@code current} and answer one whose watches hold few revisions in memory, so that the test runs the
     * path where a watcher falls behind and catches up. The answer must see the same (empty) keys.
     */
    protected KeyValueStore withSmallWatchQueue(KeyValueStore current) {
        return current;
    }

    @Test
    public void aWatchFromTheFirstRevisionSeesEveryRevisionOnceInOrderWhileWritersRun() throws Exception {
        store.put("/c/seed", bytes("0"));
        RecordingListener early = new RecordingListener();
        store.watch("", rev(1), early);
        RecordingListener[] late = new RecordingListener[1];
        ContractSupport.runConcurrently(8, t -> {
            for (int i = 0; i < 100; i++) {
                if (i % 3 == 0) {
                    store.txn(Txn.when().then(Op.delete("/c/" + t + "/" + (i - 1))));
                } else {
                    store.put("/c/" + t + "/" + i, bytes(t + "-" + i));
                }
                if (t == 0 && i == 50) {
                    // A second watch from the first revision starts mid-stream: it must replay, then go live seamlessly.
                    late[0] = new RecordingListener();
                    store.watch("", rev(1), late[0]);
                }
            }
        });
        long last = store.revision();
        for (RecordingListener listener : new RecordingListener[] {early, late[0]}) {
            await().atMost(WAIT).until(() -> listener.lastRevision() == last);
            assertThat(listener.revisions()).isEqualTo(LongStream.rangeClosed(rev(1), last).boxed().toList());
            assertThat(listener.replayedState()).isEqualTo(RecordingListener.asMap(store.range("").kvs()));
            listener.assertNeverConcurrent();
            assertThat(listener.error.get()).isNull();
        }
    }

    @Test
    public void aWatchFromAMidRevisionReplaysHistoryThenGoesLive() {
        for (int i = 1; i <= 10; i++) {
            store.put("/k/" + i, bytes("v" + i));
        }
        RecordingListener listener = new RecordingListener();
        store.watch("/k/", rev(6), listener);
        await().atMost(WAIT).until(() -> listener.lastRevision() == rev(10));
        store.put("/k/11", bytes("v11"));
        await().atMost(WAIT).until(() -> listener.lastRevision() == rev(11));
        assertThat(listener.revisions()).containsExactly(rev(6), rev(7), rev(8), rev(9), rev(10), rev(11));
        assertThat(listener.events().getFirst().kv()).isEqualTo(new KeyValue("/k/6", bytes("v6"), rev(6), rev(6), 1, 0));
    }

    @Test
    public void aWatchFromZeroSeesOnlyLaterChanges() {
        store.put("/k", bytes("before"));
        RecordingListener listener = new RecordingListener();
        store.watch("", 0, listener);
        store.put("/k", bytes("after"));
        await().atMost(WAIT).until(() -> listener.lastRevision() == rev(2));
        assertThat(listener.revisions()).containsExactly(rev(2));
        WatchEvent event = listener.events().getFirst();
        assertThat(event.type()).isEqualTo(WatchEvent.Type.PUT);
        assertThat(event.kv().valueAsString()).isEqualTo("after");
        assertThat(event.prevKv().valueAsString()).isEqualTo("before");
    }

    @Test
    public void aWatchFromAFutureRevisionStartsThere() {
        RecordingListener listener = new RecordingListener();
        store.watch("", rev(3), listener);
        for (int i = 0; i < 4; i++) {
            store.put("/k", bytes("v" + i));
        }
        await().atMost(WAIT).until(() -> listener.lastRevision() == rev(4));
        assertThat(listener.revisions()).containsExactly(rev(3), rev(4));
    }

    @Test
    public void aPrefixWatchSeesOnlyItsKeysAndOnlyThoseEventsOfAMixedTxn() {
        RecordingListener listener = new RecordingListener();
        store.watch("/a/", rev(1), listener);
        store.put("/ab", bytes("not mine"));
        store.put("/a", bytes("not mine either"));
        store.txn(Txn.when().then(Op.put("/a/1", bytes("1")), Op.put("/b/1", bytes("b")), Op.put("/a/2", bytes("2"))));
        store.put("/a/1", bytes("1b"));
        await().atMost(WAIT).until(() -> listener.lastRevision() == rev(4));
        assertThat(listener.revisions()).containsExactly(rev(3), rev(4));
        assertThat(listener.deliveries.getFirst().events()).extracting(e -> e.kv().key()).containsExactly("/a/1", "/a/2");

        // Replayed from history, the same filter applies.
        RecordingListener replay = new RecordingListener();
        store.watch("/a/", rev(1), replay);
        await().atMost(WAIT).until(() -> replay.lastRevision() == rev(4));
        assertThat(replay.deliveries).isEqualTo(listener.deliveries);
    }

    @Test
    public void allEventsOfOneTxnArriveInOneCallWithDeleteEventsShapedLikeEtcd() {
        store.put("/d/1", bytes("one"));
        store.put("/d/2", bytes("two"));
        RecordingListener live = new RecordingListener();
        store.watch("/d/", 0, live);
        store.txn(Txn.when().then(new Op.DeletePrefix("/d/"), Op.put("/e", bytes("x"))));
        await().atMost(WAIT).until(() -> live.lastRevision() == rev(3));
        RecordingListener replayed = new RecordingListener();
        store.watch("/d/", rev(3), replayed);
        await().atMost(WAIT).until(() -> replayed.lastRevision() == rev(3));

        for (RecordingListener listener : List.of(live, replayed)) {
            assertThat(listener.deliveries).hasSize(1);
            List<WatchEvent> events = listener.deliveries.getFirst().events();
            assertThat(events).containsExactly(
                    new WatchEvent(WatchEvent.Type.DELETE, new KeyValue("/d/1", new byte[0], 0, rev(3), 0, 0),
                            new KeyValue("/d/1", bytes("one"), rev(1), rev(1), 1, 0)),
                    new WatchEvent(WatchEvent.Type.DELETE, new KeyValue("/d/2", new byte[0], 0, rev(3), 0, 0),
                            new KeyValue("/d/2", bytes("two"), rev(2), rev(2), 1, 0)));
        }
    }

    @Test
    public void aWatchFromACompactedRevisionEndsWithOnCompacted() {
        for (int i = 0; i < 5; i++) {
            store.put("/k", bytes("v" + i));
        }
        store.compact(rev(3));
        RecordingListener compacted = new RecordingListener();
        store.watch("", rev(2), compacted);
        await().atMost(WAIT).until(() -> compacted.compacted.get() != null);
        assertThat(compacted.compacted.get()).isEqualTo(rev(3));
        assertThat(compacted.deliveries).isEmpty();

        RecordingListener fine = new RecordingListener();
        store.watch("", rev(4), fine);
        await().atMost(WAIT).until(() -> fine.lastRevision() == rev(5));
        assertThat(fine.revisions()).containsExactly(rev(4), rev(5));
        assertThat(fine.compacted.get()).isNull();
    }

    @Test
    public void closeStopsDelivery() throws Exception {
        RecordingListener listener = new RecordingListener();
        Watch watch = store.watch("", 0, listener);
        store.put("/k", bytes("1"));
        await().atMost(WAIT).until(() -> listener.lastRevision() == rev(1));
        watch.close();
        store.put("/k", bytes("2"));
        RecordingListener after = new RecordingListener();
        store.watch("", rev(2), after);
        await().atMost(WAIT).until(() -> after.lastRevision() == rev(2));
        Thread.sleep(100);
        assertThat(listener.revisions()).containsExactly(rev(1));
        assertThat(listener.error.get()).isNull();
    }

    @Test
    public void closeWaitsForACallbackInProgressAndNothingIsDeliveredAfterIt() throws Exception {
        CountDownLatch inCallback = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RecordingListener listener = new RecordingListener() {
            @Override
            protected void afterDelivery(long revision) {
                inCallback.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Watch watch = store.watch("", 0, listener);
        store.put("/k", bytes("1"));
        store.put("/k", bytes("2"));
        assertThat(inCallback.await(10, TimeUnit.SECONDS)).isTrue();
        Thread closer = Thread.ofVirtual().start(watch::close);
        Thread.sleep(100);
        assertThat(closer.isAlive()).as("close waits for the running callback").isTrue();
        release.countDown();
        closer.join(10_000);
        assertThat(closer.isAlive()).isFalse();
        Thread.sleep(100);
        assertThat(listener.revisions()).containsExactly(rev(1));
    }

    @Test
    public void aSlowWatcherDoesNotBlockWritersAndCatchesUpWithoutLoss() throws Exception {
        store = withSmallWatchQueue(store);
        base = store.revision();
        CountDownLatch release = new CountDownLatch(1);
        RecordingListener slow = new RecordingListener() {
            @Override
            protected void afterDelivery(long revision) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        store.watch("/s/", rev(1), slow);
        // The watcher is stuck in its first callback; 300 writes must still complete promptly.
        long start = System.nanoTime();
        for (int i = 0; i < 300; i++) {
            store.put("/s/" + (i % 7), bytes(Integer.toString(i)));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        release.countDown();
        await().atMost(WAIT).until(() -> slow.lastRevision() == rev(300));
        assertThat(slow.revisions()).isEqualTo(LongStream.rangeClosed(rev(1), rev(300)).boxed().toList());
        assertThat(slow.replayedState()).isEqualTo(RecordingListener.asMap(store.range("/s/").kvs()));
        slow.assertNeverConcurrent();
    }

    @Test
    public void aListenerThatThrowsEndsItsWatchWithOnError() {
        RecordingListener failing = new RecordingListener() {
            @Override
            protected void afterDelivery(long revision) {
                throw new IllegalStateException("listener bug");
            }
        };
        store.watch("", 0, failing);
        store.put("/k", bytes("1"));
        store.put("/k", bytes("2"));
        await().atMost(WAIT).until(() -> failing.error.get() != null);
        assertThat(failing.error.get()).hasMessage("listener bug");
        assertThat(failing.revisions()).containsExactly(rev(1));
        // The store and other watches carry on.
        assertThat(store.put("/k", bytes("3")).modRevision()).isEqualTo(rev(3));
    }

    @Test
    public void closingTheStoreEndsEveryWatchWithOnError() {
        RecordingListener a = new RecordingListener();
        RecordingListener b = new RecordingListener();
        store.watch("/a/", 0, a);
        store.watch("", rev(1), b);
        store.put("/a/1", bytes("x"));
        await().atMost(WAIT).until(() -> a.lastRevision() == rev(1) && b.lastRevision() == rev(1));
        store.close();
        await().atMost(WAIT).until(() -> a.error.get() != null && b.error.get() != null);
        assertThat(a.error.get()).isInstanceOf(StoreException.class).hasMessageContaining("closed");
        assertThat(b.error.get()).isInstanceOf(StoreException.class);
    }
}
