package io.drover.lab.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.meta.ObjectMeta;
import io.drover.model.service.Service;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceEnvironmentTest {

    private static Service service(String namespace, String name, String clusterIp, ServicePort... ports) {
        return Service.of(ObjectMeta.named(namespace, name),
                ServiceSpec.builder().clusterIP(clusterIp).ports(ports).selector(Map.of("app", name)).build());
    }

    private static ServicePort port(String name, String protocol, int port) {
        return new ServicePort(name, protocol, port, null, null, null);
    }

    @Test
    void aServiceWithTwoPortsGivesKubernetesVariables() {
        Map<String, String> env = ServiceEnvironment.of("shop",
                List.of(service("shop", "redis-primary", "10.96.0.11", port("redis", "TCP", 6379),
                        port("metrics", "UDP", 9121))));

        assertThat(env).containsExactly(
                Map.entry("REDIS_PRIMARY_SERVICE_HOST", "10.96.0.11"),
                Map.entry("REDIS_PRIMARY_SERVICE_PORT", "6379"),
                Map.entry("REDIS_PRIMARY_SERVICE_PORT_REDIS", "6379"),
                Map.entry("REDIS_PRIMARY_SERVICE_PORT_METRICS", "9121"),
                Map.entry("REDIS_PRIMARY_PORT", "tcp://10.96.0.11:6379"),
                Map.entry("REDIS_PRIMARY_PORT_6379_TCP", "tcp://10.96.0.11:6379"),
                Map.entry("REDIS_PRIMARY_PORT_6379_TCP_PROTO", "tcp"),
                Map.entry("REDIS_PRIMARY_PORT_6379_TCP_PORT", "6379"),
                Map.entry("REDIS_PRIMARY_PORT_6379_TCP_ADDR", "10.96.0.11"),
                Map.entry("REDIS_PRIMARY_PORT_9121_UDP", "udp://10.96.0.11:9121"),
                Map.entry("REDIS_PRIMARY_PORT_9121_UDP_PROTO", "udp"),
                Map.entry("REDIS_PRIMARY_PORT_9121_UDP_PORT", "9121"),
                Map.entry("REDIS_PRIMARY_PORT_9121_UDP_ADDR", "10.96.0.11"));
    }

    @Test
    void anUnnamedPortHasNoNamedVariableAndTheProtocolDefaultsToTcp() {
        Map<String, String> env = ServiceEnvironment.of("shop", List.of(service("shop", "web", "10.96.0.5",
                port(null, null, 80))));

        assertThat(env).containsEntry("WEB_SERVICE_PORT", "80").containsEntry("WEB_PORT", "tcp://10.96.0.5:80")
                .doesNotContainKey("WEB_SERVICE_PORT_");
        assertThat(env.keySet()).allMatch(k -> !k.startsWith("WEB_SERVICE_PORT_"));
    }

    @Test
    void onlyThePodsNamespaceAndTheKubernetesServiceOfDefaultAreLinked() {
        Map<String, String> env = ServiceEnvironment.of("shop", List.of(
                service("shop", "web", "10.96.0.5", port("http", "TCP", 80)),
                service("billing", "ledger", "10.96.0.6", port("http", "TCP", 80)),
                service("default", "kubernetes", "10.96.0.1", port("https", "TCP", 443)),
                service("default", "other", "10.96.0.9", port("http", "TCP", 80))));

        assertThat(env).containsEntry("WEB_SERVICE_HOST", "10.96.0.5")
                .containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1")
                .containsEntry("KUBERNETES_SERVICE_PORT_HTTPS", "443")
                .doesNotContainKeys("LEDGER_SERVICE_HOST", "OTHER_SERVICE_HOST");
    }

    @Test
    void aServiceOfThePodsNamespaceNamedKubernetesWinsOverTheOneOfDefault() {
        Map<String, String> env = ServiceEnvironment.of("shop", List.of(
                service("shop", "kubernetes", "10.96.0.50", port("http", "TCP", 8080)),
                service("default", "kubernetes", "10.96.0.1", port("https", "TCP", 443))));

        assertThat(env).containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.50")
                .containsEntry("KUBERNETES_SERVICE_PORT", "8080");
    }

    @Test
    void headlessAndExternalNameServicesHaveNoVariables() {
        Service headless = service("shop", "db", "None", port("pg", "TCP", 5432));
        Service external = Service.of(ObjectMeta.named("shop", "search"), ServiceSpec.builder().type("ExternalName")
                .externalName("search.example.com").build());

        assertThat(ServiceEnvironment.of("shop", List.of(headless, external))).isEmpty();
    }

    @Test
    void anIpv6ClusterAddressIsBracketedInUrls() {
        Map<String, String> env = ServiceEnvironment.of("shop", List.of(service("shop", "web", "fd00:96::5",
                port("http", "TCP", 80))));

        assertThat(env).containsEntry("WEB_SERVICE_HOST", "fd00:96::5")
                .containsEntry("WEB_PORT", "tcp://[fd00:96::5]:80")
                .containsEntry("WEB_PORT_80_TCP_ADDR", "fd00:96::5");
    }

    @Test
    void servicesComeInNameOrder() {
        Map<String, String> env = ServiceEnvironment.of("shop", List.of(
                service("shop", "zeta", "10.96.0.8", port(null, "TCP", 1)),
                service("shop", "alpha", "10.96.0.7", port(null, "TCP", 2))));

        assertThat(env.keySet()).first().isEqualTo("ALPHA_SERVICE_HOST");
    }
}
