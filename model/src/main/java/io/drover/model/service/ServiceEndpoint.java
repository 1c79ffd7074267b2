package io.drover.model.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * One address behind a service.
 *
 * @param address the pod's address (or, registered by hand, any address)
 * @param pod     the pod's name, in the service's namespace; null for an address registered by hand
 * @param node    the node the pod runs on, whose agent checks its health
 * @param ready   whether it takes new connections; false with a {@code reason}
 * @param reason  why it is not ready, in words a person can act on ("pod has no port named http")
 * @param weight  its share under weighted balancing ({@link EndpointWeights})
 * @param ports   the service's ports resolved against this pod: a named targetPort is this pod's number
 * @param health  the last result of the service's health check; null when the service has none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceEndpoint(String address, String pod, String node, Boolean ready, String reason, Integer weight,
        List<EndpointPort> ports, EndpointHealth health) {

    public ServiceEndpoint {
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    @JsonIgnore
    public boolean readyForTraffic() {
        return Boolean.TRUE.equals(ready);
    }

    @JsonIgnore
    public int effectiveWeight() {
        return weight == null ? EndpointWeights.DEFAULT : weight;
    }

    /** The resolved port of the service's port named {@code name} ("" for a service's only, unnamed port). */
    public Optional<EndpointPort> port(String name) {
        String wanted = name == null ? "" : name;
        return ports.stream().filter(p -> wanted.equals(p.name() == null ? "" : p.name())).findFirst();
    }

    public ServiceEndpoint withHealth(EndpointHealth newHealth) {
        return new ServiceEndpoint(address, pod, node, ready, reason, weight, ports, newHealth);
    }

    public ServiceEndpoint withReadiness(boolean newReady, String newReason) {
        return new ServiceEndpoint(address, pod, node, newReady, newReady ? null : newReason, weight, ports, health);
    }
}
