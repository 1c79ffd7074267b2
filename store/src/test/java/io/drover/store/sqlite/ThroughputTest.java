package io.drover.store.sqlite;

import static io.drover.store.sqlite.StoreTesting.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.store.KeyValue;
import io.drover.store.contract.ContractSupport;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures group commit: 16 threads each doing compare-and-swap on their own key. Prints the rate only; a
 * timing assertion would fail on a busy machine without telling anything about correctness.
 */
class ThroughputTest {
    private static final int THREADS = 16;

    @TempDir
    Path dir;

    @Test
    void measuresSingleKeyCasTransactionsPerSecond() throws Exception {
        try (SqliteKeyValueStore store = SqliteKeyValueStore.open(dir)) {
            run(store, 500_000_000L, new AtomicLong()); // warm up the JIT and the database file
            AtomicLong txns = new AtomicLong();
            long start = System.nanoTime();
            run(store, 2_000_000_000L, txns);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("SqliteKeyValueStore throughput: %.0f single-key CAS txn/s (%d threads, %d txns in %.2f s)%n",
                    txns.get() / seconds, THREADS, txns.get(), seconds);
            assertThat(txns.get()).isPositive();
        }
    }

    private static void run(SqliteKeyValueStore store, long nanos, AtomicLong txns) throws Exception {
        long deadline = System.nanoTime() + nanos;
        ContractSupport.runConcurrently(THREADS, t -> {
            String key = "/bench/" + t;
            long modRevision = store.get(key).map(KeyValue::modRevision).orElse(0L);
            long n = 0;
            while (System.nanoTime() < deadline) {
                KeyValue kv = store.putIf(key, bytes(Long.toString(n)), modRevision).orElseThrow();
                modRevision = kv.modRevision();
                n++;
            }
            txns.addAndGet(n);
        });
    }
}
