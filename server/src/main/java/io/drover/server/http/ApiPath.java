package io.drover.server.http;

import io.drover.api.ApiException;
import io.drover.model.ResourceKind;
import java.util.Optional;

/**
 * A parsed REST path under {@code /apis/drover.io/v1}:
 * {@code [/namespaces/{ns}]/{plural}[/{name}[/status]]}. {@code namespace} is null for cluster-scoped kinds and
 * for lists across all namespaces.
 */
public record ApiPath(ResourceKind kind, String namespace, String name, boolean status) {

    public static final String PREFIX = "/apis/" + ResourceKind.API_VERSION;

    public boolean isCollection() {
        return name == null;
    }

    public static ApiPath parse(String path) {
        if (!path.startsWith(PREFIX + "/")) {
            throw ApiException.notFound("path " + path);
        }
        String rest = path.substring(PREFIX.length() + 1);
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
        ResourceKind kind = Optional.of(plural)
                .flatMap(p -> java.util.Arrays.stream(ResourceKind.values()).filter(k -> k.plural().equals(p)).findFirst())
                .orElseThrow(() -> new ApiException(ApiException.Reason.NOT_FOUND, "the server has no resource \"" + plural
                        + "\"; it serves " + java.util.Arrays.stream(ResourceKind.values()).map(ResourceKind::plural).toList()));
        if (namespace != null && !kind.namespaced()) {
            throw ApiException.badRequest(kind.plural() + " are cluster-scoped: use " + PREFIX + "/" + kind.plural()
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
}
