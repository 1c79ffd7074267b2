package io.drover.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.service.EndpointPort;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Parsing and validation of the registry's query parameters and registration bodies. */
class RegistryInputTest {

    @Test
    void blockingQueryParametersParseWithConsulsDefaultsAndCap() {
        assertThat(BlockingQuery.parse(Optional.empty(), Optional.empty())).isEqualTo(new BlockingQuery(0, Duration.ofMinutes(5)));
        assertThat(BlockingQuery.parse(Optional.of("42"), Optional.of("30s"))).isEqualTo(new BlockingQuery(42, Duration.ofSeconds(30)));
        assertThat(BlockingQuery.parse(Optional.of("1"), Optional.of("250ms")).maxWait()).isEqualTo(Duration.ofMillis(250));
        assertThat(BlockingQuery.parse(Optional.of("1"), Optional.of("2m")).maxWait()).isEqualTo(Duration.ofMinutes(2));
        assertThat(BlockingQuery.parse(Optional.of("1"), Optional.of("7")).maxWait()).isEqualTo(Duration.ofSeconds(7));
        assertThat(BlockingQuery.parse(Optional.of("1"), Optional.of("10m")).maxWait()).isEqualTo(Duration.ofMinutes(5));
        assertThat(BlockingQuery.parse(Optional.of("0"), Optional.empty()).blocks()).isFalse();
    }

    @Test
    void badIndexOrWaitIsRefusedNamingTheParameter() {
        assertThatThrownBy(() -> BlockingQuery.parse(Optional.of("-1"), Optional.empty()))
                .isInstanceOf(RegistryProblem.class).hasMessageStartingWith("query parameter index=\"-1\" is not an index");
        assertThatThrownBy(() -> BlockingQuery.parse(Optional.of("abc"), Optional.empty()))
                .hasMessageContaining("index=\"abc\"").hasMessageContaining("whole number >= 0");
        assertThatThrownBy(() -> BlockingQuery.parse(Optional.empty(), Optional.of("30x")))
                .hasMessageStartingWith("query parameter wait=\"30x\" is not a duration").hasMessageContaining("e.g. wait=30s");
        assertThatThrownBy(() -> BlockingQuery.parse(Optional.empty(), Optional.of("-5s")))
                .hasMessageContaining("wait=\"-5s\"");
    }

    @Test
    void aRegistrationParsesAddressPortsAndTtl() {
        InstanceRegistration r = InstanceRegistration.parse("""
                {"address": "10.1.2.3", "ports": [{"name": "http", "port": 8080}, {"name": "admin", "port": 9090}],
                 "ttlSeconds": 30}""");
        assertThat(r).isEqualTo(new InstanceRegistration("10.1.2.3",
                List.of(new EndpointPort("http", 8080, "TCP"), new EndpointPort("admin", 9090, "TCP")), 30));
        assertThat(InstanceRegistration.parse("""
                {"address": "fd00::7", "ports": [{"port": 80}], "ttlSeconds": 86400}""").ports())
                .containsExactly(new EndpointPort(null, 80, "TCP"));
    }

    @Test
    void badRegistrationsAreRefusedSayingWhatToGive() {
        assertRefused("not json", "the body is not JSON");
        assertRefused("[1]", "the body must be a JSON object");
        assertRefused("{\"ports\": [{\"port\": 80}], \"ttlSeconds\": 5}", "address is required");
        assertRefused("{\"address\": \"web.example\", \"ports\": [{\"port\": 80}], \"ttlSeconds\": 5}",
                "address \"web.example\" is not an IP address");
        assertRefused("{\"address\": \"10.0.0.1\", \"ttlSeconds\": 5}", "ports is required");
        assertRefused("{\"address\": \"10.0.0.1\", \"ports\": [], \"ttlSeconds\": 5}", "ports is required");
        assertRefused("{\"address\": \"10.0.0.1\", \"ports\": [{\"port\": 0}], \"ttlSeconds\": 5}",
                "ports[0].port must be a port number between 1 and 65535; it is 0");
        assertRefused("{\"address\": \"10.0.0.1\", \"ports\": [{\"port\": 70000}], \"ttlSeconds\": 5}",
                "ports[0].port must be a port number between 1 and 65535; it is 70000");
        assertRefused("{\"address\": \"10.0.0.1\", \"ports\": [{\"name\": \"a\", \"port\": 1}, {\"port\": 2}], \"ttlSeconds\": 5}",
                "ports[1].name is required");
        assertRefused("{\"address\": \"10.0.0.1\", \"ports\": [{\"name\": \"a\", \"port\": 1}, {\"name\": \"a\", \"port\": 2}], \"ttlSeconds\": 5}",
                "ports[1].name \"a\" is given twice");
        assertRefused("{\"address\": \"10.0.0.1\", \"ports\": [{\"name\": \"HTTP\", \"port\": 1}], \"ttlSeconds\": 5}",
                "ports[0].name \"HTTP\" is not a port name");
        assertRefused("{\"address\": \"10.0.0.1\", \"ports\": [{\"port\": 80}]}", "ttlSeconds is required");
        assertRefused("{\"address\": \"10.0.0.1\", \"ports\": [{\"port\": 80}], \"ttlSeconds\": 0}",
                "ttlSeconds must be a whole number between 1 and 86400 (one day); it is 0");
        assertRefused("{\"address\": \"10.0.0.1\", \"ports\": [{\"port\": 80}], \"ttlSeconds\": 86401}",
                "ttlSeconds must be a whole number between 1 and 86400 (one day); it is 86401");
        assertRefused("{\"address\": \"10.0.0.1\", \"ports\": [{\"port\": 80}], \"ttlSeconds\": \"30s\"}",
                "ttlSeconds must be a whole number between 1 and 86400 (one day); it is \"30s\"");
    }

    @Test
    void instanceIdsMustBeLabelNames() {
        InstanceRegistration.checkId("web-1.a_b");
        assertThatThrownBy(() -> InstanceRegistration.checkId("-web")).hasMessageStartingWith("instance id \"-web\" is not valid");
        assertThatThrownBy(() -> InstanceRegistration.checkId("a".repeat(64))).hasMessageContaining("1 to 63");
    }

    private static void assertRefused(String body, String message) {
        assertThatThrownBy(() -> InstanceRegistration.parse(body)).as(body)
                .isInstanceOfSatisfying(RegistryProblem.class, p -> assertThat(p.status()).isEqualTo(400))
                .hasMessageContaining(message);
    }
}
