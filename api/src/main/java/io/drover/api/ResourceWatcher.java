package io.drover.api;

import java.util.List;

/** Receives the events of a resource watch, in revision order, from one thread at a time. */
public interface ResourceWatcher {

    /** The events of one store revision, filtered to the watch's kind, namespace and selector. */
    void onEvents(List<ResourceEvent> events);

    /** The start revision is no longer in history: re-list and watch again from the list's resourceVersion. */
    void onExpired(String message);

    default void onError(Throwable error) {}
}
