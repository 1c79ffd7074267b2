package io.drover.api.client;

import io.drover.model.ResourceKind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The REST paths of the API, in one place so that the client and its tests agree on them. Each kind is served under
 * its own apiVersion, as in Kubernetes: {@code /apis/drover.io/v1} for Drover's kinds,
 * {@code /apis/networking.k8s.io/v1} for NetworkPolicy, {@code /api/v1} for Service.
 */
public final class ResourcePaths {

    /** Where Drover's own kinds are served. */
    public static final String BASE = "/apis/" + ResourceKind.API_VERSION;

    private ResourcePaths() {}

    /** {@code /apis/GROUP/VERSION} of the kind; {@code /api/v1} for Kubernetes' core kinds (Service), as Kubernetes serves them. */
    public static String base(ResourceKind kind) {
        return base(kind.apiVersion());
    }

    /** The path prefix of an apiVersion: {@code /api/v1} for the core group (no group), {@code /apis/GROUP/VERSION} else. */
    public static String base(String apiVersion) {
        return apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
    }

    /**
     * The collection of a kind. For a namespaced kind, {@code namespace} null means all namespaces; for a
     * cluster-scoped kind the namespace is ignored.
     */
    public static String collection(ResourceKind kind, String namespace) {
        if (kind.namespaced() && namespace != null) {
            return base(kind) + "/namespaces/" + segment(namespace) + "/" + kind.plural();
        }
        return base(kind) + "/" + kind.plural();
    }

    public static String object(ResourceKind kind, String namespace, String name) {
        if (kind.namespaced() && namespace == null) {
            throw new IllegalArgumentException(kind.kind() + " " + name + " needs a namespace");
        }
        return collection(kind, namespace) + "/" + segment(name);
    }

    /** Percent-encodes a query parameter value; spaces as %20, which every server decodes the same way. */
    public static String queryValue(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String segment(String value) {
        return queryValue(value);
    }
}
