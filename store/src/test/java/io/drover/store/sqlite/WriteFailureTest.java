package io.drover.store.sqlite;

import static io.drover.store.sqlite.StoreTesting.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.store.KeyValue;
import io.drover.store.Op;
import io.drover.store.StoreException;
import io.drover.store.Txn;
import io.drover.store.contract.ContractSupport;
import io.drover.store.contract.RecordingListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full disk, simulated with the store's quota (SQLite's max_page_count fails writes as SQLITE_FULL). */
class WriteFailureTest {
    @TempDir
    Path dir;

    @Test
    void whenTheDiskIsFullFailedBatchesLeaveNoTraceAndAcknowledgedOnesStay() throws Exception {
        SqliteStoreOptions options = StoreTesting.fastOptions().withQuotaBytes(256 * 1024);
        try (SqliteKeyValueStore store = SqliteKeyValueStore.open(dir, options)) {
            RecordingListener watcher = new RecordingListener();
            store.watch("", 1, watcher);
            Map<String, KeyValue> acknowledged = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();
            byte[] value = new byte[3000];
            Arrays.fill(value, (byte) 'v');
            ContractSupport.runConcurrently(12, t -> {
                int failures = 0;
                for (int i = 0; i < 400 && failures < 5; i++) {
                    String key = "/fill/" + t + "/" + i;
                    try {
                        acknowledged.put(key, store.put(key, value));
                    } catch (StoreException e) {
                        failures++;
                        failed.add(key);
                        messages.add(e.getMessage());
                    }
                }
            });
            assertThat(failed).as("the quota was reached").isNotEmpty();
            assertThat(messages).allMatch(m -> m.startsWith("write failed, nothing was stored: the disk or the store's quota is full"));

            // Acknowledged writes are all there, failed ones are not, and the revisions have no holes.
            Map<String, String> stored = RecordingListener.asMap(store.range("/fill/").kvs());
            assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(acknowledged.keySet());
            assertThat(failed).noneMatch(stored::containsKey);
            assertThat(store.revision()).isEqualTo(acknowledged.size());
            assertThat(acknowledged.values().stream().map(KeyValue::modRevision).sorted().toList())
                    .isEqualTo(LongStream.rangeClosed(1, acknowledged.size()).boxed().toList());
            await().atMost(Duration.ofSeconds(10)).until(() -> watcher.lastRevision() == store.revision());
            assertThat(watcher.revisions()).hasSize(acknowledged.size());
            assertThat(watcher.replayedState().keySet()).isEqualTo(stored.keySet());

            // Freeing space (history, then keys) lets writes succeed again.
            store.compact(store.revision());
            store.txn(Txn.when().then(new Op.DeletePrefix("/fill/")));
            assertThat(store.put("/after", bytes("ok")).modRevision()).isEqualTo(acknowledged.size() + 2);
        }
    }
}
