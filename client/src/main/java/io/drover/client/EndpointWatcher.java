package io.drover.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Follows one service's healthy endpoints with the registry's blocking queries on a virtual thread of its own: each
 * answer's {@code X-Drover-Index} is the next query's {@code index}, so an answer comes as soon as the set changes.
 * Errors (registry unreachable, service unknown) keep the last known set and retry with a growing pause.
 */
final class EndpointWatcher implements AutoCloseable {

    static final String INDEX_HEADER = "X-Drover-Index";
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final URI serviceUri;
    private final Duration wait;
    private final Consumer<List<Endpoint>> onChange;
    private final Consumer<String> onProblem;
    private final Thread thread;
    private volatile boolean closed;

    EndpointWatcher(URI registry, String namespace, String name, Duration wait, Consumer<List<Endpoint>> onChange,
            Consumer<String> onProblem) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        String base = registry.toString().replaceAll("/+$", "");
        this.serviceUri = URI.create(base + "/registry/v1/services/" + encode(namespace) + "/" + encode(name));
        this.wait = wait;
        this.onChange = onChange;
        this.onProblem = onProblem;
        this.thread = Thread.ofVirtual().name("drover-client-watch-" + namespace + "/" + name).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        long index = 0;
        Duration backoff = FIRST_BACKOFF;
        while (!closed) {
            try {
                URI uri = URI.create(serviceUri + "?index=" + index + "&wait=" + wait.toMillis() + "ms");
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(wait.plusSeconds(10)).GET().build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IOException("the registry answered " + response.statusCode() + ": " + errorOf(response.body()));
                }
                long answered = response.headers().firstValue(INDEX_HEADER).map(Long::parseLong).orElse(0L);
                // An index that went backwards (another server, a restored store) starts over, as Consul's clients do.
                index = answered < index ? 0 : answered;
                onChange.accept(parse(response.body()));
                backoff = FIRST_BACKOFF;
            } catch (InterruptedException e) {
                return; // closed
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                onProblem.accept("watching " + serviceUri + ": " + e.getMessage() + " (retrying in " + backoff.toMillis() + " ms)");
                index = 0;
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    static List<Endpoint> parse(String body) {
        JsonNode root = JSON.readTree(body);
        List<Endpoint> out = new ArrayList<>();
        for (JsonNode e : root.path("endpoints")) {
            Map<String, Integer> ports = new LinkedHashMap<>();
            e.path("ports").properties().forEach(p -> ports.put(p.getKey(), p.getValue().asInt()));
            out.add(new Endpoint(e.path("address").asString(), ports, text(e, "instance"), text(e, "pod"), text(e, "node")));
        }
        return List.copyOf(out);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    private static String errorOf(String body) {
        try {
            return JSON.readTree(body).path("error").asString(body);
        } catch (RuntimeException e) {
            return body;
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        http.shutdownNow();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
