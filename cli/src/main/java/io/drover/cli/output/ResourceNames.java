package io.drover.cli.output;

import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import java.util.Locale;

/** How the CLI names objects in its messages, as kubectl: {@code pod/web-1}, {@code pod "web-1"}. */
public final class ResourceNames {

    private ResourceNames() {}

    /** {@code pod/web-1}: the form apply and delete print, and {@code -o name} lists. */
    public static String ref(Resource resource) {
        return ref(resource.resourceKind(), resource.name());
    }

    public static String ref(ResourceKind kind, String name) {
        return lower(kind) + "/" + name;
    }

    /** {@code pod "x" not found in namespace "default"}; cluster-scoped kinds have no namespace to name. */
    public static String notFound(ResourceKind kind, String namespace, String name) {
        String message = lower(kind) + " \"" + name + "\" not found";
        return kind.namespaced() ? message + " in namespace \"" + namespace + "\"" : message;
    }

    public static String lower(ResourceKind kind) {
        return kind.kind().toLowerCase(Locale.ROOT);
    }
}
