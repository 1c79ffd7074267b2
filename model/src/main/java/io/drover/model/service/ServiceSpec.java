package io.drover.model.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kubernetes' ServiceSpec, field for field, and Drover's {@code healthCheck}. Omitted fields keep Kubernetes'
 * defaults, which the accessors without a record component's name give ({@link #effectiveType()} and so on).
 *
 * @param selector                 the pods whose ports are the endpoints; null (no selector): endpoints are
 *                                 registered by hand in the service's ServiceEndpoints
 * @param clusterIP                the virtual address; allocated from the service CIDR when omitted, {@code None}
 *                                 for a headless service (DNS names the pods, no balancing)
 * @param clusterIPs               Kubernetes' list form of clusterIP; its first entry is clusterIP
 * @param externalIPs              addresses routed to the nodes from outside, at which the service's ports answer too
 * @param loadBalancerIP           the address a LoadBalancer service asks for from the pools
 * @param loadBalancerSourceRanges the clients (CIDRs) a LoadBalancer service accepts; every client when empty
 * @param healthCheck              Drover: how the agent of an endpoint's node checks it; a failing endpoint is not
 *                                 ready
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceSpec(
        String type,
        Map<String, String> selector,
        List<ServicePort> ports,
        String clusterIP,
        List<String> clusterIPs,
        String sessionAffinity,
        SessionAffinityConfig sessionAffinityConfig,
        String externalTrafficPolicy,
        String internalTrafficPolicy,
        List<String> externalIPs,
        String loadBalancerIP,
        List<String> loadBalancerSourceRanges,
        String externalName,
        Boolean publishNotReadyAddresses,
        List<String> ipFamilies,
        String ipFamilyPolicy,
        Boolean allocateLoadBalancerNodePorts,
        HealthCheck healthCheck) {

    public static final String HEADLESS = "None";
    public static final String AFFINITY_NONE = "None";
    public static final String AFFINITY_CLIENT_IP = "ClientIP";
    public static final String POLICY_CLUSTER = "Cluster";
    public static final String POLICY_LOCAL = "Local";
    /** Kubernetes' default: three hours. */
    public static final int DEFAULT_AFFINITY_TIMEOUT_SECONDS = 10800;
    public static final int MAX_AFFINITY_TIMEOUT_SECONDS = 86400;
    public static final ServiceSpec EMPTY = builder().build();

    public ServiceSpec {
        selector = selector == null ? null : Map.copyOf(selector);
        ports = ports == null ? null : List.copyOf(ports);
        clusterIPs = clusterIPs == null ? null : List.copyOf(clusterIPs);
        externalIPs = externalIPs == null ? null : List.copyOf(externalIPs);
        loadBalancerSourceRanges = loadBalancerSourceRanges == null ? null : List.copyOf(loadBalancerSourceRanges);
        ipFamilies = ipFamilies == null ? null : List.copyOf(ipFamilies);
    }

    public static ServiceSpecBuilder builder() {
        return new ServiceSpecBuilder();
    }

    /** A builder holding this spec's values, to change a few. */
    public ServiceSpecBuilder toBuilder() {
        return new ServiceSpecBuilder(this);
    }

    /** The type; ClusterIP when omitted or (unvalidated) unknown. */
    @JsonIgnore
    public ServiceType effectiveType() {
        return type == null || type.isEmpty() ? ServiceType.DEFAULT : ServiceType.find(type).orElse(ServiceType.DEFAULT);
    }

    /** {@code clusterIP: None}: no virtual address; DNS answers with the endpoints themselves. */
    @JsonIgnore
    public boolean isHeadless() {
        return HEADLESS.equals(clusterIP);
    }

    /** The virtual address, when one is set (requested, or allocated by the server); never "None". */
    @JsonIgnore
    public Optional<String> clusterAddress() {
        return clusterIP == null || clusterIP.isEmpty() || isHeadless() ? Optional.empty() : Optional.of(clusterIP);
    }

    @JsonIgnore
    public List<ServicePort> portList() {
        return ports == null ? List.of() : ports;
    }

    /** Whether endpoints come from pods (a selector) rather than by hand. */
    @JsonIgnore
    public boolean hasSelector() {
        return selector != null && !selector.isEmpty();
    }

    @JsonIgnore
    public Map<String, String> selectorLabels() {
        return selector == null ? Map.of() : selector;
    }

    @JsonIgnore
    public boolean clientIpAffinity() {
        return AFFINITY_CLIENT_IP.equals(sessionAffinity);
    }

    /** How long a client keeps its endpoint under ClientIP affinity. */
    @JsonIgnore
    public int affinityTimeoutSeconds() {
        Integer timeout = sessionAffinityConfig == null || sessionAffinityConfig.clientIP() == null
                ? null : sessionAffinityConfig.clientIP().timeoutSeconds();
        return timeout == null ? DEFAULT_AFFINITY_TIMEOUT_SECONDS : timeout;
    }

    /** Local: traffic from outside (node ports, load balancer and external IPs) only to the node's own endpoints, client address kept. */
    @JsonIgnore
    public boolean externalTrafficLocal() {
        return POLICY_LOCAL.equals(externalTrafficPolicy);
    }

    /** Local: traffic from pods only to endpoints on the pod's own node. */
    @JsonIgnore
    public boolean internalTrafficLocal() {
        return POLICY_LOCAL.equals(internalTrafficPolicy);
    }

    @JsonIgnore
    public List<String> externalIPList() {
        return externalIPs == null ? List.of() : externalIPs;
    }

    @JsonIgnore
    public List<String> sourceRangeList() {
        return loadBalancerSourceRanges == null ? List.of() : loadBalancerSourceRanges;
    }

    @JsonIgnore
    public boolean publishesNotReadyAddresses() {
        return Boolean.TRUE.equals(publishNotReadyAddresses);
    }

    /** Whether the ports get node ports: NodePort always, LoadBalancer unless allocateLoadBalancerNodePorts is false. */
    @JsonIgnore
    public boolean allocatesNodePorts() {
        ServiceType t = effectiveType();
        return t == ServiceType.NODE_PORT
                || (t == ServiceType.LOAD_BALANCER && !Boolean.FALSE.equals(allocateLoadBalancerNodePorts));
    }

    /** Whether the server gives the service a virtual address: every type but ExternalName, unless headless. */
    @JsonIgnore
    public boolean allocatesClusterIp() {
        return effectiveType() != ServiceType.EXTERNAL_NAME && !isHeadless();
    }
}
