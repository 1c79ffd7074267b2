package io.drover.store.sqlite;

import io.drover.store.StoreException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands committed revisions to the running watches. Registration and publication share one lock, so a
 * watch learns exactly which revision is the last one it will <em>not</em> receive live: everything up to
 * it is committed and readable from history, everything after it arrives through the watch's queue. That
 * is what makes replay-then-live free of gaps and duplicates.
 */
final class WatchHub {
    private final Object lock = new Object();
    private final Set<WatchStream> streams = ConcurrentHashMap.newKeySet();
    private long publishedRevision;
    private boolean closed;

    WatchHub(long committedRevision) {
        this.publishedRevision = committedRevision;
    }

    /**
     * Starts queueing live revisions for {@code stream} (again, when it had fallen behind); answers the last
     * revision it must read from history instead.
     */
    long attach(WatchStream stream) {
        synchronized (lock) {
            if (closed) {
                throw SqliteKeyValueStore.closedException();
            }
            streams.add(stream);
            stream.resumeQueueing();
            return publishedRevision;
        }
    }

    void detach(WatchStream stream) {
        streams.remove(stream);
    }

    /** Called by the writer after each commit, with the batch's revisions in order. */
    void publish(List<RevisionEvents> revisions) {
        synchronized (lock) {
            for (WatchStream stream : streams) {
                stream.offer(revisions);
            }
            publishedRevision = revisions.getLast().revision();
        }
    }

    /** Ends every watch with onError; called once the writer has stopped, so nothing more is published. */
    void close() {
        synchronized (lock) {
            closed = true;
        }
        StoreException closedError = SqliteKeyValueStore.closedException();
        for (WatchStream stream : streams) {
            stream.end(closedError);
        }
        streams.clear();
    }

    int size() {
        return streams.size();
    }
}
