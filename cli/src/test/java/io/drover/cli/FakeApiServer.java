package io.drover.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.drover.model.ResourceKind;
import io.drover.model.codec.ResourceCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in for Drover's REST API on 127.0.0.1 (port 0), built on the JDK's HttpServer. It keeps objects in
 * memory with the API's semantics (201/409 AlreadyExists on POST, resourceVersion checks on PUT, 404 NotFound,
 * lists with resourceVersion), records every request for tests to check paths, methods, queries and bodies, and
 * lets a test script a response for one method and path to provoke errors.
 */
public final class FakeApiServer implements AutoCloseable {

    /** Where Drover's own kinds are served; NetworkPolicy is under /apis/networking.k8s.io/v1, as in Kubernetes. */
    public static final String BASE = "/apis/drover.io/v1";
    /** What the fake stamps as creationTimestamp: five minutes before {@link CliHarness#NOW}. */
    public static final String CREATED = "2026-03-01T11:55:00Z";

    public record Request(String method, String path, String query, String contentType, String body) {
        public JsonNode json() {
            return ResourceCodec.json().readTree(body);
        }
    }

    private record Scripted(int status, String body) {}

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Deque<Scripted>> scripted = new HashMap<>();
    /** Object path (…/namespaces/ns/pods/name or …/networks/name) to the stored object. */
    private final Map<String, ObjectNode> objects = new TreeMap<>();
    private long revision = 100;

    private FakeApiServer(HttpServer server) {
        this.server = server;
    }

    public static FakeApiServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeApiServer fake = new FakeApiServer(server);
            server.createContext("/", fake::handle);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public URI uri() {
        return URI.create(url());
    }

    /** Answers the next request with this method and path (query ignored) so, instead of the in-memory API. */
    public synchronized FakeApiServer script(String method, String path, int status, String body) {
        scripted.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>()).add(new Scripted(status, body));
        return this;
    }

    /** Stores an object as if it had been created earlier, with server fields set. */
    public synchronized FakeApiServer seed(String yaml) {
        ObjectNode object = (ObjectNode) ResourceCodec.yaml().readTree(yaml);
        store(objectPath(object), object);
        return this;
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** "GET /apis/...": method and path of every request, for checking order. */
    public synchronized List<String> calls() {
        return requests.stream().map(r -> r.method() + " " + r.path() + (r.query() == null ? "" : "?" + r.query())).toList();
    }

    public synchronized JsonNode stored(String path) {
        return objects.get(path);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(method, path, query, exchange.getRequestHeaders().getFirst("Content-Type"), body));
            Deque<Scripted> queue = scripted.get(method + " " + path);
            Scripted answer = queue != null && !queue.isEmpty() ? queue.poll() : serve(method, path, body);
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    private Scripted serve(String method, String path, String body) {
        if (path.equals("/healthz")) {
            return new Scripted(200, "ok");
        }
        String base = base(path);
        String[] parts = path.substring(base.length()).split("/");
        // ["", plural] or ["", plural, name] or ["", "namespaces", ns, plural(, name)]; a namespace itself is
        // ["", "namespaces", name] and is told apart by having no plural after it.
        boolean namespaced = parts.length >= 4 && parts[1].equals("namespaces");
        boolean isObject = namespaced ? parts.length == 5 : parts.length == 3;
        return switch (method) {
            case "GET" -> isObject ? get(path) : list(base, namespaced ? parts[3] : parts[1], namespaced ? parts[2] : null);
            case "POST" -> create(path, body);
            case "PUT" -> replace(path, body);
            case "DELETE" -> delete(path);
            default -> status(405, "MethodNotAllowed", method + " is not supported here");
        };
    }

    private Scripted get(String path) {
        ObjectNode object = objects.get(path);
        return object == null ? notFound(path) : new Scripted(200, object.toString());
    }

    private Scripted list(String base, String plural, String namespace) {
        ObjectNode list = ResourceCodec.json().createObjectNode();
        list.put("apiVersion", "drover.io/v1");
        list.put("kind", "List");
        list.putObject("metadata").put("resourceVersion", String.valueOf(revision));
        ArrayNode items = list.putArray("items");
        objects.forEach((key, object) -> {
            String[] segments = key.split("/");
            boolean kindMatches = key.startsWith(base + "/") && segments[segments.length - 2].equals(plural);
            boolean namespaceMatches = namespace == null || key.startsWith(base + "/namespaces/" + namespace + "/");
            if (kindMatches && namespaceMatches) {
                items.add(object);
            }
        });
        return new Scripted(200, list.toString());
    }

    private Scripted create(String collection, String body) {
        ObjectNode object = (ObjectNode) ResourceCodec.json().readTree(body);
        String path = collection + "/" + object.path("metadata").path("name").asString();
        if (objects.containsKey(path)) {
            return status(409, "AlreadyExists", path + " already exists");
        }
        return new Scripted(201, store(path, object).toString());
    }

    private Scripted replace(String path, String body) {
        ObjectNode stored = objects.get(path);
        if (stored == null) {
            return notFound(path);
        }
        ObjectNode object = (ObjectNode) ResourceCodec.json().readTree(body);
        String version = object.path("metadata").path("resourceVersion").asString("");
        String current = stored.path("metadata").path("resourceVersion").asString();
        if (!version.isEmpty() && !version.equals(current)) {
            return status(409, "Conflict", "the object has been modified; please apply your changes to the latest version and try again");
        }
        ((ObjectNode) object.path("metadata")).put("uid", stored.path("metadata").path("uid").asString());
        return new Scripted(200, store(path, object).toString());
    }

    private Scripted delete(String path) {
        ObjectNode removed = objects.remove(path);
        return removed == null ? notFound(path) : new Scripted(200, removed.toString());
    }

    private ObjectNode store(String path, ObjectNode object) {
        ObjectNode meta = object.has("metadata") ? (ObjectNode) object.get("metadata") : object.putObject("metadata");
        revision++;
        meta.put("resourceVersion", String.valueOf(revision));
        if (!meta.has("uid")) {
            meta.put("uid", "uid-" + revision);
        }
        meta.put("creationTimestamp", CREATED);
        objects.put(path, object);
        return object;
    }

    private static String objectPath(JsonNode object) {
        ResourceKind kind = ResourceKind.find(object.path("kind").asString()).orElseThrow();
        String name = object.path("metadata").path("name").asString();
        String base = io.drover.api.client.ResourcePaths.base(kind);
        return kind.namespaced()
                ? base + "/namespaces/" + object.path("metadata").path("namespace").asString() + "/" + kind.plural() + "/" + name
                : base + "/" + kind.plural() + "/" + name;
    }

    /**
     * {@code /apis/GROUP/VERSION} of a request path, {@code /api/VERSION} for Kubernetes' core group: each kind is
     * served under its own apiVersion.
     */
    private static String base(String path) {
        if (path.startsWith("/api/")) {
            String[] core = path.split("/", 4);
            return core.length < 3 ? path : "/api/" + core[2];
        }
        String[] segments = path.split("/", 5);
        return segments.length < 4 ? path : "/" + segments[1] + "/" + segments[2] + "/" + segments[3];
    }

    private static Scripted notFound(String path) {
        return status(404, "NotFound", path + " not found");
    }

    private static Scripted status(int code, String reason, String message) {
        return new Scripted(code, statusJson(code, reason, message, List.of()));
    }

    /** A Status body as the API sends it; causes as alternating field, message. */
    public static String statusJson(int code, String reason, String message, List<String> causes) {
        ObjectNode status = ResourceCodec.json().createObjectNode();
        status.put("kind", "Status").put("apiVersion", "v1").put("status", "Failure").put("code", code)
                .put("reason", reason).put("message", message);
        if (!causes.isEmpty()) {
            ArrayNode list = status.putObject("details").putArray("causes");
            for (int i = 0; i < causes.size(); i += 2) {
                list.addObject().put("field", causes.get(i)).put("message", causes.get(i + 1));
            }
        }
        return status.toString();
    }
}
