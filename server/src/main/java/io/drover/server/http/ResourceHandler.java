package io.drover.server.http;

import io.drover.api.ApiException;
import io.drover.api.ApiException.Reason;
import io.drover.api.ResourceList;
import io.drover.api.ResourceRegistry;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.codec.ResourceCodec;
import io.drover.model.meta.LabelSelector;
import io.drover.store.StoreException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The REST verbs on resources, Kubernetes-style: POST creates, PUT replaces (conditional on
 * metadata.resourceVersion), PATCH merges (application/merge-patch+json), DELETE removes, GET reads or lists
 * (with {@code labelSelector}) or streams changes ({@code watch=true}).
 */
public final class ResourceHandler implements Handler {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceHandler.class);
    private static final String JSON = "application/json";

    private final ResourceRegistry registry;
    private final RequestBodies bodies = new RequestBodies();
    private final WatchStreams watches;

    public ResourceHandler(ResourceRegistry registry, WatchStreams watches) {
        this.registry = registry;
        this.watches = watches;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        ApiPath path = null;
        try {
            path = ApiPath.parse(req.path().path());
            String method = req.prologue().method().text();
            switch (method) {
                case "GET" -> get(req, res, path);
                case "POST" -> create(req, res, path);
                case "PUT" -> replace(req, res, path);
                case "PATCH" -> patch(req, res, path);
                case "DELETE" -> delete(req, res, path);
                default -> throw new ApiException(Reason.METHOD_NOT_ALLOWED, method + " is not supported; use GET, POST, PUT, PATCH or DELETE");
            }
        } catch (ApiException e) {
            sendError(res, e, path);
        } catch (StoreException e) {
            // The registry turns store failures into 503s itself; this is the net for any that get past it.
            sendError(res, new ApiException(Reason.SERVICE_UNAVAILABLE, "the store cannot be reached: " + e.getMessage()
                    + "; retry once it is back"), path);
        } catch (RuntimeException e) {
            LOG.error("internal error serving {} {}", req.prologue().method().text(), req.path().path(), e);
            sendError(res, new ApiException(Reason.INTERNAL_ERROR, "internal error: " + e
                    + "; this is a bug in Drover, the server log has the details"), path);
        }
    }

    private void get(ServerRequest req, ServerResponse res, ApiPath path) {
        if (!path.isCollection()) {
            Resource r = registry.get(path.kind(), namespaceOf(path), path.name())
                    .orElseThrow(() -> ApiException.notFound(path.kind(), namespaceOf(path), path.name()));
            send(res, Status.OK_200, r);
            return;
        }
        LabelSelector selector = selector(req);
        if (req.query().first("watch").asOptional().map(v -> v.equals("true") || v.equals("1")).orElse(false)) {
            long from = req.query().first("resourceVersion").asOptional().map(ResourceHandler::parseVersion).orElse(0L);
            Duration timeout = req.query().first("timeoutSeconds").asOptional()
                    .map(s -> Duration.ofSeconds(parseLong("timeoutSeconds", s))).orElse(Duration.ofMinutes(30));
            watches.stream(res, path, selector, from, timeout);
            return;
        }
        ResourceList<Resource> list = registry.list(path.kind(), path.namespace(), selector);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiVersion", path.kind().apiVersion());
        body.put("kind", path.kind().kind() + "List");
        body.put("metadata", Map.of("resourceVersion", Long.toString(list.resourceVersion())));
        body.put("items", list.items());
        send(res, Status.OK_200, body);
    }

    private void create(ServerRequest req, ServerResponse res, ApiPath path) {
        if (!path.isCollection() || path.status()) {
            throw new ApiException(Reason.METHOD_NOT_ALLOWED, "POST creates in a collection: "
                    + ApiPath.collectionPattern(path.kind()));
        }
        Resource r = bodies.read(req, path.kind());
        r = inNamespaceOf(path, r);
        send(res, Status.CREATED_201, registry.create(r));
    }

    private void replace(ServerRequest req, ServerResponse res, ApiPath path) {
        requireName(path, "PUT");
        Resource r = inNamespaceOf(path, bodies.read(req, path.kind()));
        if (!Objects.equals(r.name(), path.name())) {
            throw new ApiException(Reason.BAD_REQUEST, "metadata.name \"" + r.name() + "\" does not match the name in the path \"" + path.name() + "\"");
        }
        send(res, Status.OK_200, path.status() ? registry.replaceStatus(r) : registry.replace(r));
    }

    private void patch(ServerRequest req, ServerResponse res, ApiPath path) {
        requireName(path, "PATCH");
        if (path.status()) {
            // The registry patches spec and metadata only; a status patch would be answered 200 and change nothing.
            throw new ApiException(Reason.METHOD_NOT_ALLOWED, "PATCH of the status is not supported; GET the object, "
                    + "change its status and PUT it to the same /status path with its resourceVersion");
        }
        String type = req.headers().contentType().map(t -> t.mediaType().text()).orElse("");
        if (!type.equals("application/merge-patch+json") && !type.equals(JSON)) {
            throw new ApiException(Reason.UNSUPPORTED_MEDIA_TYPE, "PATCH takes a JSON merge patch: send Content-Type: application/merge-patch+json (got \"" + type + "\")");
        }
        JsonNode patch = bodies.readTree(req);
        send(res, Status.OK_200, registry.patch(path.kind(), namespaceOf(path), path.name(), patch));
    }

    private void delete(ServerRequest req, ServerResponse res, ApiPath path) {
        requireName(path, "DELETE");
        if (path.status()) {
            // Without this, DELETE .../NAME/status would delete the whole object.
            throw new ApiException(Reason.METHOD_NOT_ALLOWED, "DELETE is not supported on the status; delete the object "
                    + "at " + ApiPath.prefix(path.kind()) + "/.../" + path.kind().plural() + "/" + path.name());
        }
        String version = req.query().first("resourceVersion").asOptional().orElse(null);
        send(res, Status.OK_200, registry.delete(path.kind(), namespaceOf(path), path.name(), version));
    }

    private static void requireName(ApiPath path, String method) {
        if (path.isCollection()) {
            throw new ApiException(Reason.METHOD_NOT_ALLOWED, method + " needs an object: add /NAME to the path");
        }
    }

    /** The namespace in the path wins; a body that names another one is an error, as in Kubernetes. */
    private static Resource inNamespaceOf(ApiPath path, Resource r) {
        if (r.metadata() == null) {
            throw new ApiException(Reason.INVALID, r.kind() + " is invalid: metadata.name: is required",
                    java.util.List.of(new ApiException.Cause("metadata.name", "is required")));
        }
        if (!path.kind().namespaced()) {
            return r;
        }
        String ns = namespaceOf(path);
        if (r.namespace() != null && !r.namespace().isEmpty() && !r.namespace().equals(ns)) {
            throw ApiException.badRequest("metadata.namespace \"" + r.namespace() + "\" does not match the namespace in the path \"" + ns + "\"");
        }
        return r.withMetadata(r.metadata().withNamespace(ns));
    }

    private static String namespaceOf(ApiPath path) {
        return path.kind().namespaced() ? (path.namespace() == null ? "default" : path.namespace()) : null;
    }

    private static LabelSelector selector(ServerRequest req) {
        String text = req.query().first("labelSelector").asOptional().orElse("");
        try {
            return LabelSelector.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static long parseVersion(String s) {
        return s.isEmpty() ? 0 : parseLong("resourceVersion", s);
    }

    private static long parseLong(String name, String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a number, got \"" + s + "\"");
        }
    }

    static void send(ServerResponse res, Status status, Object body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, JSON);
        res.send(ResourceCodec.toJson(body));
    }

    static void sendError(ServerResponse res, ApiException e, ApiPath path) {
        if (res.isSent()) {
            return;
        }
        res.status(Status.create(e.reason().status()));
        res.header(HeaderNames.CONTENT_TYPE, JSON);
        res.send(ErrorBodies.status(e, path));
    }
}
