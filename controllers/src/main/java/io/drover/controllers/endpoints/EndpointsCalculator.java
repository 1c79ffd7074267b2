package io.drover.controllers.endpoints;

import io.drover.model.node.Node;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodStatus;
import io.drover.model.policy.PortReference;
import io.drover.model.service.EndpointHealth;
import io.drover.model.service.EndpointPort;
import io.drover.model.service.EndpointWeights;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A service's endpoints from its selector and the pods of its namespace: one per selected pod that has an address,
 * with the service's ports resolved against that pod (a named targetPort is the pod's own number for that name), its
 * weight, and whether it is ready for traffic and why not. Pure: the controller feeds it and writes the result.
 *
 * <p>Ready means: the pod has its address, its node is not NotReady, every named port resolves, and, when the service
 * has a health check, the agent hosting the pod last reported it passing (health is the agents' to write; it is
 * carried over from the stored object for the same pod and address, and starts unknown). With
 * {@code publishNotReadyAddresses}, every endpoint is ready whatever it is, as Kubernetes does; the reason still
 * says what is wrong.
 */
public final class EndpointsCalculator {

    private EndpointsCalculator() {}

    /**
     * The endpoints the service should have, or empty when they are not this controller's to compute: a service
     * without a selector takes endpoints registered by hand, and an ExternalName service has none.
     *
     * @param podsOfNamespace every pod of the service's namespace
     * @param nodes           nodes by name (a pod on a node that is not listed is taken as on a ready node)
     * @param stored          the service's endpoints as stored, for the health the agents reported
     */
    public static Optional<List<ServiceEndpoint>> compute(Service service, Collection<Pod> podsOfNamespace,
            Map<String, Node> nodes, Optional<ServiceEndpoints> stored) {
        if (!service.spec().hasSelector() || service.spec().effectiveType() == ServiceType.EXTERNAL_NAME) {
            return Optional.empty();
        }
        Map<String, ServiceEndpoint> previous = new HashMap<>();
        stored.ifPresent(s -> s.endpoints().forEach(e -> previous.put(e.pod() + "/" + e.address(), e)));
        Map<String, String> selector = service.spec().selectorLabels();
        List<ServiceEndpoint> endpoints = new ArrayList<>();
        for (Pod pod : podsOfNamespace.stream().sorted(Comparator.comparing(Pod::name)).toList()) {
            if (!selects(selector, pod)) {
                continue;
            }
            Optional<String> address = addressOf(pod);
            if (address.isEmpty()) {
                continue; // nothing to send to yet: it appears once IPAM has given it an address
            }
            ServiceEndpoint before = previous.get(pod.name() + "/" + address.get());
            endpoints.add(endpoint(service, pod, address.get(), nodes, before));
        }
        return Optional.of(List.copyOf(endpoints));
    }

    private static ServiceEndpoint endpoint(Service service, Pod pod, String address, Map<String, Node> nodes,
            ServiceEndpoint before) {
        List<EndpointPort> ports = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (ServicePort port : service.spec().portList()) {
            resolve(port, pod).ifPresentOrElse(ports::add, () -> problems.add("pod has no " + port.effectiveProtocol()
                    + " port named " + port.effectiveTargetPort().value() + " (targetPort of service port "
                    + (port.name() == null ? port.port() : port.name()) + ")"));
        }
        String node = pod.spec().node();
        Node host = node == null ? null : nodes.get(node);
        if (host != null && host.status() != null && Boolean.FALSE.equals(host.status().ready())) {
            problems.add("node " + node + " is NotReady");
        }
        EndpointHealth health = null;
        if (service.spec().healthCheck() != null) {
            health = before != null && before.health() != null ? before.health() : EndpointHealth.unknown();
            switch (health.status()) {
                case EndpointHealth.PASSING -> { }
                case EndpointHealth.FAILING -> problems.add("health check failing"
                        + (health.output() == null || health.output().isBlank() ? "" : ": " + health.output()));
                default -> problems.add("waiting for the first passing health check");
            }
        }
        boolean ready = problems.isEmpty() || service.spec().publishesNotReadyAddresses();
        String reason = problems.isEmpty() ? null : String.join("; ", problems);
        return new ServiceEndpoint(address, pod.name(), node, ready, reason,
                EndpointWeights.of(pod.metadata().annotations()), ports, health);
    }

    /** The service port on this pod: a number as it is, a name as the pod's port of that name and protocol. */
    static Optional<EndpointPort> resolve(ServicePort port, Pod pod) {
        PortReference target = port.effectiveTargetPort();
        String protocol = port.effectiveProtocol();
        if (target.numberValue().isPresent()) {
            return Optional.of(new EndpointPort(port.name(), target.numberValue().get(), protocol));
        }
        String name = target.nameValue().orElseThrow();
        return pod.spec().ports().stream()
                .filter(p -> name.equals(p.name()) && protocol.equalsIgnoreCase(p.effectiveProtocol()))
                .findFirst()
                .map(p -> new EndpointPort(port.name(), p.port(), protocol));
    }

    static boolean selects(Map<String, String> selector, Pod pod) {
        Map<String, String> labels = pod.metadata().labels();
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /** The pod's first IPv4 address (services are IPv4 here), else its first address. */
    private static Optional<String> addressOf(Pod pod) {
        if (pod.status() == null || !PodStatus.ALLOCATED.equals(pod.status().phase())) {
            return Optional.empty();
        }
        List<String> addresses = pod.status().addresses().stream().map(PodStatus.PodAddress::ip)
                .filter(ip -> ip != null && !ip.isBlank()).toList();
        return addresses.stream().filter(ip -> !ip.contains(":")).findFirst().or(() -> addresses.stream().findFirst());
    }
}
