package io.drover.store;

import java.util.List;

/** Receives the changes of a watch, in revision order, from one thread at a time. */
public interface WatchListener {

    /** All events of one revision (one transaction), never split. */
    void onEvents(long revision, List<WatchEvent> events);

    /**
     * The requested start revision has been compacted away: events were lost and the watch has ended.
     * The watcher must re-list (range) and watch again from the range's revision + 1.
     */
    void onCompacted(long compactRevision);

    /** The watch ended because of a failure (the store closed, the connection broke). */
    default void onError(Throwable error) {}
}
