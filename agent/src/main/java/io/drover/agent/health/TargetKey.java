package io.drover.agent.health;

import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.tenant.Namespace;

/**
 * One checked endpoint: the service (its namespace and name, which its ServiceEndpoints object shares), and the pod
 * and address of the endpoint. Pod and address together, as the endpoints controller keys the health it carries
 * over: a pod that gets another address is another target, whose health starts afresh.
 */
public record TargetKey(String namespace, String service, String pod, String address) {

    /** The key of {@code endpoint} of {@code object}; a namespace left unset is {@code default}, as the API's. */
    public static TargetKey of(ServiceEndpoints object, ServiceEndpoint endpoint) {
        return new TargetKey(namespaceOf(object), object.name(), endpoint.pod(), endpoint.address());
    }

    /** {@code namespace/name} of an endpoints object, as {@link #objectKey()} names it. */
    public static String objectKey(ServiceEndpoints object) {
        return namespaceOf(object) + "/" + object.name();
    }

    private static String namespaceOf(ServiceEndpoints object) {
        return object.namespace() == null || object.namespace().isEmpty() ? Namespace.DEFAULT : object.namespace();
    }

    /** The ServiceEndpoints object the endpoint lives in: {@code namespace/service}. */
    public String objectKey() {
        return namespace + "/" + service;
    }

    @Override
    public String toString() {
        return namespace + "/" + service + " pod " + pod + " (" + address + ")";
    }
}
