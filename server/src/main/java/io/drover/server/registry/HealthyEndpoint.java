package io.drover.server.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.service.EndpointPort;
import io.drover.model.service.ServiceEndpoint;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One endpoint of a service's healthy set, as the registry API answers it.
 *
 * @param address  where connections go
 * @param ports    the port numbers by the service's port names ("" for a single unnamed port)
 * @param node     the node it runs on (pods); null for an external instance
 * @param pod      the pod's name; null for an external instance
 * @param instance the registered instance's id; null for a pod or an endpoint listed by hand
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record HealthyEndpoint(String address, Map<String, Integer> ports, String node, String pod, String instance) {

    static HealthyEndpoint of(ServiceEndpoint endpoint, String instance) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (EndpointPort p : endpoint.ports()) {
            ports.put(p.name() == null ? "" : p.name(), p.port());
        }
        return new HealthyEndpoint(endpoint.address(), Map.copyOf(ports), endpoint.node(), endpoint.pod(), instance);
    }
}
