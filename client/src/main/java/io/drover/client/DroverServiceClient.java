package io.drover.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Client-side discovery of one Drover service (the Eureka/Ribbon pattern): follows the service's healthy endpoints
 * through the registry API and balances requests over them.
 *
 * <pre>{@code
 * try (DroverServiceClient web = DroverServiceClient.builder(URI.create("http://drover:7443"), "shop", "web")
 *         .strategy(Strategy.LEAST_OUTSTANDING).port("http").build()) {
 *     HttpResponse<String> r = web.get("/orders/42", HttpResponse.BodyHandlers.ofString());
 * }
 * }</pre>
 *
 * An endpoint leaves the rotation as soon as the registry drops it from the healthy set. Between that and the
 * registry noticing (a TTL, a health check), a request whose connection is refused is sent again to another endpoint
 * (it never reached the first, so this is safe for any method) and the refusing endpoint is left out for a short
 * {@linkplain Builder#quarantine quarantine}.
 */
public final class DroverServiceClient implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DroverServiceClient.class.getName());

    private final String service;
    private final String portName;
    private final int maxAttempts;
    private final Duration quarantine;
    private final LoadBalancer balancer;
    private final HttpClient http;
    private final EndpointWatcher watcher;
    private final Map<Endpoint, Long> quarantinedUntil = new ConcurrentHashMap<>();
    private final Object firstAnswer = new Object();
    private volatile List<Endpoint> endpoints = List.of();
    private volatile boolean answered;
    private volatile String lastProblem;

    private DroverServiceClient(Builder b) {
        this.service = b.namespace + "/" + b.name;
        this.portName = b.port;
        this.maxAttempts = b.maxAttempts;
        this.quarantine = b.quarantine;
        this.balancer = b.strategy.newBalancer();
        this.http = b.http != null ? b.http
                : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        this.watcher = new EndpointWatcher(b.registry, b.namespace, b.name, b.wait, this::update, this::problem);
    }

    public static Builder builder(URI registry, String namespace, String name) {
        return new Builder(registry, namespace, name);
    }

    /** The healthy endpoints as last answered by the registry. */
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** Waits until the registry has answered once (true), at most {@code timeout}. */
    public boolean awaitEndpoints(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (firstAnswer) {
            while (!answered) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                firstAnswer.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    /** The endpoint the next request should go to; empty when the service has no healthy endpoint. */
    public Optional<Endpoint> choose() {
        return choose(List.of());
    }

    private Optional<Endpoint> choose(List<Endpoint> tried) {
        List<Endpoint> healthy = endpoints;
        long now = System.nanoTime();
        List<Endpoint> candidates = new ArrayList<>();
        for (Endpoint e : healthy) {
            Long until = quarantinedUntil.get(e);
            if (!tried.contains(e) && (until == null || until - now <= 0)) {
                candidates.add(e);
            }
        }
        if (candidates.isEmpty()) {
            // Every endpoint refused lately: rather try one again than fail without trying.
            healthy.stream().filter(e -> !tried.contains(e)).forEach(candidates::add);
        }
        return candidates.isEmpty() ? Optional.empty() : Optional.of(balancer.pick(candidates));
    }

    /** Sends a GET for {@code pathAndQuery} (e.g. "/orders?id=4") to a chosen endpoint, with failover. */
    public <T> HttpResponse<T> get(String pathAndQuery, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return send(base -> HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30)).build(), handler);
    }

    /**
     * Sends the request {@code requestFor} builds from a chosen endpoint's base URI ({@code http://address:port}).
     * A request that cannot connect is tried on another endpoint, up to the builder's {@code maxAttempts}.
     *
     * @throws NoHealthyEndpointException when no endpoint is healthy, or none of those tried could be connected to
     */
    public <T> HttpResponse<T> send(Function<URI, HttpRequest> requestFor, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        List<Endpoint> tried = new ArrayList<>();
        IOException lastFailure = null;
        for (int attempt = 0; attempt < maxAttempts; attempt++) {
            Optional<Endpoint> chosen = choose(tried);
            if (chosen.isEmpty()) {
                break;
            }
            Endpoint endpoint = chosen.get();
            tried.add(endpoint);
            balancer.started(endpoint);
            try {
                return http.send(requestFor.apply(endpoint.baseUri(portName)), handler);
            } catch (ConnectException | HttpConnectTimeoutException e) {
                lastFailure = e;
                quarantinedUntil.put(endpoint, System.nanoTime() + quarantine.toNanos());
                LOG.log(Level.FINE, () -> "service " + service + ": cannot connect to " + endpoint + ", trying another");
            } finally {
                balancer.finished(endpoint);
            }
        }
        String why = tried.isEmpty()
                ? "service " + service + " has no healthy endpoint" + (answered ? "" : " known yet: the registry has not answered")
                        + (lastProblem == null ? "" : " (last problem: " + lastProblem + ")")
                : "service " + service + ": could not connect to " + tried;
        throw new NoHealthyEndpointException(why, lastFailure);
    }

    private void update(List<Endpoint> fresh) {
        endpoints = fresh;
        lastProblem = null;
        quarantinedUntil.keySet().retainAll(fresh);
        synchronized (firstAnswer) {
            answered = true;
            firstAnswer.notifyAll();
        }
    }

    private void problem(String message) {
        lastProblem = message;
        LOG.log(Level.WARNING, "service " + service + ": " + message);
    }

    /** Stops following the registry (the background thread ends). A client given to the builder is not closed. */
    @Override
    public void close() {
        watcher.close();
    }

    private DroverServiceClient started() {
        watcher.start();
        return this;
    }

    public static final class Builder {
        private final URI registry;
        private final String namespace;
        private final String name;
        private Strategy strategy = Strategy.ROUND_ROBIN;
        private String port;
        private Duration wait = Duration.ofMinutes(1);
        private Duration quarantine = Duration.ofSeconds(5);
        private int maxAttempts = 3;
        private HttpClient http;

        private Builder(URI registry, String namespace, String name) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.namespace = Objects.requireNonNull(namespace, "namespace");
            this.name = Objects.requireNonNull(name, "name");
        }

        public Builder strategy(Strategy value) {
            this.strategy = Objects.requireNonNull(value);
            return this;
        }

        /** The service port requests go to, by name; not needed when the service has one port. */
        public Builder port(String value) {
            this.port = value;
            return this;
        }

        /** How long each blocking query waits for a change (default one minute; the registry caps it at five). */
        public Builder wait(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("wait must be positive, e.g. Duration.ofSeconds(30); it is " + value);
            }
            this.wait = value;
            return this;
        }

        /** How long an endpoint that refused a connection is left out (default five seconds). */
        public Builder quarantine(Duration value) {
            this.quarantine = Objects.requireNonNull(value);
            return this;
        }

        /** How many endpoints one request is tried on when connections fail (default three). */
        public Builder maxAttempts(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1; it is " + value);
            }
            this.maxAttempts = value;
            return this;
        }

        /** The HTTP client requests to endpoints go through (default: HTTP/1.1, two-second connect timeout). */
        public Builder httpClient(HttpClient value) {
            this.http = value;
            return this;
        }

        /** Builds the client and starts following the service. */
        public DroverServiceClient build() {
            return new DroverServiceClient(this).started();
        }
    }
}
