package io.drover.api.client;

import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.codec.ResourceCodec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A typed client of Drover's REST API ({@code /apis/drover.io/v1}, and {@code /apis/networking.k8s.io/v1} for
 * NetworkPolicy: {@link ResourcePaths}). Every refusal by the server becomes an
 * {@link ApiError}; a server that cannot be reached becomes a {@link ServerUnreachableException}.
 */
public final class DroverClient implements AutoCloseable {

    public static final String MERGE_PATCH = "application/merge-patch+json";
    private static final String JSON = "application/json";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI server;
    private final HttpClient http;

    public DroverClient(URI server) {
        this.server = server;
        // HTTP/1.1: the API is plain HTTP, and an h2c upgrade attempt only costs a round trip on every connection.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    public URI server() {
        return server;
    }

    /** Reads one object; a missing one is an {@link ApiError} with code 404. */
    public Resource get(ResourceKind kind, String namespace, String name) {
        return decode(kind, send(request(ResourcePaths.object(kind, namespace, name)).GET()));
    }

    /** Reads one object, empty when the server says it does not exist. */
    public Optional<Resource> find(ResourceKind kind, String namespace, String name) {
        try {
            return Optional.of(get(kind, namespace, name));
        } catch (ApiError e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Lists a kind. For a namespaced kind, {@code namespace} null lists all namespaces. A blank selector selects
     * everything.
     */
    public ResourceListing list(ResourceKind kind, String namespace, String labelSelector) {
        String path = ResourcePaths.collection(kind, namespace) + query(labelSelector, null);
        JsonNode list = tree(send(request(path).GET()));
        List<Resource> items = new ArrayList<>();
        for (JsonNode item : list.path("items").values()) {
            items.add(decode(kind, item));
        }
        return new ResourceListing(items, list.path("metadata").path("resourceVersion").asString(""));
    }

    /** Creates an object; one that exists already is an {@link ApiError} with code 409, reason AlreadyExists. */
    public Resource create(Resource resource) {
        ResourceKind kind = resource.resourceKind();
        String path = ResourcePaths.collection(kind, requireNamespace(resource));
        return decode(kind, send(request(path).header("Content-Type", JSON).POST(body(resource))));
    }

    /**
     * Replaces an object's spec, labels and annotations. With {@code metadata.resourceVersion} set, a stale version
     * is an {@link ApiError} with code 409, reason Conflict.
     */
    public Resource replace(Resource resource) {
        ResourceKind kind = resource.resourceKind();
        String path = ResourcePaths.object(kind, requireNamespace(resource), resource.name());
        return decode(kind, send(request(path).header("Content-Type", JSON).PUT(body(resource))));
    }

    /** Replaces only the status (the {@code /status} subresource); needs a current resourceVersion. For agents and controllers. */
    public Resource replaceStatus(Resource resource) {
        ResourceKind kind = resource.resourceKind();
        String path = ResourcePaths.object(kind, requireNamespace(resource), resource.name()) + "/status";
        return decode(kind, send(request(path).header("Content-Type", JSON).PUT(body(resource))));
    }

    /** Applies an RFC 7386 JSON merge patch. */
    public Resource patch(ResourceKind kind, String namespace, String name, JsonNode mergePatch) {
        HttpRequest.Builder request = request(ResourcePaths.object(kind, namespace, name))
                .header("Content-Type", MERGE_PATCH)
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(ResourceCodec.toJson(mergePatch)));
        return decode(kind, send(request));
    }

    /** Deletes an object and returns it as it was. */
    public Resource delete(ResourceKind kind, String namespace, String name) {
        return delete(kind, namespace, name, null);
    }

    /** Deletes an object only if its resourceVersion is still {@code resourceVersion} (null: unconditionally). */
    public Resource delete(ResourceKind kind, String namespace, String name, String resourceVersion) {
        String path = ResourcePaths.object(kind, namespace, name)
                + (resourceVersion == null ? "" : "?resourceVersion=" + ResourcePaths.queryValue(resourceVersion));
        return decode(kind, send(request(path).DELETE()));
    }

    /** True when {@code /healthz} answers 200; false when nothing answers (for waiting until a server is up). */
    public boolean healthy() {
        HttpRequest request = HttpRequest.newBuilder(server.resolve("/healthz")).timeout(REQUEST_TIMEOUT).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Watches a kind from {@code resourceVersion} (as returned by {@link #list}); the returned stream delivers the
     * events as they happen until it is closed.
     */
    public WatchStream watch(ResourceKind kind, String namespace, String labelSelector, String resourceVersion) {
        String path = ResourcePaths.collection(kind, namespace) + query(labelSelector, resourceVersion);
        // No request timeout: a watch stays open as long as the caller wants events.
        HttpRequest request = HttpRequest.newBuilder(server.resolve(path)).header("Accept", JSON).GET().build();
        HttpResponse<Stream<String>> response = exchange(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() >= 400) {
            try (Stream<String> lines = response.body()) {
                throw ApiError.fromResponse(response.statusCode(), lines.collect(Collectors.joining("\n")));
            }
        }
        return new WatchStream(kind, response.body());
    }

    @Override
    public void close() {
        http.close();
    }

    private static String requireNamespace(Resource resource) {
        if (resource.resourceKind().namespaced() && resource.namespace() == null) {
            throw new IllegalArgumentException(resource.kind() + " " + resource.name() + " has no namespace");
        }
        return resource.namespace();
    }

    private static String query(String labelSelector, String watchFrom) {
        List<String> params = new ArrayList<>();
        if (labelSelector != null && !labelSelector.isBlank()) {
            params.add("labelSelector=" + ResourcePaths.queryValue(labelSelector.strip()));
        }
        if (watchFrom != null) {
            params.add("watch=true");
            if (!watchFrom.isEmpty()) {
                params.add("resourceVersion=" + ResourcePaths.queryValue(watchFrom));
            }
        }
        return params.isEmpty() ? "" : "?" + String.join("&", params);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(server.resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", JSON);
    }

    private static HttpRequest.BodyPublisher body(Resource resource) {
        return HttpRequest.BodyPublishers.ofByteArray(ResourceCodec.toJson(resource));
    }

    /** Sends a request and returns the body of a successful response. */
    private String send(HttpRequest.Builder builder) {
        HttpResponse<String> response = exchange(builder.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            throw ApiError.fromResponse(response.statusCode(), response.body());
        }
        return response.body();
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw isRefused(e) ? ServerUnreachableException.refused(server, e) : ServerUnreachableException.failed(server, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ServerUnreachableException.failed(server, e);
        }
    }

    /** The JDK reports a refused connection as a ConnectException, sometimes wrapped; look through the chain. */
    private static boolean isRefused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private Resource decode(ResourceKind kind, String body) {
        return decode(kind, tree(body));
    }

    private Resource decode(ResourceKind kind, JsonNode node) {
        try {
            return ResourceCodec.fromTree(node, kind);
        } catch (JacksonException e) {
            // A server newer than this CLI may send fields it does not know; say so rather than fail obscurely.
            throw new ApiError(500, "", "cannot read the " + kind.kind() + " the server sent: " + e.getOriginalMessage(),
                    List.of());
        }
    }

    private JsonNode tree(String body) {
        try {
            return ResourceCodec.json().readTree(body);
        } catch (JacksonException e) {
            throw new ApiError(500, "", "the server at " + server + " answered with something that is not JSON: "
                    + abbreviate(body), List.of());
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 117) + "...";
    }
}
