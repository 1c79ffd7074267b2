package io.drover.store.sqlite;

import io.drover.store.ListenerGate;
import io.drover.store.Watch;
import io.drover.store.WatchEvent;
import io.drover.store.WatchListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
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
    private final ListenerGate gate;
    private final WatchHub hub;
    private final StoreReader reader;
    private final LongSupplier compactRevision;
    private final int queueLimit;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();

    /** Written only under the hub's lock (see {@link #offer}, {@link #resumeQueueing}). */
    private boolean queueing;
    private volatile Thread thread;
    /** The first revision not yet delivered; owned by the delivery thread. */
    private long nextRevision;

    WatchStream(String prefix, WatchListener listener, WatchHub hub, StoreReader reader, LongSupplier compactRevision,
            int queueLimit) {
        this.prefix = prefix;
        this.gate = new ListenerGate(listener, id + " on '" + prefix + "'");
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
        if (!gate.close(Thread.currentThread() == thread)) {
            return;
        }
        queue.add(new Closed());
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
                gate.compacted(compacted);
                return;
            }
            if (!catchUp(lastInHistory)) {
                return;
            }
            while (!gate.isClosed()) {
                switch (queue.take()) {
                    case RevisionEvents revision -> deliver(revision);
                    case FellBehind _ -> {
                        if (!catchUp(hub.attach(this))) {
                            return;
                        }
                    }
                    case End(Throwable error) -> {
                        gate.failed(error);
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
        } catch (ListenerGate.ListenerFailure e) {
            log.warn("Watch {} on '{}' ended: its listener threw", id, prefix, e.getCause());
            gate.failed(e.getCause());
        } catch (RuntimeException e) {
            log.debug("Watch {} on '{}' ended: {}", id, prefix, e.toString());
            gate.failed(e);
        } finally {
            hub.detach(this);
        }
    }

    /** Replays history up to {@code lastInHistory}; false when the watch ended (compacted or closed). */
    private boolean catchUp(long lastInHistory) {
        while (nextRevision <= lastInHistory && !gate.isClosed()) {
            long pageEnd = Math.min(lastInHistory, nextRevision + REPLAY_PAGE - 1);
            StoreReader.HistoryPage page = reader.history(prefix, nextRevision, pageEnd);
            if (page.compactRevision() >= nextRevision) {
                gate.compacted(page.compactRevision());
                return false;
            }
            for (RevisionEvents revision : page.revisions()) {
                deliver(revision);
            }
            nextRevision = Math.max(nextRevision, pageEnd + 1);
        }
        return !gate.isClosed();
    }

    private void deliver(RevisionEvents revision) {
        if (revision.revision() < nextRevision) {
            return;
        }
        gate.deliver(revision.revision(), revision.events());
        nextRevision = revision.revision() + 1;
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
}
