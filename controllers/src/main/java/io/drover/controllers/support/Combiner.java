package io.drover.controllers.support;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Flat combining: callers of {@link #submit} queue their request; whichever of them holds the lock takes
 * everything queued (up to a limit) and processes it as one batch, for all of them. Under load, one store
 * transaction then serves many requests instead of each paying its own (and, writing the same block, failing
 * each other's compare-and-swap). Without load a request is a batch of one, with no hand-off to another thread.
 *
 * <p>Two requests with the same key never share a batch: the later one waits for the next.
 */
public final class Combiner<T, R> {

    /** Processes a batch; returns one result per request, in order. Throwing fails the whole batch. */
    @FunctionalInterface
    public interface Processor<T, R> {
        List<R> process(List<T> batch);
    }

    private record Pending<T, R>(T request, CompletableFuture<R> result) {}

    private final ConcurrentLinkedDeque<Pending<T, R>> queue = new ConcurrentLinkedDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Processor<T, R> processor;
    private final Function<T, Object> keyOf;
    private final int maxBatch;

    public Combiner(Processor<T, R> processor, Function<T, Object> keyOf, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
        this.processor = processor;
        this.keyOf = keyOf;
        this.maxBatch = maxBatch;
    }

    /** Processes {@code request} (possibly with others) and returns its result; rethrows what processing threw. */
    public R submit(T request) {
        Pending<T, R> mine = new Pending<>(request, new CompletableFuture<>());
        queue.add(mine);
        while (!mine.result().isDone()) {
            lock.lock();
            try {
                if (!mine.result().isDone()) {
                    runBatch();
                }
            } finally {
                lock.unlock();
            }
        }
        try {
            return mine.result().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Requests waiting for a batch (not those being processed). */
    int waiting() {
        return queue.size();
    }

    private void runBatch() {
        List<Pending<T, R>> batch = new ArrayList<>();
        List<Pending<T, R>> deferred = new ArrayList<>();
        Set<Object> keys = new HashSet<>();
        Pending<T, R> next;
        while (batch.size() < maxBatch && (next = queue.poll()) != null) {
            (keys.add(keyOf.apply(next.request())) ? batch : deferred).add(next);
        }
        for (Pending<T, R> d : deferred.reversed()) {
            queue.addFirst(d);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            List<R> results = processor.process(batch.stream().map(Pending::request).toList());
            if (results.size() != batch.size()) {
                throw new IllegalStateException("processor returned " + results.size() + " results for " + batch.size() + " requests");
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        } catch (Throwable t) {
            for (Pending<T, R> p : batch) {
                p.result().completeExceptionally(t);
            }
        }
    }
}
