package io.drover.server.http;

import io.drover.api.ApiException;
import io.drover.model.ResourceKind;
import java.util.Arrays;
import java.util.List;

/**
 * A parsed REST path under {@code /apis/GROUP/VERSION}, the apiVersion of the kind it names
 * ({@code /apis/drover.io/v1} for Drover's kinds, {@code /apis/networking.k8s.io/v1} for NetworkPolicy, {@code /api/v1}
 * for Service, as in Kubernetes): {@code [/namespaces/{ns}]/{plural}[/{name}[/status]]}. {@code namespace} is null for
 * cluster-scoped kinds and for lists across all namespaces.
 */
public record ApiPath(ResourceKind kind, String namespace, String name, boolean status) {

    public boolean isCollection() {
        return name == null;
    }

    /** {@code /apis/drover.io/v1}, {@code /apis/networking.k8s.io/v1}: where the kind is served. */
    public static String prefix(ResourceKind kind) {
        return prefix(kind.apiVersion());
    }

    private static String prefix(String apiVersion) {
        return io.drover.api.client.ResourcePaths.base(apiVersion);
    }

    /** The collection of the kind, as messages name it: {@code /apis/drover.io/v1/namespaces/NS/pods}. */
    public static String collectionPattern(ResourceKind kind) {
        return prefix(kind) + "/" + (kind.namespaced() ? "namespaces/NS/" : "") + kind.plural();
    }

    public static ApiPath parse(String path) {
        String apiVersion = apiVersionOf(path);
        List<ResourceKind> served = Arrays.stream(ResourceKind.values())
                .filter(k -> k.apiVersion().equals(apiVersion))
                .toList();
        if (served.isEmpty()) {
            List<String> prefixes = Arrays.stream(ResourceKind.values()).map(ApiPath::prefix).distinct().toList();
            throw new ApiException(ApiException.Reason.NOT_FOUND, "path " + path + " not found: the server serves "
                    + String.join(", ", prefixes.subList(0, prefixes.size() - 1)) + " and " + prefixes.getLast());
        }
        String rest = path.substring(prefix(apiVersion).length() + 1);
        // A trailing slash names the same thing as without it, as in Kubernetes.
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        String[] parts = rest.split("/", -1);
        int i = 0;
        String namespace = null;
        // namespaces/NS/PLURAL/... is a namespaced collection; namespaces/NS/status is the Namespace's status.
        if (parts.length >= 3 && parts[0].equals("namespaces") && !parts[2].equals("status")) {
            namespace = parts[1];
            i = 2;
        }
        if (i >= parts.length || parts[i].isEmpty()) {
            throw ApiException.notFound("path " + path);
        }
        String plural = parts[i];
        ResourceKind kind = served.stream().filter(k -> k.plural().equals(plural)).findFirst()
                .orElseThrow(() -> unknownPlural(plural, apiVersion, served));
        if (namespace != null && !kind.namespaced()) {
            throw ApiException.badRequest(kind.plural() + " are cluster-scoped: use " + prefix(kind) + "/" + kind.plural()
                    + " without /namespaces/" + namespace);
        }
        String name = i + 1 < parts.length && !parts[i + 1].isEmpty() ? parts[i + 1] : null;
        boolean status = false;
        if (i + 2 < parts.length) {
            if (!parts[i + 2].equals("status") || i + 3 < parts.length) {
                throw ApiException.notFound("path " + path);
            }
            status = true;
        }
        return new ApiPath(kind, namespace, name, status);
    }

    /**
     * GROUP/VERSION of {@code /apis/GROUP/VERSION/...}, or VERSION of the core group's {@code /api/VERSION/...}; the
     * path is not found when it has no such prefix.
     */
    private static String apiVersionOf(String path) {
        if (path.startsWith("/api/")) {
            String[] core = path.split("/", 4);
            // "", "api", VERSION, rest
            if (core.length < 4 || core[2].isEmpty()) {
                throw ApiException.notFound("path " + path);
            }
            return core[2];
        }
        String[] parts = path.split("/", 5);
        // "", "apis", GROUP, VERSION, rest
        if (parts.length < 5 || !parts[0].isEmpty() || !parts[1].equals("apis") || parts[2].isEmpty() || parts[3].isEmpty()) {
            throw ApiException.notFound("path " + path);
        }
        return parts[2] + "/" + parts[3];
    }

    /** A plural another group serves names the right path; anything else lists what this group serves. */
    private static ApiException unknownPlural(String plural, String apiVersion, List<ResourceKind> served) {
        return Arrays.stream(ResourceKind.values()).filter(k -> k.plural().equals(plural)).findFirst()
                .map(k -> new ApiException(ApiException.Reason.NOT_FOUND, "the server has no resource \"" + plural
                        + "\" in " + apiVersion + "; " + k.plural() + " are served at " + collectionPattern(k)))
                .orElseGet(() -> new ApiException(ApiException.Reason.NOT_FOUND, "the server has no resource \"" + plural
                        + "\" in " + apiVersion + "; it serves " + served.stream().map(ResourceKind::plural).toList()));
    }
}
