package io.drover.agent.desired;

import io.drover.agent.rules.ServiceEndpoint;
import io.drover.agent.rules.ServiceRuleInput;
import io.drover.agent.rules.ServiceRuleInput.Algorithm;
import io.drover.agent.rules.ServiceRuleInput.TrafficPolicy;
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
 * <p>The data plane is IPv4 for now: IPv6 addresses of a service or an endpoint are left out rather than refused, so
 * that a dual-stack service still balances its IPv4 side.
 */
public final class ServiceCalculator {

    private ServiceCalculator() {}

    /**
     * @param endpoints every service's endpoints object (the endpoints controller's, or registered by hand)
     */
    public static List<ServiceRuleInput> compute(String nodeName, Collection<Service> services,
            Collection<ServiceEndpoints> endpoints) {
        Map<String, ServiceEndpoints> endpointsByService = new HashMap<>();
        endpoints.forEach(e -> endpointsByService.put(e.namespace() + "/" + e.name(), e));
        List<ServiceRuleInput> inputs = new ArrayList<>();
        for (Service service : services) {
            ServiceSpec spec = service.spec();
            if (spec.effectiveType() == ServiceType.EXTERNAL_NAME || spec.clusterAddress().isEmpty()) {
                continue;
            }
            List<InetAddress> clusterIps = ipv4(List.of(spec.clusterAddress().get()));
            if (clusterIps.isEmpty()) {
                continue;
            }
            ServiceEndpoints serviceEndpoints = endpointsByService.get(service.namespace() + "/" + service.name());
            for (ServicePort port : spec.portList()) {
                inputs.add(new ServiceRuleInput(service.namespace(), service.name(), port.name(),
                        port.effectiveProtocol(), port.port(), clusterIps,
                        port.nodePort() == null ? 0 : port.nodePort(), ipv4(spec.externalIPList()),
                        ipv4(service.loadBalancerIps()), sourceRanges(spec.sourceRangeList()),
                        spec.externalTrafficLocal() ? TrafficPolicy.LOCAL : TrafficPolicy.CLUSTER,
                        spec.internalTrafficLocal() ? TrafficPolicy.LOCAL : TrafficPolicy.CLUSTER,
                        spec.clientIpAffinity() ? Duration.ofSeconds(spec.affinityTimeoutSeconds()) : null,
                        algorithm(service), endpointsOf(port, serviceEndpoints, nodeName)));
            }
        }
        return inputs;
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
        if (address == null || !IpAddresses.isValid(address)) {
            return Optional.empty();
        }
        InetAddress ip = IpAddresses.parse(address);
        return IpFamily.of(ip) == IpFamily.IPV4 ? Optional.of(ip) : Optional.empty();
    }
}
