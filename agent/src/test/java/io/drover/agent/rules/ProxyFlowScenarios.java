package io.drover.agent.rules;

import io.drover.agent.rules.ServiceRuleInput.Algorithm;
import io.drover.agent.rules.ServiceRuleInput.TrafficPolicy;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * The services each group of {@code proxy-packet-flows.tsv} assumes, as kube-proxy's tests set them up
 * (pkg/proxy/nftables/proxier_test.go): the file names the test, these are its services. Endpoint 10.180.2.1 is on
 * this node (nodeName test-node), 10.180.0.1 on none (remote), except in TestClusterIPGeneral where locality plays
 * no part.
 */
final class ProxyFlowScenarios {

    private ProxyFlowScenarios() {}

    static final String REMOTE = "10.180.0.1";
    static final String LOCAL = "10.180.2.1";

    /** kube-proxy's node: service CIDR 172.30.0.0/16, NodePorts on the primary node IP only (the nftables default). */
    static final ServiceNodeConfig NODE = new ServiceNodeConfig(List.of(Cidr.parse("172.30.0.0/16")),
            List.of(ip("192.168.0.2")), List.of(ip("192.168.0.2")));

    static final Map<String, List<ServiceRuleInput>> BY_TEST = Map.of(
            "TestClusterIPGeneral", clusterIpGeneral(),
            "(no-endpoints test)", List.of(loadBalancer(TrafficPolicy.CLUSTER, List.of(), List.of("192.168.99.11"),
                    List.of("1.2.3.4"), List.of())),
            "TestNodePorts", List.of(nodePort()),
            "TestLoadBalancer", List.of(loadBalancer(TrafficPolicy.CLUSTER, List.of(endpoint(REMOTE, 80, false)),
                    List.of(), List.of("1.2.3.4", "5.6.7.8"), List.of("192.168.0.0/24", "203.0.113.0/25"))),
            "TestExternalTrafficPolicyLocal", List.of(loadBalancer(TrafficPolicy.LOCAL, bothEndpoints(),
                    List.of("192.168.99.11"), List.of("1.2.3.4"), List.of())),
            "TestExternalTrafficPolicyCluster", List.of(loadBalancer(TrafficPolicy.CLUSTER, bothEndpoints(),
                    List.of("192.168.99.11"), List.of("1.2.3.4"), List.of())));

    private static List<ServiceRuleInput> clusterIpGeneral() {
        List<ServiceEndpoint> svc2 = List.of(endpoint(REMOTE, 0, true), endpoint(LOCAL, 0, false));
        return List.of(
                port("ns1", "svc1", "http", "TCP", 80, "172.30.0.41", 0, List.of(endpoint(REMOTE, 80, true)),
                        TrafficPolicy.CLUSTER, List.of(), List.of(), List.of()),
                port("ns2", "svc2", "http", "TCP", 80, "172.30.0.42", 0, at(svc2, 80), TrafficPolicy.CLUSTER,
                        List.of(), List.of(), List.of()),
                port("ns2", "svc2", "https", "TCP", 443, "172.30.0.42", 0, at(svc2, 8443), TrafficPolicy.CLUSTER,
                        List.of(), List.of(), List.of()),
                port("ns2", "svc2", "dns-udp", "UDP", 53, "172.30.0.42", 0, at(svc2, 53), TrafficPolicy.CLUSTER,
                        List.of(), List.of(), List.of()),
                port("ns2", "svc2", "dns-tcp", "TCP", 53, "172.30.0.42", 0, at(svc2, 5353), TrafficPolicy.CLUSTER,
                        List.of(), List.of(), List.of()),
                port("ns2", "svc2", "dns-sctp", "SCTP", 53, "172.30.0.42", 0, at(svc2, 53), TrafficPolicy.CLUSTER,
                        List.of(), List.of(), List.of()));
    }

    private static ServiceRuleInput nodePort() {
        return port("ns1", "svc1", "p80", "TCP", 80, "172.30.0.41", 3001, bothEndpoints(), TrafficPolicy.CLUSTER,
                List.of(), List.of(), List.of());
    }

    private static ServiceRuleInput loadBalancer(TrafficPolicy external, List<ServiceEndpoint> endpoints,
            List<String> externalIps, List<String> lbIps, List<String> sourceRanges) {
        return port("ns1", "svc1", "p80", "TCP", 80, "172.30.0.41", 3001, endpoints, external, externalIps, lbIps,
                sourceRanges);
    }

    private static List<ServiceEndpoint> bothEndpoints() {
        return List.of(endpoint(REMOTE, 80, false), endpoint(LOCAL, 80, true));
    }

    private static ServiceRuleInput port(String ns, String name, String portName, String protocol, int port,
            String clusterIp, int nodePort, List<ServiceEndpoint> endpoints, TrafficPolicy external,
            List<String> externalIps, List<String> lbIps, List<String> sourceRanges) {
        return new ServiceRuleInput(ns, name, portName, protocol, port, List.of(ip(clusterIp)), nodePort,
                externalIps.stream().map(ProxyFlowScenarios::ip).toList(), lbIps.stream().map(ProxyFlowScenarios::ip).toList(),
                sourceRanges.stream().map(Cidr::parse).toList(), external, TrafficPolicy.CLUSTER, null, Algorithm.RANDOM,
                endpoints);
    }

    /** The same endpoints on another target port. */
    private static List<ServiceEndpoint> at(List<ServiceEndpoint> endpoints, int port) {
        return endpoints.stream().map(e -> new ServiceEndpoint(e.ip(), port, e.local(), e.ready(), e.weight())).toList();
    }

    private static ServiceEndpoint endpoint(String ip, int port, boolean local) {
        return ServiceEndpoint.ready(ip(ip), port == 0 ? 1 : port, local);
    }

    static InetAddress ip(String text) {
        return IpAddresses.parse(text);
    }
}
