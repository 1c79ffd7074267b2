package io.drover.store.sqlite;

import static io.drover.store.sqlite.StoreTesting.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.store.contract.RecordingListener;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's own compaction: automatic, by count and age. What every store does on {@code compact}
 * is in {@link io.drover.store.contract.CompactionContractTest}.
 */
class CompactionTest {
    @TempDir
    Path dir;

    @Test
    void automaticCompactionKeepsTheConfiguredNumberOfRevisions() {
        SqliteStoreOptions options = StoreTesting.fastOptions()
                .withHistory(50, Duration.ZERO)
                .withCompactionInterval(Duration.ofMillis(100));
        try (SqliteKeyValueStore store = SqliteKeyValueStore.open(dir, options)) {
            for (int i = 0; i < 200; i++) {
                store.put("/k/" + (i % 10), bytes(Integer.toString(i)));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> store.compactRevision() == 150);
            RecordingListener watcher = new RecordingListener();
            store.watch("", 151, watcher);
            await().atMost(Duration.ofSeconds(5)).until(() -> watcher.lastRevision() == 200);
            assertThat(watcher.deliveries).hasSize(50);
        }
    }

    @Test
    void automaticCompactionKeepsRecentRevisionsEvenBeyondTheCount() throws Exception {
        SqliteStoreOptions options = StoreTesting.fastOptions()
                .withHistory(10, Duration.ofMinutes(10))
                .withCompactionInterval(Duration.ofMillis(50));
        try (SqliteKeyValueStore store = SqliteKeyValueStore.open(dir, options)) {
            for (int i = 0; i < 100; i++) {
                store.put("/k", bytes(Integer.toString(i)));
            }
            Thread.sleep(300);
            assertThat(store.compactRevision()).isZero();
        }
    }

    @Test
    void theCompactorDropsOnlyWhatBothTheCountAndTheAgeRuleAllow() {
        long[] now = {1_000_000};
        long[] revision = {30};
        long[] compacted = {0};
        HistoryCompactor compactor = new HistoryCompactor(() -> revision[0], () -> compacted[0],
                target -> compacted[0] = target, 10, 60_000, () -> now[0]);
        assertThat(compactor.target()).as("nothing is a minute old yet").isZero();

        revision[0] = 50;
        now[0] += 61_000;
        // Revisions up to 30 (current when the compactor started) are over a minute old; by count alone, 40.
        assertThat(compactor.target()).isEqualTo(30);
        now[0] += 61_000;
        assertThat(compactor.target()).isEqualTo(40);

        revision[0] = 50 + 3 * HistoryCompactor.STEP;
        compactor.target(); // samples the new revision
        now[0] += 61_000;
        compactor.run();
        // A backlog is compacted in steps, all in one round.
        assertThat(compacted[0]).isEqualTo(50 + 3 * HistoryCompactor.STEP - 10);
    }
}
