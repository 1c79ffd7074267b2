package io.drover.model.validation;

import io.drover.model.meta.LabelRules;
import io.drover.model.net.IpAddresses;
import io.drover.model.service.EndpointHealth;
import io.drover.model.service.EndpointPort;
import io.drover.model.service.EndpointWeights;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import java.util.List;
import java.util.Set;

/**
 * The endpoints of a service as a controller (or, for a service without a selector, a person) writes them: real
 * addresses, ports and weights in range, a known health status.
 */
final class ServiceEndpointsRules {

    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");
    private static final Set<String> HEALTH = Set.of(EndpointHealth.PASSING, EndpointHealth.FAILING, EndpointHealth.UNKNOWN);

    private ServiceEndpointsRules() {}

    static void validate(ServiceEndpoints endpoints, Errors errors) {
        List<ServiceEndpoint> list = endpoints.endpoints();
        for (int i = 0; i < list.size(); i++) {
            String field = Errors.index("endpoints", i);
            ServiceEndpoint endpoint = list.get(i);
            if (endpoint == null) {
                errors.add(field, "is empty; give it at least an address, or remove it");
                continue;
            }
            validateEndpoint(field, endpoint, errors);
        }
    }

    private static void validateEndpoint(String field, ServiceEndpoint endpoint, Errors errors) {
        if (endpoint.address() == null || endpoint.address().isEmpty()) {
            errors.add(field + ".address", "is required: the address connections go to, e.g. 10.10.0.7");
        } else if (!IpAddresses.isValid(endpoint.address())) {
            errors.add(field + ".address", Errors.quote(endpoint.address()) + " is not an IP address; write one, "
                    + "e.g. 10.10.0.7");
        }
        if (endpoint.pod() != null && !endpoint.pod().isEmpty()) {
            errors.addIfProblem(field + ".pod", endpoint.pod(), LabelRules.dns1123SubdomainProblem(endpoint.pod()));
        }
        if (endpoint.node() != null && !endpoint.node().isEmpty()) {
            errors.addIfProblem(field + ".node", endpoint.node(), LabelRules.dns1123SubdomainProblem(endpoint.node()));
        }
        Integer weight = endpoint.weight();
        if (weight != null && (weight < EndpointWeights.MIN || weight > EndpointWeights.MAX)) {
            errors.add(field + ".weight", "must be between " + EndpointWeights.MIN + " and " + EndpointWeights.MAX
                    + "; it is " + weight);
        }
        List<EndpointPort> ports = endpoint.ports();
        for (int j = 0; j < ports.size(); j++) {
            validatePort(Errors.index(field + ".ports", j), ports.get(j), errors);
        }
        EndpointHealth health = endpoint.health();
        if (health != null && health.status() != null && !HEALTH.contains(health.status())) {
            errors.add(field + ".health.status", Errors.quote(health.status()) + " is not a health status; use "
                    + "passing, failing or unknown");
        }
    }

    private static void validatePort(String field, EndpointPort port, Errors errors) {
        if (port == null) {
            errors.add(field, "is empty; give it a port number, or remove it");
            return;
        }
        if (port.port() == null || port.port() < 1 || port.port() > 65535) {
            errors.add(field + ".port", "must be a port number between 1 and 65535; it is " + port.port());
        }
        if (port.protocol() != null && !port.protocol().isEmpty() && !PROTOCOLS.contains(port.protocol())) {
            errors.add(field + ".protocol", Errors.quote(port.protocol()) + " is not a protocol; use TCP, UDP or SCTP");
        }
    }
}
