package io.drover.agent.desired;

import io.drover.model.pod.Pod;
import io.drover.model.tenant.Namespace;

/** How the agent names a pod in keys, aliases and hashes. */
public final class PodKeys {

    private PodKeys() {}

    /** {@code <namespace>/<name>}, as people and error messages name a pod. */
    public static String key(Pod pod) {
        return namespace(pod) + "/" + pod.name();
    }

    /** The pod's namespace (project), {@code default} when unset. */
    public static String namespace(Pod pod) {
        return pod.namespace() == null || pod.namespace().isEmpty() ? Namespace.DEFAULT : pod.namespace();
    }

    /**
     * What per-pod kernel names are derived from: the uid, which changes when a pod is deleted and created again
     * under the same name (so the new pod's interfaces never collide with the old one's); the key for a pod that has
     * none yet (one not read from the store, as in unit tests).
     */
    public static String identity(Pod pod) {
        String uid = pod.metadata() == null ? null : pod.metadata().uid();
        return uid == null || uid.isEmpty() ? key(pod) : uid;
    }
}
