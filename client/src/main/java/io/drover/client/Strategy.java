package io.drover.client;

/** How requests are spread over the healthy endpoints. */
public enum Strategy {
    /** Each endpoint in turn. */
    ROUND_ROBIN,
    /** The endpoint with the fewest requests in flight from this client (ties in turn): slow endpoints get fewer. */
    LEAST_OUTSTANDING;

    LoadBalancer newBalancer() {
        return switch (this) {
            case ROUND_ROBIN -> new RoundRobinBalancer();
            case LEAST_OUTSTANDING -> new LeastOutstandingBalancer();
        };
    }
}
