package io.drover.controllers.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CombinerTest {

    @Test
    void aLoneRequestIsProcessedOnTheCallersThread() {
        List<String> threads = new ArrayList<>();
        Combiner<Integer, Integer> c = new Combiner<>(batch -> {
            threads.add(Thread.currentThread().getName());
            return batch.stream().map(i -> i * 2).toList();
        }, i -> i, 8);
        assertThat(c.submit(21)).isEqualTo(42);
        assertThat(threads).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void concurrentRequestsShareBatchesAndEachGetsItsOwnResult() throws Exception {
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstBatchStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Combiner<Integer, Integer> c = new Combiner<>(batch -> {
            batchSizes.add(batch.size());
            firstBatchStarted.countDown();
            try {
                release.await(); // hold the first batch until the others have queued up
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return batch.stream().map(i -> i + 1000).toList();
        }, i -> i, 4);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        Future<Integer> first = pool.submit(() -> c.submit(0));
        firstBatchStarted.await();
        List<Future<Integer>> rest = new ArrayList<>();
        for (int i = 1; i < 10; i++) {
            int n = i;
            rest.add(pool.submit(() -> c.submit(n)));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> c.waiting() == 9);
        release.countDown();
        assertThat(first.get()).isEqualTo(1000);
        for (int i = 1; i < 10; i++) {
            assertThat(rest.get(i - 1).get()).isEqualTo(1000 + i);
        }
        pool.shutdown();
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
        assertThat(batchSizes).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(4));
        // The first batch ran alone; the nine that queued behind it went in batches of four, four and one.
        assertThat(batchSizes).containsExactly(1, 4, 4, 1);
    }

    @Test
    void requestsWithTheSameKeyNeverShareABatch() throws Exception {
        AtomicInteger violations = new AtomicInteger();
        Combiner<String, String> c = new Combiner<>(batch -> {
            Set<String> keys = new HashSet<>();
            for (String s : batch) {
                if (!keys.add(s.substring(0, 1))) {
                    violations.incrementAndGet();
                }
            }
            return batch;
        }, s -> s.substring(0, 1), 16);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String>> futures = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String request = (char) ('a' + i % 3) + "-" + i;
            futures.add(pool.submit(() -> c.submit(request)));
        }
        for (int i = 0; i < futures.size(); i++) {
            assertThat(futures.get(i).get()).isEqualTo((char) ('a' + i % 3) + "-" + i);
        }
        pool.shutdown();
        assertThat(violations).hasValue(0);
    }

    @Test
    void aFailingBatchFailsEachOfItsRequestsWithTheSameException() {
        Combiner<Integer, Integer> c = new Combiner<>(batch -> {
            throw new IllegalStateException("store unreachable");
        }, i -> i, 4);
        assertThatThrownBy(() -> c.submit(1)).isInstanceOf(IllegalStateException.class).hasMessage("store unreachable");
        // The combiner is still usable afterwards.
        Combiner<Integer, Integer> ok = new Combiner<>(batch -> batch, i -> i, 4);
        assertThat(ok.submit(5)).isEqualTo(5);
    }
}
