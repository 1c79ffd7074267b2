package io.drover.model.meta;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * Kubernetes-shaped object metadata. {@code uid}, {@code resourceVersion} and {@code creationTimestamp}
 * are set by the server; a client sends {@code resourceVersion} back to make a write conditional.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ObjectMeta(
        String name,
        String namespace,
        Map<String, String> labels,
        Map<String, String> annotations,
        String uid,
        String resourceVersion,
        String creationTimestamp) {

    public ObjectMeta {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public static ObjectMeta named(String name) {
        return new ObjectMeta(name, null, Map.of(), Map.of(), null, null, null);
    }

    public static ObjectMeta named(String namespace, String name) {
        return new ObjectMeta(name, namespace, Map.of(), Map.of(), null, null, null);
    }

    public ObjectMeta withLabels(Map<String, String> newLabels) {
        return new ObjectMeta(name, namespace, newLabels, annotations, uid, resourceVersion, creationTimestamp);
    }

    public ObjectMeta withNamespace(String newNamespace) {
        return new ObjectMeta(name, newNamespace, labels, annotations, uid, resourceVersion, creationTimestamp);
    }

    public ObjectMeta withResourceVersion(String newResourceVersion) {
        return new ObjectMeta(name, namespace, labels, annotations, uid, newResourceVersion, creationTimestamp);
    }

    /** The fields only the server sets, replaced at once. */
    public ObjectMeta withServerFields(String newUid, String newResourceVersion, String newCreationTimestamp) {
        return new ObjectMeta(name, namespace, labels, annotations, newUid, newResourceVersion, newCreationTimestamp);
    }
}
