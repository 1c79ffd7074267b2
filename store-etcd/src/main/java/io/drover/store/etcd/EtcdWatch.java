package io.drover.store.etcd;

import io.drover.store.ListenerGate;
import io.drover.store.StoreException;
import io.drover.store.Watch;
import io.drover.store.WatchEvent;
import io.drover.store.WatchListener;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch on etcd, delivering on its own virtual thread from its own queue, like the embedded store's.
 *
 * <p>jetcd re-creates a broken watch stream by itself, but after the stream's "created" answer it resumes from the
 * revision etcd was at then, so a stream that breaks while replaying history would skip the rest of it. This
 * watch therefore keeps its own position — the last revision it queued — and on any transient failure ends the
 * jetcd watcher and starts a new one from the next revision, dropping what it already has. Events are
 * grouped by revision (etcd never splits a revision between two responses).
 *
 * <p>Compaction: etcd refuses a watch from before its compact revision C, but accepts one from C itself, whose
 * events may be incomplete (compaction drops the deletions made at C). The contract counts C as compacted, so
 * this watch asks etcd for one revision before the one it needs and drops that revision's events: etcd refuses
 * exactly when the needed revision is ≤ C, and the listener hears {@link WatchListener#onCompacted}(C).
 *
 * <p>Memory: when the listener falls {@code queueLimit} revisions behind, the etcd watcher is ended; once the
 * listener has caught up the watch starts again from the next revision (from etcd's history, so nothing is lost
 * unless it is compacted meanwhile, which ends the watch with onCompacted).
 */
final class EtcdWatch implements Watch {
    private static final Logger log = LoggerFactory.getLogger(EtcdWatch.class);
    private static final AtomicLong IDS = new AtomicLong();
    private static final long FIRST_RETRY_MILLIS = 200;
    private static final long MAX_RETRY_MILLIS = 5_000;

    private sealed interface Item {}

    private record Revision(long revision, List<WatchEvent> events) implements Item {}

    /** Everything queued before the pause has been delivered: watch etcd again. */
    private record Resume() implements Item {}

    private record Compacted(long compactRevision) implements Item {}

    private record End(Throwable error) implements Item {}

    private record Closed() implements Item {}

    private final long id = IDS.incrementAndGet();
    private final String prefix;
    private final EtcdKeys.Range range;
    private final ListenerGate gate;
    private final io.etcd.jetcd.Watch watchClient;
    private final EtcdTxns mapping;
    private final ScheduledExecutorService scheduler;
    private final Consumer<EtcdWatch> onEnd;
    private final String endpoints;
    private final int queueLimit;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queuedRevisions = new AtomicInteger();
    /** Guards the fields below, which jetcd's callbacks, retries and close() share. */
    private final Object lock = new Object();

    private volatile Thread thread;
    /** Which jetcd watcher is current: callbacks of an older one are ignored. */
    private long generation;
    private io.etcd.jetcd.Watch.Watcher watcher;
    /** The last revision queued (or, at first, the one before the start): a new etcd watch starts after it. */
    private long received;
    private long retryMillis = FIRST_RETRY_MILLIS;
    private boolean failing;

    EtcdWatch(String prefix, EtcdKeys.Range range, WatchListener listener, io.etcd.jetcd.Watch watchClient,
            EtcdTxns mapping, ScheduledExecutorService scheduler, Consumer<EtcdWatch> onEnd, String endpoints,
            int queueLimit) {
        this.prefix = prefix;
        this.range = range;
        this.gate = new ListenerGate(listener, id + " on '" + prefix + "'");
        this.watchClient = watchClient;
        this.mapping = mapping;
        this.scheduler = scheduler;
        this.onEnd = onEnd;
        this.endpoints = endpoints;
        this.queueLimit = queueLimit;
    }

    /** Starts delivering revisions ≥ {@code fromRevision} (≥ 1). */
    EtcdWatch start(long fromRevision) {
        synchronized (lock) {
            received = fromRevision - 1;
        }
        thread = Thread.ofVirtual().name("drover-etcd-watch-" + id).unstarted(this::run);
        thread.start();
        subscribe();
        return this;
    }

    @Override
    public void close() {
        if (!gate.close(Thread.currentThread() == thread)) {
            return;
        }
        queue.add(new Closed());
        stopWatcher();
        onEnd.accept(this);
    }

    /** Ends the watch with onError after what is already queued (the store is closing). */
    void end(Throwable error) {
        stopWatcher();
        queue.add(new End(error));
    }

    // ---- the etcd side: jetcd's callbacks and the restarts, sharing the lock ----

    /**
     * Starts a jetcd watcher from the revision after the last one queued. jetcd is called outside the lock: it
     * reports errors while holding its own lock, which it shares between all watchers.
     */
    private void subscribe() {
        long generation;
        long start;
        synchronized (lock) {
            if (gate.isClosed()) {
                return;
            }
            generation = ++this.generation;
            // One revision early, so that etcd refuses exactly when the revision needed is compacted (class comment).
            start = Math.max(1, received);
        }
        WatchOption option = WatchOption.builder().withRange(range.end()).withRevision(start).withPrevKV(true).build();
        io.etcd.jetcd.Watch.Watcher started;
        try {
            started = watchClient.watch(range.start(), option, new io.etcd.jetcd.Watch.Listener() {
                @Override
                public void onNext(WatchResponse response) {
                    onResponse(generation, response);
                }

                @Override
                public void onError(Throwable error) {
                    onFailure(generation, error);
                }

                @Override
                public void onCompleted() {
                    onStreamEnd(generation);
                }
            });
        } catch (RuntimeException e) {
            // jetcd refuses new watches once the client is closed.
            synchronized (lock) {
                if (generation == this.generation) {
                    this.generation++;
                    queue.add(new End(new StoreException("cannot watch '" + prefix + "' on etcd at " + endpoints
                            + ": " + e.getMessage(), e)));
                }
            }
            return;
        }
        synchronized (lock) {
            if (generation == this.generation && !gate.isClosed()) {
                watcher = started;
                return;
            }
        }
        closeLater(started); // superseded (failed, paused or closed) while it started
    }

    private void onResponse(long generation, WatchResponse response) {
        synchronized (lock) {
            if (generation != this.generation || gate.isClosed()) {
                return;
            }
            if (failing) {
                failing = false;
                log.info("Watch {} on '{}' is receiving from etcd again, from revision {}", id, prefix, received + 1);
            }
            retryMillis = FIRST_RETRY_MILLIS;
            List<WatchEvent> events = null;
            long revision = 0;
            for (io.etcd.jetcd.watch.WatchEvent e : response.getEvents()) {
                long rev = e.getKeyValue().getModRevision();
                if (rev <= received) {
                    continue; // the revision asked for early, or already queued before a restart
                }
                WatchEvent event = event(e);
                if (event == null) {
                    continue;
                }
                if (rev != revision && events != null) {
                    enqueue(revision, events);
                    events = null;
                }
                if (events == null) {
                    events = new ArrayList<>();
                    revision = rev;
                }
                events.add(event);
            }
            if (events != null) {
                enqueue(revision, events);
            }
            if (queuedRevisions.get() >= queueLimit) {
                log.warn("Watch {} on '{}' fell {} revisions behind; it pauses and continues from etcd's history", id,
                        prefix, queuedRevisions.get());
                this.generation++;
                closeLater(watcher);
                watcher = null;
                queue.add(new Resume());
            }
        }
    }

    private void enqueue(long revision, List<WatchEvent> events) {
        queue.add(new Revision(revision, List.copyOf(events)));
        queuedRevisions.incrementAndGet();
        received = revision;
    }

    private void onFailure(long generation, Throwable error) {
        synchronized (lock) {
            if (generation != this.generation || gate.isClosed()) {
                return;
            }
            this.generation++;
            closeLater(watcher);
            watcher = null;
            if (error instanceof CompactedException compacted) {
                queue.add(new Compacted(compacted.getCompactedRevision()));
                return;
            }
            Status.Code code = error instanceof EtcdException etcd ? Status.Code.valueOf(etcd.getErrorCode().name())
                    : Status.fromThrowable(error).getCode();
            String message = String.valueOf(error.getMessage());
            if (!isTransient(code, message)) {
                queue.add(new End(new StoreException("the watch of '" + prefix + "' on etcd at " + endpoints
                        + " failed: " + message + "; re-list and watch again", error)));
                return;
            }
            if (!failing) {
                failing = true;
                log.warn("Watch {} on '{}' lost etcd at {} ({}); it retries from revision {}", id, prefix, endpoints,
                        message, received + 1);
            }
            retryLater(this.generation);
        }
    }

    /** jetcd ended its watcher (the stream ended) without an error this watch acted on: start again. */
    private void onStreamEnd(long generation) {
        synchronized (lock) {
            if (generation != this.generation || gate.isClosed()) {
                return;
            }
            this.generation++;
            watcher = null;
            retryLater(this.generation);
        }
    }

    private void retryLater(long expectedGeneration) {
        long delay = retryMillis;
        retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
        try {
            scheduler.schedule(() -> {
                synchronized (lock) {
                    if (expectedGeneration != generation) {
                        return;
                    }
                }
                subscribe();
            }, delay, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // The store is closing; its close ends this watch.
        }
    }

    /**
     * Ends a jetcd watcher off jetcd's callback thread: jetcd ends the stream itself after reporting an error,
     * and closing it from inside that report would end it twice.
     */
    private void closeLater(io.etcd.jetcd.Watch.Watcher old) {
        if (old == null) {
            return;
        }
        try {
            scheduler.execute(() -> closeQuietly(old));
        } catch (RuntimeException e) {
            // The store is closing: closing its jetcd client ends every watcher.
        }
    }

    private void stopWatcher() {
        io.etcd.jetcd.Watch.Watcher old;
        synchronized (lock) {
            generation++;
            old = watcher;
            watcher = null;
        }
        closeLater(old);
    }

    private static void closeQuietly(io.etcd.jetcd.Watch.Watcher watcher) {
        try {
            watcher.close();
        } catch (RuntimeException e) {
            log.debug("Closing a jetcd watcher: {}", e.toString());
        }
    }

    private static boolean isTransient(Status.Code code, String message) {
        return switch (code) {
            case UNAVAILABLE, INTERNAL, UNKNOWN, CANCELLED, DEADLINE_EXCEEDED, ABORTED -> true;
            case FAILED_PRECONDITION, OUT_OF_RANGE -> message.contains("leader");
            default -> false;
        };
    }

    private WatchEvent event(io.etcd.jetcd.watch.WatchEvent e) {
        io.etcd.jetcd.KeyValue prevKv = e.getPrevKV();
        // An unset prev_kv reads as an empty one: a key that exists has a mod revision ≥ 1.
        var prev = prevKv == null || prevKv.getModRevision() == 0 ? null : mapping.keyValue(prevKv);
        return switch (e.getEventType()) {
            case PUT -> new WatchEvent(WatchEvent.Type.PUT, mapping.keyValue(e.getKeyValue()), prev);
            case DELETE -> new WatchEvent(WatchEvent.Type.DELETE, mapping.deletedMarker(e.getKeyValue()), prev);
            default -> {
                log.warn("Watch {} on '{}' skips an event of unknown type at revision {}", id, prefix,
                        e.getKeyValue().getModRevision());
                yield null;
            }
        };
    }

    // ---- the listener side: the delivery thread ----

    private void run() {
        try {
            while (!gate.isClosed()) {
                switch (queue.take()) {
                    case Revision revision -> {
                        queuedRevisions.decrementAndGet();
                        deliver(revision);
                    }
                    case Resume _ -> subscribe();
                    case Compacted(long compactRevision) -> {
                        gate.compacted(compactRevision);
                        return;
                    }
                    case End(Throwable error) -> {
                        gate.failed(error);
                        return;
                    }
                    case Closed _ -> {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ListenerGate.ListenerFailure e) {
            log.warn("Watch {} on '{}' ended: its listener threw", id, prefix, e.getCause());
            gate.failed(e.getCause());
        } catch (RuntimeException e) {
            log.debug("Watch {} on '{}' ended: {}", id, prefix, e.toString());
            gate.failed(e);
        } finally {
            stopWatcher();
            onEnd.accept(this);
        }
    }

    private void deliver(Revision revision) {
        gate.deliver(revision.revision(), revision.events());
    }
}
