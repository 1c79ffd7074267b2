package io.drover.store.sqlite;

import static io.drover.store.sqlite.StoreTesting.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.store.CompactedException;
import io.drover.store.StoreException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactionTest {
    @TempDir
    Path dir;

    @Test
    void compactDropsHistoryUpToTheRevisionButKeepsCurrentKeys() {
        try (SqliteKeyValueStore store = SqliteKeyValueStore.open(dir, StoreTesting.fastOptions())) {
            for (int i = 1; i <= 10; i++) {
                store.put("/k/" + (i % 3), bytes("v" + i));
            }
            store.compact(7);
            assertThat(store.compactRevision()).isEqualTo(7);
            assertThat(store.range("/k/").kvs()).hasSize(3);

            RecordingListener tooOld = new RecordingListener();
            store.watch("/k/", 7, tooOld);
            await().atMost(Duration.ofSeconds(5)).until(() -> tooOld.compacted.get() != null);
            assertThat(tooOld.compacted.get()).isEqualTo(7);

            RecordingListener oldest = new RecordingListener();
            store.watch("/k/", 8, oldest);
            await().atMost(Duration.ofSeconds(5)).until(() -> oldest.lastRevision() == 10);
            assertThat(oldest.revisions()).containsExactly(8L, 9L, 10L);
        }
    }

    @Test
    void compactRefusesRevisionsAlreadyCompactedOrNotYetWritten() {
        try (SqliteKeyValueStore store = SqliteKeyValueStore.open(dir, StoreTesting.fastOptions())) {
            for (int i = 0; i < 5; i++) {
                store.put("/k", bytes("v"));
            }
            store.compact(3);
            assertThatThrownBy(() -> store.compact(3)).isInstanceOf(CompactedException.class)
                    .satisfies(e -> assertThat(((CompactedException) e).compactRevision()).isEqualTo(3));
            assertThatThrownBy(() -> store.compact(6)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("only at revision 5");
            store.compact(5);
            assertThat(store.compactRevision()).isEqualTo(5);
            // Everything is compacted, yet watching from the next revision works.
            RecordingListener next = new RecordingListener();
            store.watch("", 6, next);
            store.put("/k", bytes("w"));
            await().atMost(Duration.ofSeconds(5)).until(() -> next.lastRevision() == 6);
        }
    }

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
