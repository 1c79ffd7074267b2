package io.drover.controllers.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyedWorkQueueTest {

    @Test
    void aKeyIsNeverProcessedByTwoWorkersAtOnceAndNoAddIsLost() throws Exception {
        Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> seenVersion = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> latestVersion = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        try (KeyedWorkQueue<String> q = new KeyedWorkQueue<>("test", 6, key -> {
            if (running.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            // What a level-triggered handler does: read the latest state.
            seenVersion.computeIfAbsent(key, k -> new AtomicInteger()).set(latestVersion.get(key).get());
            Thread.onSpinWait();
            running.get(key).decrementAndGet();
        })) {
            for (int i = 0; i < 5000; i++) {
                String key = "k" + (i % 7);
                latestVersion.computeIfAbsent(key, k -> new AtomicInteger()).set(i);
                q.add(key);
            }
            assertThat(q.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(overlaps).hasValue(0);
        // Every key was processed after its last change.
        latestVersion.forEach((key, v) -> assertThat(seenVersion.get(key).get()).as(key).isEqualTo(v.get()));
    }

    @Test
    void keysAddedWhileQueuedAreProcessedOnce() throws Exception {
        CountDownLatch block = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        try (KeyedWorkQueue<String> q = new KeyedWorkQueue<>("test", 1, key -> {
            if (key.equals("blocker")) {
                try {
                    block.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            } else {
                calls.incrementAndGet();
            }
        })) {
            q.add("blocker");
            for (int i = 0; i < 10; i++) {
                q.add("same");
            }
            block.countDown();
            assertThat(q.awaitIdle(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void aFailingKeyIsRetriedWithBackoffUntilItSucceeds() {
        AtomicInteger attempts = new AtomicInteger();
        Set<String> done = ConcurrentHashMap.newKeySet();
        try (KeyedWorkQueue<String> q = new KeyedWorkQueue<>("test", 2, key -> {
            if (attempts.incrementAndGet() < 4) {
                throw new IllegalStateException("not yet");
            }
            done.add(key);
        })) {
            q.add("flaky");
            await().atMost(Duration.ofSeconds(5)).until(() -> done.contains("flaky"));
        }
        assertThat(attempts).hasValue(4);
    }
}
