package io.drover.client;

import java.util.List;

/** Picks the endpoint for the next request among candidates; told when requests start and finish. */
interface LoadBalancer {

    /** One of {@code candidates} (never empty). */
    Endpoint pick(List<Endpoint> candidates);

    /** A request to {@code endpoint} starts. */
    default void started(Endpoint endpoint) {}

    /** A request to {@code endpoint} finished, however it ended. */
    default void finished(Endpoint endpoint) {}
}
