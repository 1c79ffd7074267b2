package io.drover.model.validation;

import io.drover.model.meta.LabelRules;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;
import io.drover.model.service.EndpointWeights;
import io.drover.model.service.LoadBalancing;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceSpec;
import io.drover.model.service.ServiceType;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The field rules of a Service, Kubernetes' own (ValidateService) so that a service written for Kubernetes is
 * accepted unchanged, plus Drover's annotation and health check. Where Drover does less than Kubernetes (IPv6,
 * dual stack) the error says so rather than accepting what would not work. Whether an address or node port is free
 * and inside the configured ranges depends on other services: the registry checks that when it allocates.
 */
final class ServiceRules {

    private static final Set<String> AFFINITIES = Set.of(ServiceSpec.AFFINITY_NONE, ServiceSpec.AFFINITY_CLIENT_IP);
    private static final Set<String> TRAFFIC_POLICIES = Set.of(ServiceSpec.POLICY_CLUSTER, ServiceSpec.POLICY_LOCAL);
    private static final Set<String> FAMILY_POLICIES = Set.of("SingleStack", "PreferDualStack", "RequireDualStack");

    private ServiceRules() {}

    static void validate(Service service, Errors errors) {
        validateLoadBalancingAnnotation(service.metadata(), errors);
        ServiceSpec spec = service.spec();
        ServiceType type = validateType(spec.type(), errors);
        if (spec.selector() != null) {
            Validators.validateLabels("spec.selector", spec.selector(), errors);
        }
        ServicePortRules.validate(spec, type, errors);
        validateClusterIp(spec, type, errors);
        validateExternalName(spec, type, errors);
        validateAffinity(spec, errors);
        validateTrafficPolicies(spec, type, errors);
        validateExternalIps(spec.externalIPList(), errors);
        validateLoadBalancerFields(spec, type, errors);
        validateIpFamilies(spec, errors);
        if (spec.healthCheck() != null) {
            if (type == ServiceType.EXTERNAL_NAME) {
                errors.add("spec.healthCheck", "cannot be used with type ExternalName, which has no endpoints to check; "
                        + "remove healthCheck");
            } else {
                HealthCheckRules.validate("spec.healthCheck", spec.healthCheck(), errors);
            }
        }
    }

    /** A pod's {@value EndpointWeights#ANNOTATION}: its share under weighted balancing. */
    static void validateWeightAnnotation(ObjectMeta meta, Errors errors) {
        String weight = meta == null ? null : meta.annotations().get(EndpointWeights.ANNOTATION);
        if (weight != null && EndpointWeights.parse(weight).isEmpty()) {
            errors.add(Errors.key("metadata.annotations", EndpointWeights.ANNOTATION), Errors.quote(weight)
                    + " is not a weight; write a whole number from " + EndpointWeights.MIN + " to " + EndpointWeights.MAX
                    + " in quotes (e.g. \"10\"): the pod's share of connections under weighted balancing, "
                    + EndpointWeights.DEFAULT + " when omitted");
        }
    }

    private static void validateLoadBalancingAnnotation(ObjectMeta meta, Errors errors) {
        String value = meta == null ? null : meta.annotations().get(Service.LOAD_BALANCING_ANNOTATION);
        if (value != null && LoadBalancing.ofAnnotation(value).isEmpty()) {
            errors.add(Errors.key("metadata.annotations", Service.LOAD_BALANCING_ANNOTATION), Errors.quote(value)
                    + " is not a balancing algorithm; use " + LoadBalancing.known() + " (random when omitted)");
        }
    }

    /** The type; null when it names none Kubernetes knows (then only the checks independent of it run). */
    private static ServiceType validateType(String type, Errors errors) {
        if (type == null || type.isEmpty()) {
            return ServiceType.DEFAULT;
        }
        return ServiceType.find(type).orElseGet(() -> {
            errors.add("spec.type", Errors.quote(type) + " is not a service type" + ServiceType.ignoringCase(type)
                    .map(t -> "; types are written as Kubernetes spells them: " + t.yamlName())
                    .orElse("; use ClusterIP (the default), NodePort, LoadBalancer or ExternalName"));
            return null;
        });
    }

    private static void validateClusterIp(ServiceSpec spec, ServiceType type, Errors errors) {
        String clusterIp = spec.clusterIP();
        List<String> clusterIps = spec.clusterIPs() == null ? List.of() : spec.clusterIPs();
        if (clusterIps.size() > 1) {
            errors.add("spec.clusterIPs", "lists " + clusterIps.size() + " addresses, which asks for dual stack; "
                    + "Drover's services are IPv4 only for now: list one address, or omit clusterIPs");
        }
        if (!clusterIps.isEmpty() && clusterIp != null && !clusterIp.isEmpty() && !clusterIps.getFirst().equals(clusterIp)) {
            errors.add("spec.clusterIPs[0]", Errors.quote(clusterIps.getFirst()) + " differs from spec.clusterIP ("
                    + clusterIp + "); the first of clusterIPs is clusterIP: make them equal, or omit clusterIPs");
        }
        if (clusterIp == null || clusterIp.isEmpty()) {
            return;
        }
        if (spec.isHeadless()) {
            if (type == ServiceType.NODE_PORT || type == ServiceType.LOAD_BALANCER) {
                errors.add("spec.clusterIP", "cannot be None for type " + type.yamlName() + ": node ports and load "
                        + "balancers forward to the service's address; remove clusterIP: None, or use type ClusterIP");
            }
            return;
        }
        if (type == ServiceType.EXTERNAL_NAME) {
            errors.add("spec.clusterIP", "must be empty for type ExternalName, which is a DNS alias without an "
                    + "address; remove clusterIP");
            return;
        }
        addressProblem(clusterIp).ifPresent(problem -> errors.add("spec.clusterIP", problem
                + "; write an address of the service CIDR, None for a headless service, or omit it to have one allocated"));
    }

    private static void validateExternalName(ServiceSpec spec, ServiceType type, Errors errors) {
        String name = spec.externalName();
        boolean given = name != null && !name.isEmpty();
        if (type == ServiceType.EXTERNAL_NAME && !given) {
            errors.add("spec.externalName", "is required for type ExternalName: the DNS name the service is an "
                    + "alias of, e.g. db.example.com");
        } else if (type == ServiceType.EXTERNAL_NAME) {
            // Kubernetes accepts a trailing dot (an absolute name).
            String bare = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
            String problem = LabelRules.dns1123SubdomainProblem(bare);
            if (problem != null) {
                errors.add("spec.externalName", Errors.quote(name) + " is not a DNS name: it " + problem);
            } else if (IpAddresses.isValid(bare)) {
                errors.add("spec.externalName", Errors.quote(name) + " is an address; an ExternalName is a DNS name: "
                        + "for an address, use a service without a selector and register the address as its endpoint");
            }
        } else if (given && type != null) {
            errors.add("spec.externalName", "is only for type ExternalName (this service is " + type.yamlName()
                    + "); remove externalName, or set type: ExternalName");
        }
    }

    private static void validateAffinity(ServiceSpec spec, Errors errors) {
        String affinity = spec.sessionAffinity();
        if (affinity != null && !affinity.isEmpty() && !AFFINITIES.contains(affinity)) {
            errors.add("spec.sessionAffinity", Errors.quote(affinity) + " is not a session affinity; use None (the "
                    + "default) or ClientIP (a client keeps its endpoint)");
        }
        if (spec.sessionAffinityConfig() == null) {
            return;
        }
        if (!spec.clientIpAffinity()) {
            errors.add("spec.sessionAffinityConfig", "only goes with sessionAffinity: ClientIP; set that, or remove "
                    + "sessionAffinityConfig");
        }
        var clientIp = spec.sessionAffinityConfig().clientIP();
        Integer timeout = clientIp == null ? null : clientIp.timeoutSeconds();
        if (timeout != null && (timeout < 1 || timeout > ServiceSpec.MAX_AFFINITY_TIMEOUT_SECONDS)) {
            errors.add("spec.sessionAffinityConfig.clientIP.timeoutSeconds", "must be between 1 and "
                    + ServiceSpec.MAX_AFFINITY_TIMEOUT_SECONDS + " (a day); it is " + timeout + " (omit it for "
                    + ServiceSpec.DEFAULT_AFFINITY_TIMEOUT_SECONDS + ", three hours)");
        }
    }

    private static void validateTrafficPolicies(ServiceSpec spec, ServiceType type, Errors errors) {
        String external = spec.externalTrafficPolicy();
        if (external != null && !external.isEmpty()) {
            if (!TRAFFIC_POLICIES.contains(external)) {
                errors.add("spec.externalTrafficPolicy", Errors.quote(external) + " is not a traffic policy; use "
                        + "Cluster (any endpoint, client address masqueraded) or Local (this node's endpoints, client "
                        + "address kept)");
            } else if (type != null && type != ServiceType.NODE_PORT && type != ServiceType.LOAD_BALANCER
                    && spec.externalIPList().isEmpty()) {
                errors.add("spec.externalTrafficPolicy", "only applies to traffic from outside the cluster: node "
                        + "ports, load balancer addresses and externalIPs, which this " + type.yamlName()
                        + " service has none of; remove externalTrafficPolicy");
            }
        }
        String internal = spec.internalTrafficPolicy();
        if (internal != null && !internal.isEmpty() && !TRAFFIC_POLICIES.contains(internal)) {
            errors.add("spec.internalTrafficPolicy", Errors.quote(internal) + " is not a traffic policy; use Cluster "
                    + "(any endpoint, the default) or Local (only endpoints on the client's node)");
        }
    }

    private static void validateExternalIps(List<String> externalIps, Errors errors) {
        for (int i = 0; i < externalIps.size(); i++) {
            String field = Errors.index("spec.externalIPs", i);
            String ip = externalIps.get(i);
            addressProblem(ip).ifPresentOrElse(problem -> errors.add(field, problem),
                    () -> specialAddressProblem(IpAddresses.parse(ip)).ifPresent(p -> errors.add(field, Errors.quote(ip)
                            + " is " + p + ", which cannot route to a service; give an address the nodes receive")));
        }
    }

    private static void validateLoadBalancerFields(ServiceSpec spec, ServiceType type, Errors errors) {
        boolean loadBalancer = type == ServiceType.LOAD_BALANCER;
        String requested = spec.loadBalancerIP();
        if (requested != null && !requested.isEmpty()) {
            if (!loadBalancer && type != null) {
                errors.add("spec.loadBalancerIP", "only goes with type LoadBalancer; set it, or remove loadBalancerIP");
            } else {
                addressProblem(requested).ifPresent(problem -> errors.add("spec.loadBalancerIP", problem
                        + "; write an address of a load balancer pool, or omit it to have one allocated"));
            }
        }
        List<String> ranges = spec.sourceRangeList();
        if (!ranges.isEmpty() && !loadBalancer && type != null) {
            errors.add("spec.loadBalancerSourceRanges", "only go with type LoadBalancer; set it, or remove "
                    + "loadBalancerSourceRanges");
        }
        for (int i = 0; i < ranges.size(); i++) {
            try {
                Cidr cidr = Cidr.parse(ranges.get(i) == null ? null : ranges.get(i).strip());
                if (cidr.family() != IpFamily.IPV4) {
                    errors.add(Errors.index("spec.loadBalancerSourceRanges", i), cidr + " is IPv6, and Drover's "
                            + "services are IPv4 only for now; list IPv4 CIDRs");
                }
            } catch (IllegalArgumentException e) {
                errors.add(Errors.index("spec.loadBalancerSourceRanges", i), e.getMessage()
                        + "; list the clients allowed as CIDRs, e.g. 203.0.113.0/24");
            }
        }
        if (spec.allocateLoadBalancerNodePorts() != null && !loadBalancer && type != null) {
            errors.add("spec.allocateLoadBalancerNodePorts", "only goes with type LoadBalancer; remove it");
        }
    }

    private static void validateIpFamilies(ServiceSpec spec, Errors errors) {
        List<String> families = spec.ipFamilies() == null ? List.of() : spec.ipFamilies();
        for (int i = 0; i < families.size(); i++) {
            String family = families.get(i);
            String field = Errors.index("spec.ipFamilies", i);
            if ("IPv6".equals(family)) {
                errors.add(field, "IPv6 is not supported for services yet: Drover allocates IPv4 cluster IPs only; "
                        + "write IPv4, or omit ipFamilies");
            } else if (!"IPv4".equals(family)) {
                errors.add(field, Errors.quote(family) + " is not an IP family; write IPv4 (IPv6 services are not "
                        + "supported yet)");
            } else if (i > 0) {
                errors.add(field, "IPv4 is already listed; list each family once");
            }
        }
        String policy = spec.ipFamilyPolicy();
        if (policy == null || policy.isEmpty()) {
            return;
        }
        if (!FAMILY_POLICIES.contains(policy)) {
            errors.add("spec.ipFamilyPolicy", Errors.quote(policy) + " is not an IP family policy; use SingleStack "
                    + "(the default), PreferDualStack or RequireDualStack");
        } else if (policy.equals("RequireDualStack")) {
            errors.add("spec.ipFamilyPolicy", "RequireDualStack cannot be met: Drover's services are IPv4 only for "
                    + "now; use SingleStack, or PreferDualStack to take IPv4 alone");
        }
    }

    /** What is wrong with an address field: not an address, or IPv6, which services cannot have yet. */
    private static Optional<String> addressProblem(String text) {
        InetAddress address;
        try {
            address = IpAddresses.parse(text);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        if (IpFamily.of(address) != IpFamily.IPV4) {
            return Optional.of(Errors.quote(text) + " is IPv6, and Drover's services are IPv4 only for now");
        }
        return Optional.empty();
    }

    private static Optional<String> specialAddressProblem(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return Optional.of("the unspecified address");
        }
        if (address.isLoopbackAddress()) {
            return Optional.of("a loopback address");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("a link-local address");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("a multicast address");
        }
        return Optional.empty();
    }
}
