package io.drover.store.sqlite;

import io.drover.store.Watch;
import io.drover.store.WatchEvent;
import io.drover.store.WatchListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch: its own queue and its own virtual thread, so a slow listener delays only itself. The thread
 * first replays history, then delivers what the writer queued. When the queue passes its limit the writer
 * stops queueing for this watch and leaves a marker; the thread then catches up from history and attaches
 * again, so memory stays bounded and nothing is lost unless history is compacted meanwhile.
 */
final class WatchStream implements Watch {
    private static final Logger log = LoggerFactory.getLogger(WatchStream.class);
    private static final AtomicLong IDS = new AtomicLong();
    /** Revisions read from history per query: bounds memory while replaying a long history. */
    private static final int REPLAY_PAGE = 256;

    /** What the queue carries besides revisions. */
    private sealed interface Signal {}

    private record FellBehind() implements Signal {}

    private record Closed() implements Signal {}

    private record End(Throwable error) implements Signal {}

    private final long id = IDS.incrementAndGet();
    private final String prefix;
    private final WatchListener listener;
    private final WatchHub hub;
    private final StoreReader reader;
    private final LongSupplier compactRevision;
    private final int queueLimit;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    /** Held while the listener runs, so close() can wait for a callback in progress. */
    private final ReentrantLock delivery = new ReentrantLock();

    /** Written only under the hub's lock (see {@link #offer}, {@link #resumeQueueing}). */
    private boolean queueing;
    private volatile boolean closed;
    private volatile Thread thread;
    /** The first revision not yet delivered; owned by the delivery thread. */
    private long nextRevision;

    WatchStream(String prefix, WatchListener listener, WatchHub hub, StoreReader reader, LongSupplier compactRevision,
            int queueLimit) {
        this.prefix = prefix;
        this.listener = listener;
        this.hub = hub;
        this.reader = reader;
        this.compactRevision = compactRevision;
        this.queueLimit = queueLimit;
    }

    /** Attaches to the hub now (so no later commit is missed) and starts delivering on a new virtual thread. */
    WatchStream start(long fromRevision) {
        long lastInHistory = hub.attach(this);
        long first = fromRevision == 0 ? lastInHistory + 1 : fromRevision;
        thread = Thread.ofVirtual().name("drover-watch-" + id).unstarted(() -> run(first, lastInHistory));
        thread.start();
        return this;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(new Closed());
        if (Thread.currentThread() != thread) {
            // Wait out a callback in progress: after close returns, the listener is not called again.
            delivery.lock();
            delivery.unlock();
        }
        hub.detach(this);
    }

    /** Called by the writer, under the hub's lock, with one batch's revisions in order. */
    void offer(List<RevisionEvents> revisions) {
        if (!queueing) {
            return;
        }
        for (RevisionEvents revision : revisions) {
            RevisionEvents mine = matching(revision);
            if (mine == null) {
                continue;
            }
            if (queue.size() >= queueLimit) {
                queueing = false;
                queue.removeIf(item -> item instanceof RevisionEvents);
                queue.add(new FellBehind());
                log.warn("Watch {} on '{}' fell {} revisions behind; it continues from history", id, prefix,
                        queueLimit);
                return;
            }
            queue.add(mine);
        }
    }

    /** Called under the hub's lock when (re)attaching. */
    void resumeQueueing() {
        queueing = true;
    }

    /** Ends the watch with onError after what is already queued. */
    void end(Throwable error) {
        queue.add(new End(error));
    }

    private void run(long first, long lastInHistory) {
        nextRevision = first;
        try {
            long compacted = compactRevision.getAsLong();
            if (first <= compacted) {
                notifyCompacted(compacted);
                return;
            }
            if (!catchUp(lastInHistory)) {
                return;
            }
            while (!closed) {
                switch (queue.take()) {
                    case RevisionEvents revision -> deliver(revision);
                    case FellBehind _ -> {
                        if (!catchUp(hub.attach(this))) {
                            return;
                        }
                    }
                    case End(Throwable error) -> {
                        notifyError(error);
                        return;
                    }
                    case Closed _ -> {
                        return;
                    }
                    default -> throw new IllegalStateException("unexpected item in the watch queue");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ListenerFailure e) {
            log.warn("Watch {} on '{}' ended: its listener threw", id, prefix, e.getCause());
            notifyError(e.getCause());
        } catch (RuntimeException e) {
            log.debug("Watch {} on '{}' ended: {}", id, prefix, e.toString());
            notifyError(e);
        } finally {
            hub.detach(this);
        }
    }

    /** Replays history up to {@code lastInHistory}; false when the watch ended (compacted or closed). */
    private boolean catchUp(long lastInHistory) {
        while (nextRevision <= lastInHistory && !closed) {
            long pageEnd = Math.min(lastInHistory, nextRevision + REPLAY_PAGE - 1);
            StoreReader.HistoryPage page = reader.history(prefix, nextRevision, pageEnd);
            if (page.compactRevision() >= nextRevision) {
                notifyCompacted(page.compactRevision());
                return false;
            }
            for (RevisionEvents revision : page.revisions()) {
                deliver(revision);
            }
            nextRevision = Math.max(nextRevision, pageEnd + 1);
        }
        return !closed;
    }

    private void deliver(RevisionEvents revision) {
        if (revision.revision() < nextRevision) {
            return;
        }
        delivery.lock();
        try {
            if (closed) {
                return;
            }
            listener.onEvents(revision.revision(), revision.events());
        } catch (RuntimeException e) {
            throw new ListenerFailure(e);
        } finally {
            delivery.unlock();
        }
        nextRevision = revision.revision() + 1;
    }

    private void notifyCompacted(long compactRevision) {
        end("onCompacted", () -> listener.onCompacted(compactRevision));
    }

    private void notifyError(Throwable error) {
        end("onError", () -> listener.onError(error));
    }

    /**
     * Ends the watch with its last callback, unless it has ended already (the listener hears of the end once).
     * Nothing follows that callback, so a throw from it is only logged.
     */
    private void end(String callbackName, Runnable lastCallback) {
        delivery.lock();
        try {
            if (!closed) {
                closed = true;
                lastCallback.run();
            }
        } catch (RuntimeException e) {
            log.warn("The listener of watch {} threw from {}", id, callbackName, e);
        } finally {
            delivery.unlock();
        }
    }

    /** The events of {@code revision} under this watch's prefix, or null when there are none. */
    private RevisionEvents matching(RevisionEvents revision) {
        if (prefix.isEmpty()) {
            return revision;
        }
        List<WatchEvent> mine = null;
        List<WatchEvent> events = revision.events();
        for (int i = 0; i < events.size(); i++) {
            WatchEvent event = events.get(i);
            if (event.kv().key().startsWith(prefix)) {
                if (mine == null) {
                    mine = new ArrayList<>(events.size() - i);
                }
                mine.add(event);
            }
        }
        if (mine == null) {
            return null;
        }
        return mine.size() == events.size() ? revision : new RevisionEvents(revision.revision(), List.copyOf(mine));
    }

    /** Carries a listener's exception out of the delivery loop, apart from the store's own failures. */
    private static final class ListenerFailure extends RuntimeException {
        ListenerFailure(RuntimeException cause) {
            super(cause);
        }
    }
}
