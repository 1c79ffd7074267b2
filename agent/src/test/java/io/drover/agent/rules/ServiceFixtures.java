package io.drover.agent.rules;

import io.drover.agent.rules.ServiceRuleInput.Algorithm;
import io.drover.agent.rules.ServiceRuleInput.TrafficPolicy;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Service ports for the rules tests, built field by field from a plain ClusterIP service. */
final class ServiceFixtures {

    private ServiceFixtures() {}

    static final ServiceNodeConfig NODE = new ServiceNodeConfig(List.of(Cidr.parse("172.30.0.0/16")),
            List.of(IpAddresses.parse("192.168.0.2")), List.of(IpAddresses.parse("192.168.0.2")));

    static ServiceEndpoint endpoint(String ip, int port, boolean local) {
        return ServiceEndpoint.ready(IpAddresses.parse(ip), port, local);
    }

    /** A builder, so that each test states only what matters to it; a fresh one per service. */
    static Service service(String namespace, String name, String clusterIp) {
        return new Service(namespace, name, clusterIp);
    }

    static final class Service {
        private final String namespace;
        private final String name;
        private final String clusterIp;
        private String portName = "http";
        private String protocol = "TCP";
        private int port = 80;
        private int nodePort;
        private List<String> externalIps = List.of();
        private List<String> lbIps = List.of();
        private List<String> sourceRanges = List.of();
        private TrafficPolicy external = TrafficPolicy.CLUSTER;
        private TrafficPolicy internal = TrafficPolicy.CLUSTER;
        private Duration affinity;
        private Algorithm algorithm = Algorithm.RANDOM;
        private List<ServiceEndpoint> endpoints = List.of();

        private Service(String namespace, String name, String clusterIp) {
            this.namespace = namespace;
            this.name = name;
            this.clusterIp = clusterIp;
        }

        Service port(String portName, String protocol, int port) {
            this.portName = portName;
            this.protocol = protocol;
            this.port = port;
            return this;
        }

        Service nodePort(int nodePort) {
            this.nodePort = nodePort;
            return this;
        }

        Service externalIps(String... ips) {
            this.externalIps = Arrays.asList(ips);
            return this;
        }

        Service loadBalancer(List<String> ips, String... sourceRanges) {
            this.lbIps = ips;
            this.sourceRanges = Arrays.asList(sourceRanges);
            return this;
        }

        Service externalTrafficPolicy(TrafficPolicy policy) {
            this.external = policy;
            return this;
        }

        Service internalTrafficPolicy(TrafficPolicy policy) {
            this.internal = policy;
            return this;
        }

        Service affinity(Duration timeout) {
            this.affinity = timeout;
            return this;
        }

        Service algorithm(Algorithm algorithm) {
            this.algorithm = algorithm;
            return this;
        }

        Service endpoints(ServiceEndpoint... endpoints) {
            this.endpoints = Arrays.asList(endpoints);
            return this;
        }

        ServiceRuleInput build() {
            return new ServiceRuleInput(namespace, name, portName, protocol, port,
                    clusterIp == null ? List.of() : List.of(IpAddresses.parse(clusterIp)), nodePort,
                    externalIps.stream().map(IpAddresses::parse).toList(), lbIps.stream().map(IpAddresses::parse).toList(),
                    sourceRanges.stream().map(Cidr::parse).toList(), external, internal, affinity, algorithm, endpoints);
        }
    }
}
