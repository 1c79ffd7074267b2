package io.drover.model.service;

import java.util.List;
import java.util.Map;

/** Builds a {@link ServiceSpec}: eighteen fields are too many to pass by position, and most are usually omitted. */
public final class ServiceSpecBuilder {

    private String type;
    private Map<String, String> selector;
    private List<ServicePort> ports;
    private String clusterIP;
    private List<String> clusterIPs;
    private String sessionAffinity;
    private SessionAffinityConfig sessionAffinityConfig;
    private String externalTrafficPolicy;
    private String internalTrafficPolicy;
    private List<String> externalIPs;
    private String loadBalancerIP;
    private List<String> loadBalancerSourceRanges;
    private String externalName;
    private Boolean publishNotReadyAddresses;
    private List<String> ipFamilies;
    private String ipFamilyPolicy;
    private Boolean allocateLoadBalancerNodePorts;
    private HealthCheck healthCheck;

    ServiceSpecBuilder() {}

    ServiceSpecBuilder(ServiceSpec s) {
        type = s.type();
        selector = s.selector();
        ports = s.ports();
        clusterIP = s.clusterIP();
        clusterIPs = s.clusterIPs();
        sessionAffinity = s.sessionAffinity();
        sessionAffinityConfig = s.sessionAffinityConfig();
        externalTrafficPolicy = s.externalTrafficPolicy();
        internalTrafficPolicy = s.internalTrafficPolicy();
        externalIPs = s.externalIPs();
        loadBalancerIP = s.loadBalancerIP();
        loadBalancerSourceRanges = s.loadBalancerSourceRanges();
        externalName = s.externalName();
        publishNotReadyAddresses = s.publishNotReadyAddresses();
        ipFamilies = s.ipFamilies();
        ipFamilyPolicy = s.ipFamilyPolicy();
        allocateLoadBalancerNodePorts = s.allocateLoadBalancerNodePorts();
        healthCheck = s.healthCheck();
    }

    public ServiceSpecBuilder type(String value) {
        type = value;
        return this;
    }

    public ServiceSpecBuilder selector(Map<String, String> value) {
        selector = value;
        return this;
    }

    public ServiceSpecBuilder ports(List<ServicePort> value) {
        ports = value;
        return this;
    }

    public ServiceSpecBuilder ports(ServicePort... value) {
        return ports(List.of(value));
    }

    public ServiceSpecBuilder clusterIP(String value) {
        clusterIP = value;
        return this;
    }

    public ServiceSpecBuilder clusterIPs(List<String> value) {
        clusterIPs = value;
        return this;
    }

    public ServiceSpecBuilder sessionAffinity(String value) {
        sessionAffinity = value;
        return this;
    }

    public ServiceSpecBuilder sessionAffinityConfig(SessionAffinityConfig value) {
        sessionAffinityConfig = value;
        return this;
    }

    public ServiceSpecBuilder externalTrafficPolicy(String value) {
        externalTrafficPolicy = value;
        return this;
    }

    public ServiceSpecBuilder internalTrafficPolicy(String value) {
        internalTrafficPolicy = value;
        return this;
    }

    public ServiceSpecBuilder externalIPs(List<String> value) {
        externalIPs = value;
        return this;
    }

    public ServiceSpecBuilder loadBalancerIP(String value) {
        loadBalancerIP = value;
        return this;
    }

    public ServiceSpecBuilder loadBalancerSourceRanges(List<String> value) {
        loadBalancerSourceRanges = value;
        return this;
    }

    public ServiceSpecBuilder externalName(String value) {
        externalName = value;
        return this;
    }

    public ServiceSpecBuilder publishNotReadyAddresses(Boolean value) {
        publishNotReadyAddresses = value;
        return this;
    }

    public ServiceSpecBuilder ipFamilies(List<String> value) {
        ipFamilies = value;
        return this;
    }

    public ServiceSpecBuilder ipFamilyPolicy(String value) {
        ipFamilyPolicy = value;
        return this;
    }

    public ServiceSpecBuilder allocateLoadBalancerNodePorts(Boolean value) {
        allocateLoadBalancerNodePorts = value;
        return this;
    }

    public ServiceSpecBuilder healthCheck(HealthCheck value) {
        healthCheck = value;
        return this;
    }

    public ServiceSpec build() {
        return new ServiceSpec(type, selector, ports, clusterIP, clusterIPs, sessionAffinity, sessionAffinityConfig,
                externalTrafficPolicy, internalTrafficPolicy, externalIPs, loadBalancerIP, loadBalancerSourceRanges,
                externalName, publishNotReadyAddresses, ipFamilies, ipFamilyPolicy, allocateLoadBalancerNodePorts,
                healthCheck);
    }
}
