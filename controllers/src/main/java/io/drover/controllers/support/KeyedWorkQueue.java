package io.drover.controllers.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A work queue of keys, as Kubernetes controllers use: a key queued several times is processed once; a key is
 * never processed by two workers at once (added while it is being processed, it runs again afterwards, so no
 * change is missed); a handler that throws is retried with exponential backoff.
 */
public final class KeyedWorkQueue<K> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KeyedWorkQueue.class);
    private static final long MIN_BACKOFF_MS = 20;
    private static final long MAX_BACKOFF_MS = 10_000;

    private final String name;
    private final Consumer<K> handler;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final Condition idle = lock.newCondition();
    /** Keys waiting for a worker and not being processed, in arrival order. */
    private final LinkedHashSet<K> queue = new LinkedHashSet<>();
    /** Keys that need processing: queued, or added again while being processed. */
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();
    private final Map<K, Integer> failures = new HashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private final ScheduledExecutorService delays;
    private boolean closed;

    public KeyedWorkQueue(String name, int workerCount, Consumer<K> handler) {
        this.name = name;
        this.handler = handler;
        this.delays = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(name + "-delays").daemon().factory());
        for (int i = 0; i < workerCount; i++) {
            workers.add(Thread.ofPlatform().name(name + "-worker-" + i).daemon().start(this::work));
        }
    }

    public void add(K key) {
        lock.lock();
        try {
            if (closed || !dirty.add(key)) {
                return;
            }
            if (!processing.contains(key)) {
                queue.add(key);
                ready.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    public void addAfter(K key, Duration delay) {
        try {
            delays.schedule(() -> add(key), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    /** Waits until no key is queued or being processed (delayed retries not counted); false on timeout. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!dirty.isEmpty() || !processing.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        while (true) {
            K key;
            lock.lock();
            try {
                while (queue.isEmpty() && !closed) {
                    ready.awaitUninterruptibly();
                }
                if (closed) {
                    return;
                }
                key = queue.removeFirst();
                dirty.remove(key);
                processing.add(key);
            } finally {
                lock.unlock();
            }
            Long retryIn = null;
            try {
                handler.accept(key);
            } catch (RuntimeException e) {
                retryIn = failed(key, e);
            }
            lock.lock();
            try {
                processing.remove(key);
                if (retryIn == null) {
                    failures.remove(key);
                }
                if (dirty.contains(key) && !closed) {
                    queue.add(key);
                    ready.signal();
                }
                if (dirty.isEmpty() && processing.isEmpty()) {
                    idle.signalAll();
                }
            } finally {
                lock.unlock();
            }
            if (retryIn != null) {
                addAfter(key, Duration.ofMillis(retryIn));
            }
        }
    }

    private long failed(K key, RuntimeException e) {
        int n;
        lock.lock();
        try {
            n = failures.merge(key, 1, Integer::sum);
        } finally {
            lock.unlock();
        }
        long delay = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(n - 1, 20));
        if (n == 1) {
            log.warn("{}: processing {} failed, retrying in {} ms", name, key, delay, e);
        } else {
            log.warn("{}: processing {} failed (attempt {}), retrying in {} ms: {}", name, key, n, delay, e.toString());
        }
        return delay;
    }

    /** Stops the workers; handlers running now finish first (waited for up to 10 s). */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /** Stops the workers, waiting up to {@code timeout} for handlers running now to finish. */
    public void close(Duration timeout) {
        lock.lock();
        try {
            closed = true;
            ready.signalAll();
            idle.signalAll();
        } finally {
            lock.unlock();
        }
        delays.shutdownNow();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : workers) {
            try {
                long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                t.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
