package io.drover.store.etcd;

import static io.drover.store.contract.ContractSupport.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.store.KeyValueStore;
import io.drover.store.contract.RecordingListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A watch that had to stop receiving (its listener was slow) and whose history was compacted meanwhile. */
class EtcdWatchResumeTest {
    @RegisterExtension
    static final EtcdForTests etcd = new EtcdForTests();

    @Test
    void aPausedWatchWhoseHistoryIsCompactedMeanwhileEndsWithOnCompactedAfterWhatItHad() throws Exception {
        // With room for one revision, the watch pauses at its first event and must resume from history later.
        KeyValueStore store = etcd.newStore(etcd.options().withNamespace(etcd.namespace()).withWatchQueueLimit(1));
        long base = store.revision();
        CountDownLatch inCallback = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RecordingListener slow = new RecordingListener() {
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
        store.watch("/p/", base + 1, slow);
        store.put("/p/0", bytes("0"));
        // The listener is stuck on the first revision: the watch receives at most one more, then pauses.
        assertThat(inCallback.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i < 50; i++) {
            store.put("/p/" + (i % 5), bytes(Integer.toString(i)));
        }
        store.compact(base + 50);
        release.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> slow.compacted.get() != null);
        assertThat(slow.compacted.get()).isEqualTo(base + 50);
        List<Long> delivered = slow.revisions();
        assertThat(delivered).isNotEmpty().isEqualTo(LongStream.rangeClosed(base + 1, base + delivered.size()).boxed().toList());
        assertThat(delivered.getLast()).isLessThanOrEqualTo(base + 2);
        assertThat(slow.error.get()).isNull();
        slow.assertNeverConcurrent();

        // Told to, the watcher re-lists and watches from the list's revision: it misses nothing after that.
        var list = store.range("/p/");
        assertThat(list.kvs()).hasSize(5);
        RecordingListener again = new RecordingListener();
        store.watch("/p/", list.revision() + 1, again);
        store.put("/p/new", bytes("x"));
        await().atMost(Duration.ofSeconds(10)).until(() -> again.lastRevision() == base + 51);
        assertThat(again.revisions()).containsExactly(base + 51);
    }
}
