package io.drover.agent.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.rules.ServiceEndpoint;
import io.drover.agent.rules.ServiceRuleInput;
import io.drover.agent.rules.ServiceRuleInput.Algorithm;
import io.drover.agent.rules.ServiceRuleInput.TrafficPolicy;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.net.IpAddresses;
import io.drover.model.policy.PortReference;
import io.drover.model.service.EndpointPort;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a node balances, from services and their endpoints objects. */
class ServiceCalculatorTest {

    private static final String NODE = "node-1";

    private static Service service(String name, ServiceSpec spec, Map<String, String> annotations) {
        ObjectMeta meta = ObjectMeta.named("shop", name);
        meta = new ObjectMeta(meta.name(), meta.namespace(), meta.labels(), annotations, meta.uid(), meta.resourceVersion(),
                meta.creationTimestamp());
        return Service.of(meta, spec);
    }

    private static io.drover.model.service.ServiceEndpoint endpoint(String address, String node, boolean ready,
            int weight, EndpointPort... ports) {
        return new io.drover.model.service.ServiceEndpoint(address, "pod-" + address, node, ready, ready ? null : "failing",
                weight, List.of(ports), null);
    }

    @Test
    void eachPortOfAServiceWithAVirtualAddressBecomesAnInputWithItsEndpointsOwnNumbers() {
        Service web = service("web", ServiceSpec.builder().clusterIP("10.96.0.10").selector(Map.of("app", "web"))
                .ports(ServicePort.tcp("http", 80, PortReference.named("http")),
                        ServicePort.tcp("admin", 8443, PortReference.number(9443)))
                .sessionAffinity(ServiceSpec.AFFINITY_CLIENT_IP).externalTrafficPolicy(ServiceSpec.POLICY_LOCAL).build(),
                Map.of(Service.LOAD_BALANCING_ANNOTATION, "round-robin"));
        ServiceEndpoints endpoints = ServiceEndpoints.of(ObjectMeta.named("shop", "web"), List.of(
                endpoint("10.10.0.5", NODE, true, 3, new EndpointPort("http", 8080, "TCP"), new EndpointPort("admin", 9443, "TCP")),
                endpoint("10.10.1.5", "node-2", false, 1, new EndpointPort("http", 9090, "TCP"),
                        new EndpointPort("admin", 9443, "TCP"))));

        List<ServiceRuleInput> inputs = ServiceCalculator.compute(NODE, List.of(web), List.of(endpoints));

        assertThat(inputs).extracting(ServiceRuleInput::portName).containsExactly("http", "admin");
        ServiceRuleInput http = inputs.getFirst();
        assertThat(http.clusterIps()).containsExactly(IpAddresses.parse("10.96.0.10"));
        assertThat(http.port()).isEqualTo(80);
        assertThat(http.algorithm()).isEqualTo(Algorithm.ROUND_ROBIN);
        assertThat(http.externalTrafficPolicy()).isEqualTo(TrafficPolicy.LOCAL);
        assertThat(http.affinityTimeout()).isEqualTo(Duration.ofSeconds(ServiceSpec.DEFAULT_AFFINITY_TIMEOUT_SECONDS));
        assertThat(http.endpoints()).containsExactly(
                new ServiceEndpoint(IpAddresses.parse("10.10.0.5"), 8080, true, true, 3),
                new ServiceEndpoint(IpAddresses.parse("10.10.1.5"), 9090, false, false, 1));
    }

    @Test
    void headlessAndExternalNameServicesAreLeftToDnsAndAServiceWithoutEndpointsHasNone() {
        Service headless = service("db", ServiceSpec.builder().clusterIP(ServiceSpec.HEADLESS)
                .ports(ServicePort.tcp("pg", 5432, PortReference.number(5432))).build(), Map.of());
        Service external = service("mail", ServiceSpec.builder().type("ExternalName").externalName("mail.example.org")
                .build(), Map.of());
        Service lonely = service("cache", ServiceSpec.builder().clusterIP("10.96.0.11")
                .ports(ServicePort.tcp("redis", 6379, PortReference.number(6379))).build(), Map.of());

        List<ServiceRuleInput> inputs = ServiceCalculator.compute(NODE, List.of(headless, external, lonely), List.of());

        assertThat(inputs).extracting(ServiceRuleInput::name).containsExactly("cache");
        assertThat(inputs.getFirst().endpoints()).isEmpty();
        assertThat(inputs.getFirst().algorithm()).isEqualTo(Algorithm.RANDOM);
    }
}
