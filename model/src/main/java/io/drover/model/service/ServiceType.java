package io.drover.model.service;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a service is exposed, as Kubernetes' {@code spec.type}; each type includes the ones before it but ExternalName. */
public enum ServiceType {
    /** A virtual address inside the cluster (the default). */
    CLUSTER_IP("ClusterIP"),
    /** Also a port on every node, from the node-port range. */
    NODE_PORT("NodePort"),
    /** Also an address from a load balancer pool, reachable from outside the cluster. */
    LOAD_BALANCER("LoadBalancer"),
    /** A DNS alias of {@code spec.externalName}: no address, no ports, no endpoints. */
    EXTERNAL_NAME("ExternalName");

    public static final ServiceType DEFAULT = CLUSTER_IP;

    private final String yamlName;

    ServiceType(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    /** Whether each port gets a node port (NodePort, and LoadBalancer unless allocateLoadBalancerNodePorts is false). */
    public boolean exposesNodePorts() {
        return this == NODE_PORT || this == LOAD_BALANCER;
    }

    /** Spelled exactly as Kubernetes writes it; empty for anything else. */
    public static Optional<ServiceType> find(String name) {
        return Arrays.stream(values()).filter(t -> t.yamlName.equals(name)).findFirst();
    }

    /** The type whose name differs only in case, for a hint. */
    public static Optional<ServiceType> ignoringCase(String name) {
        return name == null ? Optional.empty()
                : Arrays.stream(values()).filter(t -> t.yamlName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))).findFirst();
    }

    @Override
    public String toString() {
        return yamlName;
    }
}
