package io.drover.agent.desired;

import io.drover.agent.rules.ServiceEndpoint;
import io.drover.agent.rules.ServiceNodeConfig;
import io.drover.agent.rules.ServiceRuleInput;
import io.drover.agent.rules.ServiceRuleInput.Algorithm;
import io.drover.agent.rules.ServiceRuleInput.TrafficPolicy;
import io.drover.agent.rules.ServiceRules;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;
import io.drover.model.service.EndpointPort;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import io.drover.model.service.ServiceType;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the node's service rules balance, from the cluster's services and their endpoints: one
 * {@link ServiceRuleInput} per port of every service that has a virtual address (headless and ExternalName services
 * are DNS's business, not the proxy's). Pure, like {@link NodeCalculator}: the same on every node except for which
 * endpoints are local, which the traffic policies Local need.
 *
 * <p>An instance remembers what it calculated, so that a calculation after one service changed computes that one
 * alone ({@link #calculate}); the static methods start from nothing.
 *
 * <p>The data plane is IPv4 for now: IPv6 addresses of a service or an endpoint are left out rather than refused, so
 * that a dual-stack service still balances its IPv4 side.
 */
public final class ServiceCalculator {

    /** The services' rules last calculated without error. */
    private ServiceRules current = ServiceRules.NONE;
    /** Services changed since {@link #current}: a clash kept them out, and each calculation tries them again. */
    private final Map<String, List<ServiceRuleInput>> pending = new HashMap<>();
    private final ServiceChangeTracker tracker = new ServiceChangeTracker();
    private int changedLast;

    /**
     * The node's service rules, from the cluster's services and their endpoints as the agent's mirrors hand them
     * out: only the services whose objects changed since the last calculation are computed and rendered again
     * ({@link ServiceChangeTracker}, {@link ServiceRules#with}), so that with 10,000 services one more costs its own
     * work. Equal to {@link #rules} from nothing. Throws IllegalArgumentException when two services claim one address
     * and port (or a service cannot be rendered); the next calculation tries the refused changes again.
     *
     * <p>One per agent, used by its sync thread; synchronized all the same, as a calculation must not see another's
     * half.
     */
    public synchronized ServiceRules calculate(String nodeName, ServiceNodeConfig config, Collection<Service> services,
            Collection<ServiceEndpoints> endpoints) {
        pending.putAll(tracker.changes(nodeName, services, endpoints));
        ServiceRules next = current.with(config, pending);
        changedLast = pending.size();
        pending.clear();
        current = next;
        return next;
    }

    /**
     * How many changed services the last successful {@link #calculate} computed and rendered again (diagnostics and
     * tests; when the node's configuration changed, every service was rendered again besides).
     */
    public synchronized int changedLast() {
        return changedLast;
    }

    /** As {@link #calculate}, from nothing. */
    public static ServiceRules rules(String nodeName, ServiceNodeConfig config, Collection<Service> services,
            Collection<ServiceEndpoints> endpoints) {
        return ServiceRules.of(config, compute(nodeName, services, endpoints));
    }

    /**
     * @param endpoints every service's endpoints object (the endpoints controller's, or registered by hand)
     */
    public static List<ServiceRuleInput> compute(String nodeName, Collection<Service> services,
            Collection<ServiceEndpoints> endpoints) {
        Map<String, ServiceEndpoints> endpointsByService = new HashMap<>();
        endpoints.forEach(e -> endpointsByService.put(e.namespace() + "/" + e.name(), e));
        List<ServiceRuleInput> inputs = new ArrayList<>();
        for (Service service : services) {
            inputs.addAll(portsOf(nodeName, service, endpointsByService.get(service.namespace() + "/" + service.name())));
        }
        return inputs;
    }

    /**
     * One service's ports with their endpoints; none for a service without a virtual address.
     *
     * @param endpoints the service's endpoints object, null when it has none
     */
    static List<ServiceRuleInput> portsOf(String nodeName, Service service, ServiceEndpoints endpoints) {
        ServiceSpec spec = service.spec();
        if (spec.effectiveType() == ServiceType.EXTERNAL_NAME || spec.clusterAddress().isEmpty()) {
            return List.of();
        }
        List<InetAddress> clusterIps = ipv4(List.of(spec.clusterAddress().get()));
        if (clusterIps.isEmpty()) {
            return List.of();
        }
        List<ServiceRuleInput> inputs = new ArrayList<>();
        for (ServicePort port : spec.portList()) {
            inputs.add(new ServiceRuleInput(service.namespace(), service.name(), port.name(),
                    port.effectiveProtocol(), port.port(), clusterIps,
                    port.nodePort() == null ? 0 : port.nodePort(), ipv4(spec.externalIPList()),
                    ipv4(service.loadBalancerIps()), sourceRanges(spec.sourceRangeList()),
                    spec.externalTrafficLocal() ? TrafficPolicy.LOCAL : TrafficPolicy.CLUSTER,
                    spec.internalTrafficLocal() ? TrafficPolicy.LOCAL : TrafficPolicy.CLUSTER,
                    spec.clientIpAffinity() ? Duration.ofSeconds(spec.affinityTimeoutSeconds()) : null,
                    algorithm(service), endpointsOf(port, endpoints, nodeName)));
        }
        return List.copyOf(inputs);
    }

    /** The endpoints of one service port: each endpoint's own number for it (a named targetPort differs per pod). */
    private static List<ServiceEndpoint> endpointsOf(ServicePort port, ServiceEndpoints endpoints, String nodeName) {
        if (endpoints == null) {
            return List.of();
        }
        List<ServiceEndpoint> out = new ArrayList<>();
        for (io.drover.model.service.ServiceEndpoint endpoint : endpoints.endpoints()) {
            Optional<InetAddress> ip = ipv4(endpoint.address());
            Optional<EndpointPort> resolved = endpoint.port(port.name());
            if (ip.isEmpty() || resolved.isEmpty() || resolved.get().port() == null) {
                continue; // an IPv6 endpoint, or one whose pod lacks this port: it can take no traffic for it
            }
            out.add(new ServiceEndpoint(ip.get(), resolved.get().port(), nodeName.equals(endpoint.node()),
                    endpoint.readyForTraffic(), endpoint.effectiveWeight()));
        }
        return out;
    }

    private static Algorithm algorithm(Service service) {
        return switch (service.loadBalancing()) {
            case RANDOM -> Algorithm.RANDOM;
            case ROUND_ROBIN -> Algorithm.ROUND_ROBIN;
            case WEIGHTED -> Algorithm.WEIGHTED;
            case SOURCE_HASH -> Algorithm.SOURCE_HASH;
        };
    }

    private static List<Cidr> sourceRanges(List<String> ranges) {
        return ranges.stream().map(Cidr::parse).filter(c -> c.family() == IpFamily.IPV4).toList();
    }

    private static List<InetAddress> ipv4(List<String> addresses) {
        return addresses.stream().map(ServiceCalculator::ipv4).flatMap(Optional::stream).toList();
    }

    private static Optional<InetAddress> ipv4(String address) {
        if (address == null) {
            return Optional.empty();
        }
        InetAddress ip;
        try {
            ip = IpAddresses.parse(address); // once: a cluster's endpoints are parsed by the hundred thousand
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return IpFamily.of(ip) == IpFamily.IPV4 ? Optional.of(ip) : Optional.empty();
    }
}
