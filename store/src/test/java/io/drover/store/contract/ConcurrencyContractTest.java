package io.drover.store.contract;

import static io.drover.store.contract.ContractSupport.bytes;
import static io.drover.store.contract.ContractSupport.runConcurrently;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.store.Compare;
import io.drover.store.KeyValue;
import io.drover.store.Op;
import io.drover.store.StoreException;
import io.drover.store.Txn;
import io.drover.store.TxnResult;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Concurrent callers: compare-and-swap loses no update, revisions stay contiguous, reads see acknowledged writes. */
public abstract class ConcurrencyContractTest extends StoreContractTest {

    /**
     * How many operations each thread of these tests runs, from the embedded store's numbers: a store that is
     * slower per call (a network round trip and a Raft commit each) scales them down to keep the suite quick.
     */
    protected int perThread(int embeddedCount) {
        return embeddedCount;
    }

    @Test
    public void concurrentCompareAndSwapIncrementsLoseNoUpdate() throws Exception {
        store.put("/counter", bytes("0"));
        int threads = 8;
        int incrementsEach = perThread(500);
        int total = threads * incrementsEach;
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
        assertThat(counter.valueAsString()).isEqualTo(Integer.toString(total));
        assertThat(counter.version()).isEqualTo(total + 1);
        // Failed compares write nothing, so each successful increment is exactly one revision.
        assertThat(store.revision()).isEqualTo(rev(total + 1));
        System.out.println("CAS increments: " + total + ", conflicts retried: " + conflicts.get());
    }

    @Test
    public void concurrentWritersGetDistinctContiguousRevisions() throws Exception {
        int threads = 16;
        int writesEach = perThread(100);
        ConcurrentLinkedQueue<TxnResult> results = new ConcurrentLinkedQueue<>();
        runConcurrently(threads, t -> {
            for (int i = 0; i < writesEach; i++) {
                results.add(store.txn(Txn.when(Compare.absent("/w/" + t + "/" + i))
                        .then(Op.put("/w/" + t + "/" + i, bytes(t + ":" + i)))));
            }
        });
        assertThat(results).allMatch(TxnResult::succeeded);
        assertThat(results.stream().map(TxnResult::revision).sorted().toList())
                .isEqualTo(LongStream.rangeClosed(rev(1), rev(threads * writesEach)).boxed().toList());
        assertThat(store.range("/w/").kvs()).hasSize(threads * writesEach);
        for (TxnResult r : results) {
            KeyValue kv = r.results().getFirst();
            assertThat(store.get(kv.key())).contains(kv);
        }
    }

    @Test
    public void aReadRightAfterAWriteReturnsSeesThatWrite() throws Exception {
        ConcurrentLinkedQueue<String> stale = new ConcurrentLinkedQueue<>();
        int writesEach = perThread(150);
        runConcurrently(8, t -> {
            for (int i = 0; i < writesEach; i++) {
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
    public void aRefusedTxnInABatchDoesNotFailTheOthers() throws Exception {
        // Puts with a lease that does not exist are refused; the valid txns running with them still commit.
        ConcurrentLinkedQueue<String> committed = new ConcurrentLinkedQueue<>();
        AtomicInteger refused = new AtomicInteger();
        int opsEach = 2 * Math.max(1, perThread(50) / 2);
        runConcurrently(8, t -> {
            for (int i = 0; i < opsEach; i++) {
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
        assertThat(refused.get()).isEqualTo(8 * opsEach / 2);
        assertThat(store.range("/mix/").kvs()).extracting(KeyValue::key).containsExactlyInAnyOrderElementsOf(committed);
        assertThat(store.revision()).isEqualTo(rev(8 * opsEach / 2));
    }
}
