package io.drover.store.sqlite;

import static io.drover.store.sqlite.StoreTesting.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.store.KeyValue;
import io.drover.store.Op;
import io.drover.store.StoreException;
import io.drover.store.Txn;
import io.drover.store.contract.RecordingListener;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DurabilityTest {
    @TempDir
    Path dir;

    @Test
    void reopeningKeepsKeysRevisionHistoryCompactionAndLeases() throws Exception {
        long lease;
        long shortLease;
        List<KeyValue> before;
        try (SqliteKeyValueStore store = SqliteKeyValueStore.open(dir, StoreTesting.fastOptions())) {
            for (int i = 0; i < 20; i++) {
                store.put("/d/" + (i % 5), bytes("v" + i));
            }
            store.txn(Txn.when().then(Op.delete("/d/4")));
            store.compact(10);
            lease = store.grantLease(Duration.ofMinutes(10));
            shortLease = store.grantLease(Duration.ofSeconds(1));
            store.txn(Txn.when().then(new Op.Put("/leased", bytes("x"), lease),
                    new Op.Put("/short", bytes("y"), shortLease)));
            before = store.range("").kvs();
            assertThat(store.revision()).isEqualTo(22);
        }

        try (SqliteKeyValueStore store = SqliteKeyValueStore.open(dir, StoreTesting.fastOptions())) {
            assertThat(store.revision()).isEqualTo(22);
            assertThat(store.compactRevision()).isEqualTo(10);
            assertThat(store.range("").kvs()).isEqualTo(before);
            assertThat(store.put("/next", bytes("z")).modRevision()).isEqualTo(23);

            RecordingListener history = new RecordingListener();
            store.watch("", 11, history);
            await().atMost(Duration.ofSeconds(5)).until(() -> history.lastRevision() == 23);
            assertThat(history.revisions()).isEqualTo(LongStream.rangeClosed(11, 23).boxed().toList());
            RecordingListener compacted = new RecordingListener();
            store.watch("", 10, compacted);
            await().atMost(Duration.ofSeconds(5)).until(() -> compacted.compacted.get() != null);

            store.keepAlive(lease);
            long newLease = store.grantLease(Duration.ofMinutes(1));
            assertThat(newLease).isNotIn(lease, shortLease);
            // The short lease got a fresh TTL at open and then expires as usual.
            await().atMost(Duration.ofSeconds(5)).until(() -> store.get("/short").isEmpty());
            store.revokeLease(lease);
            assertThat(store.get("/leased")).isEmpty();
        }
    }

    @Test
    void theDirectoryIsHeldByOneStoreAtATimeAndReleasedOnClose() {
        SqliteKeyValueStore first = SqliteKeyValueStore.open(dir);
        try {
            assertThatThrownBy(() -> SqliteKeyValueStore.open(dir)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("already open in this process");
        } finally {
            first.close();
        }
        SqliteKeyValueStore.open(dir).close();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyAcknowledgedWriteSurvivesKillDashNine() throws Exception {
        Path data = dir.resolve("data");
        Path childErr = dir.resolve("child.err");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                CrashWriterMain.class.getName(), data.toString(), "4")
                .redirectError(childErr.toFile())
                .start();
        List<String> acknowledged = new ArrayList<>();
        try (BufferedReader out = child.inputReader()) {
            String line;
            while (acknowledged.size() < 2000 && (line = out.readLine()) != null) {
                acknowledged.add(line);
                if (acknowledged.size() == 1) {
                    // While the child runs, the directory is locked against other processes.
                    assertThatThrownBy(() -> SqliteKeyValueStore.open(data)).isInstanceOf(StoreException.class)
                            .hasMessageContaining("in use by another process (pid " + child.pid());
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledged).as("acknowledgements before the kill; child stderr:%n%s",
                Files.exists(childErr) ? Files.readString(childErr) : "").hasSize(2000);
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);

        try (SqliteKeyValueStore store = SqliteKeyValueStore.open(data)) {
            List<String> missing = acknowledged.stream().filter(key -> store.get(key).isEmpty()).toList();
            assertThat(missing).as("acknowledged keys lost by the crash").isEmpty();
            for (String key : acknowledged.subList(0, 50)) {
                assertThat(store.get(key).orElseThrow().valueAsString()).isEqualTo(key + "=value");
            }
            long stored = store.range("/crash/").kvs().size();
            assertThat(store.revision()).isEqualTo(stored).isGreaterThanOrEqualTo(2000);
            // History survived too, without gaps.
            RecordingListener watcher = new RecordingListener();
            store.watch("", 1, watcher);
            await().atMost(Duration.ofSeconds(10)).until(() -> watcher.lastRevision() == store.revision());
            assertThat(watcher.deliveries).hasSize((int) stored);
        }
    }
}
