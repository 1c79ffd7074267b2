package io.drover.api;

import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.LabelSelector;
import io.drover.store.Watch;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The one way to read and write resources: validated, namespaced, with optimistic concurrency. The REST API,
 * the controllers and the demo all go through it. {@code resourceVersion} is the store's mod revision of the
 * object's key.
 *
 * <p>Every method throws {@link ApiException} for a refused request; none of them changes anything when it
 * throws.
 */
public interface ResourceRegistry {

    /**
     * Stores a new object: validates it, sets uid, resourceVersion and creationTimestamp; the status sent is dropped.
     * The server may give the object a status of its own in the create (a service's load balancer address, a pod's
     * addresses), which the returned object carries.
     */
    <T extends Resource> T create(T resource);

    /**
     * Replaces spec, labels and annotations of an existing object. When {@code metadata.resourceVersion} is
     * set, the write only happens if it is still current (else {@link ApiException.Reason#CONFLICT}). The
     * status is kept as stored.
     */
    <T extends Resource> T replace(T resource);

    /** Replaces only the status; requires a current resourceVersion. For controllers. */
    <T extends Resource> T replaceStatus(T resource);

    /** Applies an RFC 7386 merge patch to the stored object, then validates and stores it as {@link #replace}. */
    Resource patch(ResourceKind kind, String namespace, String name, JsonNode mergePatch);

    /**
     * Deletes an object and returns it as it was; when {@code resourceVersion} is not null, only if it is
     * still current.
     */
    Resource delete(ResourceKind kind, String namespace, String name, String resourceVersion);

    Optional<Resource> get(ResourceKind kind, String namespace, String name);

    default <T extends Resource> Optional<T> get(Class<T> type, String namespace, String name) {
        return get(ResourceKind.of(type), namespace, name).map(type::cast);
    }

    /** Lists the objects of a kind; {@code namespace} null means all namespaces. */
    <T extends Resource> ResourceList<T> list(ResourceKind kind, String namespace, LabelSelector selector);

    /**
     * Watches a kind from {@code fromResourceVersion} (exclusive: the first event has a greater revision; 0
     * means from now on). {@code namespace} null means all namespaces.
     */
    Watch watch(ResourceKind kind, String namespace, LabelSelector selector, long fromResourceVersion, ResourceWatcher watcher);
}
