package io.drover.store.sqlite;

import static io.drover.store.sqlite.StoreTesting.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.store.Compare;
import io.drover.store.KeyValue;
import io.drover.store.Op;
import io.drover.store.StoreException;
import io.drover.store.Txn;
import io.drover.store.TxnResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ConcurrencyTest extends WithOpenStore {
    @Test
    void concurrentCompareAndSwapIncrementsLoseNoUpdate() throws Exception {
        store.put("/counter", bytes("0"));
        int threads = 8;
        int incrementsEach = 500;
        AtomicInteger conflicts = new AtomicInteger();
        runConcurrently(threads, t -> {
            for (int i = 0; i < incrementsEach; i++) {
                while (true) {
                    KeyValue current = store.get("/counter").orElseThrow();
                    long next = Long.parseLong(current.valueAsString()) + 1;
                    if (store.putIf("/counter", bytes(Long.toString(next)), current.modRevision()).isPresent()) {
                        break;
                    }
                    conflicts.incrementAndGet();
                }
            }
        });
        KeyValue counter = store.get("/counter").orElseThrow();
        assertThat(counter.valueAsString()).isEqualTo("4000");
        assertThat(counter.version()).isEqualTo(4001);
        // Failed compares write nothing, so each successful increment is exactly one revision.
        assertThat(store.revision()).isEqualTo(4001);
        System.out.println("CAS increments: 4000, conflicts retried: " + conflicts.get());
    }

    @Test
    void concurrentWritersGetDistinctContiguousRevisions() throws Exception {
        int threads = 16;
        int writesEach = 100;
        ConcurrentLinkedQueue<TxnResult> results = new ConcurrentLinkedQueue<>();
        runConcurrently(threads, t -> {
            for (int i = 0; i < writesEach; i++) {
                results.add(store.txn(Txn.when(Compare.absent("/w/" + t + "/" + i))
                        .then(Op.put("/w/" + t + "/" + i, bytes(t + ":" + i)))));
            }
        });
        assertThat(results).allMatch(TxnResult::succeeded);
        assertThat(results.stream().map(TxnResult::revision).sorted().toList())
                .isEqualTo(LongStream.rangeClosed(1, threads * writesEach).boxed().toList());
        assertThat(store.range("/w/").kvs()).hasSize(threads * writesEach);
        for (TxnResult r : results) {
            KeyValue kv = r.results().getFirst();
            assertThat(store.get(kv.key())).contains(kv);
        }
    }

    @Test
    void aReadRightAfterAWriteReturnsSeesThatWrite() throws Exception {
        ConcurrentLinkedQueue<String> stale = new ConcurrentLinkedQueue<>();
        runConcurrently(8, t -> {
            for (int i = 0; i < 150; i++) {
                String key = "/ryw/" + t;
                KeyValue written = store.put(key, bytes(Integer.toString(i)));
                Optional<KeyValue> read = store.get(key);
                if (!read.equals(Optional.of(written))) {
                    stale.add(key + " wrote " + written + " read " + read);
                }
                if (store.revision() < written.modRevision()) {
                    stale.add("revision() behind " + written.modRevision());
                }
                if (store.range(key).revision() < written.modRevision()) {
                    stale.add("range revision behind " + written.modRevision());
                }
            }
        });
        assertThat(stale).isEmpty();
    }

    @Test
    void aRefusedTxnInABatchDoesNotFailTheOthers() throws Exception {
        // Puts with a lease that does not exist are refused; the valid txns queued with them still commit.
        ConcurrentLinkedQueue<String> committed = new ConcurrentLinkedQueue<>();
        AtomicInteger refused = new AtomicInteger();
        runConcurrently(8, t -> {
            for (int i = 0; i < 50; i++) {
                String key = "/mix/" + t + "/" + i;
                if (i % 2 == 0) {
                    store.put(key, bytes("ok"));
                    committed.add(key);
                } else {
                    try {
                        store.txn(Txn.when().then(new Op.Put(key, bytes("bad"), 424242)));
                    } catch (StoreException e) {
                        refused.incrementAndGet();
                    }
                }
            }
        });
        assertThat(refused.get()).isEqualTo(200);
        assertThat(store.range("/mix/").kvs()).extracting(KeyValue::key).containsExactlyInAnyOrderElementsOf(committed);
        assertThat(store.revision()).isEqualTo(200);
    }

    interface Work {
        void run(int thread) throws Exception;
    }

    static void runConcurrently(int threads, Work work) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    work.run(thread);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
    }
}
