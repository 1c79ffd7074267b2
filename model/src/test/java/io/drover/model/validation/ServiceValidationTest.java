package io.drover.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.meta.ObjectMeta;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.model.policy.PortReference;
import io.drover.model.service.EndpointHealth;
import io.drover.model.service.EndpointPort;
import io.drover.model.service.HealthCheck;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import io.drover.model.service.ServiceSpecBuilder;
import io.drover.model.service.SessionAffinityConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A service's field rules: Kubernetes' own, Drover's annotation and health check; each error says what to write. */
class ServiceValidationTest {

    private static final ServicePort HTTP = ServicePort.tcp("http", 80, PortReference.named("http"));

    private static ServiceSpecBuilder web() {
        return ServiceSpec.builder().selector(Map.of("app", "web")).ports(HTTP);
    }

    private static List<String> errors(ServiceSpecBuilder spec) {
        return errors(ObjectMeta.named("shop", "web"), spec);
    }

    private static List<String> errors(ObjectMeta meta, ServiceSpecBuilder spec) {
        return Validators.validate(Service.of(meta, spec.build())).stream().map(FieldError::toString).toList();
    }

    private static ServicePort port(String name, Integer port, String protocol, Integer nodePort) {
        return new ServicePort(name, protocol, port, null, nodePort, null);
    }

    @Test
    void everyTypeWrittenAsKubernetesDoesIsValid() {
        assertThat(errors(web())).isEmpty();
        assertThat(errors(web().clusterIP("None"))).isEmpty();
        assertThat(errors(ServiceSpec.builder().clusterIP("None"))).as("headless without ports").isEmpty();
        assertThat(errors(web().type("NodePort").ports(port("http", 80, null, 30080)).externalTrafficPolicy("Local")))
                .isEmpty();
        assertThat(errors(web().type("LoadBalancer").loadBalancerIP("172.31.0.200")
                .loadBalancerSourceRanges(List.of("203.0.113.0/24")).allocateLoadBalancerNodePorts(false))).isEmpty();
        assertThat(errors(ServiceSpec.builder().type("ExternalName").externalName("db.example.com."))).isEmpty();
        assertThat(errors(web().sessionAffinity("ClientIP").sessionAffinityConfig(SessionAffinityConfig.timeout(86400))
                .externalIPs(List.of("198.51.100.7")).internalTrafficPolicy("Local").publishNotReadyAddresses(true)
                .ipFamilies(List.of("IPv4")).ipFamilyPolicy("PreferDualStack"))).isEmpty();
        assertThat(errors(ServiceSpec.builder().ports(port(null, 53, "UDP", null)))).as("without a selector").isEmpty();
    }

    @Test
    void portsOutOfRangeDuplicatedOrUnnamedAreRefusedNamingTheEarlierPort() {
        assertThat(errors(ServiceSpec.builder().ports(port("http", 0, null, null), port("dns", 70000, "udp", null),
                port("http", 53, "UDP", null), port(null, 53, "UDP", null)))).containsExactly(
                "spec.ports[0].port: must be between 1 and 65535; it is 0",
                "spec.ports[1].protocol: 'udp' must be upper case, as in Kubernetes: UDP",
                "spec.ports[1].port: must be between 1 and 65535; it is 70000",
                "spec.ports[2].name: the name of spec.ports[0] again; each port of a service needs its own: change or "
                        + "remove one of them",
                "spec.ports[3].name: is required when a service has several ports: endpoints and DNS name each port by "
                        + "it; give every port a name, e.g. name: http",
                "spec.ports[3].port: the port and protocol (53/UDP) of spec.ports[2] again; each port of a service "
                        + "needs its own: change or remove one of them");
        assertThat(errors(ServiceSpec.builder().selector(Map.of("app", "web")))).containsExactly(
                "spec.ports: is required: a service forwards the ports it lists; add one, e.g. "
                        + "ports: [{name: http, port: 80, targetPort: http}]");
    }

    @Test
    void aTargetPortIsANumberOrAPortName() {
        assertThat(errors(ServiceSpec.builder().ports(new ServicePort("a", null, 80, PortReference.named("Http_1"), null, null),
                new ServicePort("b", null, 81, PortReference.number(65536), null, null)))).containsExactly(
                "spec.ports[0].targetPort: 'Http_1' is neither a port number nor a port name: a name must consist of "
                        + "lower case alphanumeric characters or '-' (e.g. 'http' or 'metrics-2'); write the number of "
                        + "the pods' port, or the name a pod gives it in spec.ports",
                "spec.ports[1].targetPort: must be between 1 and 65535 (or the name of a pod's port); it is 65536");
    }

    @Test
    void nodePortsBelongToNodePortAndLoadBalancerServices() {
        assertThat(errors(ServiceSpec.builder().ports(port("a", 80, null, 30080)))).containsExactly(
                "spec.ports[0].nodePort: cannot be used with type ClusterIP: only NodePort and LoadBalancer services "
                        + "have node ports; remove nodePort, or set type: NodePort");
        assertThat(errors(ServiceSpec.builder().type("NodePort").ports(port("a", 80, null, 30080), port("b", 81, null, 30080))))
                .containsExactly("spec.ports[1].nodePort: the nodePort and protocol (30080/TCP) of spec.ports[0] "
                        + "again; each port of a service needs its own: change or remove one of them");
        assertThat(errors(ServiceSpec.builder().type("NodePort").clusterIP("None").ports(HTTP))).containsExactly(
                "spec.clusterIP: cannot be None for type NodePort: node ports and load balancers forward to the "
                        + "service's address; remove clusterIP: None, or use type ClusterIP");
    }

    @Test
    void addressesMustBeIpv4AddressesAndIpv6IsSaidToBeUnsupported() {
        assertThat(errors(web().clusterIP("10.96.0.300"))).containsExactly(
                "spec.clusterIP: '10.96.0.300' is not an IPv4 or IPv6 address; write an address of the service CIDR, "
                        + "None for a headless service, or omit it to have one allocated");
        assertThat(errors(web().clusterIP("fd00::10").ipFamilies(List.of("IPv6")).ipFamilyPolicy("RequireDualStack")))
                .containsExactly(
                        "spec.clusterIP: 'fd00::10' is IPv6, and Drover's services are IPv4 only for now; write an "
                                + "address of the service CIDR, None for a headless service, or omit it to have one allocated",
                        "spec.ipFamilies[0]: IPv6 is not supported for services yet: Drover allocates IPv4 cluster IPs "
                                + "only; write IPv4, or omit ipFamilies",
                        "spec.ipFamilyPolicy: RequireDualStack cannot be met: Drover's services are IPv4 only for now; "
                                + "use SingleStack, or PreferDualStack to take IPv4 alone");
        assertThat(errors(web().externalIPs(List.of("127.0.0.1", "x")))).containsExactly(
                "spec.externalIPs[0]: '127.0.0.1' is a loopback address, which cannot route to a service; give an "
                        + "address the nodes receive",
                "spec.externalIPs[1]: 'x' is not an IPv4 or IPv6 address");
    }

    @Test
    void externalNameNeedsItsNameAndNothingElse() {
        assertThat(errors(ServiceSpec.builder().type("ExternalName"))).containsExactly(
                "spec.externalName: is required for type ExternalName: the DNS name the service is an alias of, e.g. "
                        + "db.example.com");
        assertThat(errors(ServiceSpec.builder().type("ExternalName").externalName("10.0.0.1").clusterIP("10.96.0.5")))
                .containsExactly(
                        "spec.clusterIP: must be empty for type ExternalName, which is a DNS alias without an address; "
                                + "remove clusterIP",
                        "spec.externalName: '10.0.0.1' is an address; an ExternalName is a DNS name: for an address, use "
                                + "a service without a selector and register the address as its endpoint");
        assertThat(errors(web().externalName("db.example.com"))).containsExactly(
                "spec.externalName: is only for type ExternalName (this service is ClusterIP); remove externalName, or "
                        + "set type: ExternalName");
        assertThat(errors(web().type("externalname"))).containsExactly(
                "spec.type: 'externalname' is not a service type; types are written as Kubernetes spells them: ExternalName");
    }

    @Test
    void affinityPoliciesAndLoadBalancerFieldsAreCheckedAgainstTheType() {
        assertThat(errors(web().sessionAffinityConfig(SessionAffinityConfig.timeout(0)).externalTrafficPolicy("Local")
                .loadBalancerIP("172.31.0.200").loadBalancerSourceRanges(List.of("10.0.0.1/8")))).containsExactly(
                "spec.sessionAffinityConfig: only goes with sessionAffinity: ClientIP; set that, or remove "
                        + "sessionAffinityConfig",
                "spec.sessionAffinityConfig.clientIP.timeoutSeconds: must be between 1 and 86400 (a day); it is 0 "
                        + "(omit it for 10800, three hours)",
                "spec.externalTrafficPolicy: only applies to traffic from outside the cluster: node ports, load "
                        + "balancer addresses and externalIPs, which this ClusterIP service has none of; remove "
                        + "externalTrafficPolicy",
                "spec.loadBalancerIP: only goes with type LoadBalancer; set it, or remove loadBalancerIP",
                "spec.loadBalancerSourceRanges: only go with type LoadBalancer; set it, or remove loadBalancerSourceRanges",
                "spec.loadBalancerSourceRanges[0]: '10.0.0.1/8' has host bits set; did you mean 10.0.0.0/8?; list the "
                        + "clients allowed as CIDRs, e.g. 203.0.113.0/24");
    }

    @Test
    void theBalancingAnnotationNamesAKnownAlgorithm() {
        ObjectMeta meta = new ObjectMeta("web", "shop", null, Map.of("drover.io/load-balancing", "least-conn"), null,
                null, null);
        assertThat(errors(meta, web())).containsExactly("metadata.annotations[\"drover.io/load-balancing\"]: "
                + "'least-conn' is not a balancing algorithm; use random, round-robin, weighted or source-hash (random "
                + "when omitted)");
    }

    @Test
    void aPodsWeightIsAWholeNumberFromOneToAThousand() {
        Pod heavy = Pod.of(new ObjectMeta("web-1", "shop", null, Map.of("drover.io/weight", "1001"), null, null, null),
                PodSpec.EMPTY);
        assertThat(Validators.validate(heavy)).containsExactly(new FieldError(
                "metadata.annotations[\"drover.io/weight\"]", "'1001' is not a weight; write a whole number from 1 to "
                + "1000 in quotes (e.g. \"10\"): the pod's share of connections under weighted balancing, 1 when omitted"));
        Pod fine = Pod.of(new ObjectMeta("web-1", "shop", null, Map.of("drover.io/weight", "10"), null, null, null),
                PodSpec.EMPTY);
        assertThat(Validators.validate(fine)).isEmpty();
    }

    @Test
    void aHealthCheckIsExactlyOneKindWithSensibleTimings() {
        assertThat(errors(web().healthCheck(new HealthCheck(new HealthCheck.HttpCheck("healthz", null),
                new HealthCheck.TcpCheck(PortReference.number(80)), null, 2, 2, 0, null)))).containsExactly(
                "spec.healthCheck: gives http and tcp; a health check is one kind: keep one of them",
                "spec.healthCheck.http.path: 'healthz' must start with '/', e.g. /healthz",
                "spec.healthCheck.http.port: is required: the pod's port to check, a number (8080) or the name of a "
                        + "pod's port (http)",
                "spec.healthCheck.successThreshold: must be at least 1; it is 0",
                "spec.healthCheck.timeoutSeconds: must be shorter than intervalSeconds (2): a check must end before "
                        + "the next one starts; it is 2");
        assertThat(errors(web().healthCheck(new HealthCheck(null, null, null, null, null, null, null)))).containsExactly(
                "spec.healthCheck: checks nothing: give exactly one of http: {path, port}, tcp: {port} or "
                        + "script: {command: [...]}");
        assertThat(errors(web().healthCheck(HealthCheck.script(List.of()))))
                .containsExactly("spec.healthCheck.script.command: is required: the program and its arguments, run in "
                        + "the pod's network namespace, passing when it exits 0, e.g. [\"curl\", \"-fs\", "
                        + "\"http://localhost/healthz\"]");
        assertThat(errors(web().healthCheck(HealthCheck.tcp(PortReference.named("http"))))).isEmpty();
    }

    @Test
    void aServiceNameIsADnsLabelThatStartsWithALetter() {
        assertThat(errors(ObjectMeta.named("shop", "1web"), web())).containsExactly("metadata.name: '1web' must start "
                + "with a letter (a-z): a service's name is a DNS label of its own (NAME.NAMESPACE.svc), and Kubernetes "
                + "requires that too");
    }

    @Test
    void endpointsHaveRealAddressesPortsAndAKnownHealth() {
        ServiceEndpoints endpoints = ServiceEndpoints.of(ObjectMeta.named("shop", "web"), List.of(
                new ServiceEndpoint("10.10.0.7", "web-1", "node-1", true, null, 1,
                        List.of(new EndpointPort("http", 8080, "TCP")), new EndpointHealth("passing", "HTTP 200", null)),
                new ServiceEndpoint("10.10.0.x", null, null, false, null, 0, List.of(new EndpointPort(null, 0, "ICMP")),
                        new EndpointHealth("ok", null, null))));
        assertThat(Validators.validate(endpoints)).extracting(FieldError::toString).containsExactly(
                "endpoints[1].address: '10.10.0.x' is not an IP address; write one, e.g. 10.10.0.7",
                "endpoints[1].weight: must be between 1 and 1000; it is 0",
                "endpoints[1].ports[0].port: must be a port number between 1 and 65535; it is 0",
                "endpoints[1].ports[0].protocol: 'ICMP' is not a protocol; use TCP, UDP or SCTP",
                "endpoints[1].health.status: 'ok' is not a health status; use passing, failing or unknown");
    }
}
