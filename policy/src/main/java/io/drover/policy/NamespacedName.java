package io.drover.policy;

import io.drover.model.Resource;
import io.drover.model.tenant.Namespace;
import java.util.Comparator;
import java.util.Objects;

/** Names a namespaced object, a pod or a policy, as {@code namespace/name}. */
public record NamespacedName(String namespace, String name) implements Comparable<NamespacedName> {

    private static final Comparator<NamespacedName> ORDER =
            Comparator.comparing(NamespacedName::namespace).thenComparing(NamespacedName::name);

    public NamespacedName {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    /** Reads {@code namespace/name}. */
    public static NamespacedName parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("'" + text + "' does not name a namespaced object; write NAMESPACE/NAME, e.g. x/a");
        }
        return new NamespacedName(text.substring(0, slash), text.substring(slash + 1));
    }

    /** The name of a stored object; an object without a namespace is in {@code default}, as the server places it. */
    public static NamespacedName of(Resource resource) {
        String namespace = resource.namespace();
        return new NamespacedName(namespace == null || namespace.isEmpty() ? Namespace.DEFAULT : namespace, resource.name());
    }

    @Override
    public int compareTo(NamespacedName other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
