package io.drover.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.meta.ObjectMeta;
import io.drover.model.service.EndpointHealth;
import io.drover.model.service.EndpointPort;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The TTL check of a registered instance, on a fake clock (instants given by the test). */
class InstanceTtlTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final RegisteredInstance INSTANCE =
            new RegisteredInstance("10.0.0.5", List.of(new EndpointPort("http", 8080, "TCP")), 30, T0);

    @Test
    void passingWithinTheTtlFailingAfterRemovedAfterTenTtls() {
        assertThat(INSTANCE.stateAt(T0)).isEqualTo(RegisteredInstance.State.PASSING);
        assertThat(INSTANCE.stateAt(T0.plusMillis(29_999))).isEqualTo(RegisteredInstance.State.PASSING);
        assertThat(INSTANCE.stateAt(T0.plusSeconds(30))).isEqualTo(RegisteredInstance.State.FAILING);
        assertThat(INSTANCE.stateAt(T0.plusMillis(299_999))).isEqualTo(RegisteredInstance.State.FAILING);
        assertThat(INSTANCE.stateAt(T0.plusSeconds(300))).isEqualTo(RegisteredInstance.State.EXPIRED);
        assertThat(INSTANCE.refreshed(T0.plusSeconds(100)).stateAt(T0.plusSeconds(120))).isEqualTo(RegisteredInstance.State.PASSING);
    }

    @Test
    void theEndpointTakesTrafficOnlyWhilePassing() {
        ServiceEndpoint passing = INSTANCE.endpointAt(T0.plusSeconds(1));
        assertThat(passing.readyForTraffic()).isTrue();
        assertThat(passing.health().status()).isEqualTo(EndpointHealth.PASSING);
        assertThat(INSTANCE.isEndpoint(passing)).isTrue();

        ServiceEndpoint failing = INSTANCE.endpointAt(T0.plusSeconds(31));
        assertThat(failing.readyForTraffic()).isFalse();
        assertThat(failing.health().status()).isEqualTo(EndpointHealth.FAILING);
        assertThat(failing.reason()).isEqualTo("its TTL of 30s elapsed without a refresh (PUT .../pass)");
        assertThat(INSTANCE.isEndpoint(failing)).isTrue();
    }

    @Test
    void theAnnotationRoundTrips() {
        assertThat(RegisteredInstance.fromAnnotation(INSTANCE.toAnnotation())).isEqualTo(INSTANCE);
    }

    @Test
    void theExpirerWritesOnlyWhenAnInstanceChangedState() {
        ServiceEndpoints stored = stored(INSTANCE.endpointAt(T0));
        assertThat(TtlExpirer.needsUpdate(stored, T0.plusSeconds(10))).isFalse();
        assertThat(TtlExpirer.needsUpdate(stored, T0.plusSeconds(30))).isTrue();
        ServiceEndpoints failed = stored(INSTANCE.endpointAt(T0.plusSeconds(30)));
        assertThat(TtlExpirer.needsUpdate(failed, T0.plusSeconds(200))).isFalse();
        assertThat(TtlExpirer.needsUpdate(failed, T0.plusSeconds(300))).isTrue();
    }

    @Test
    void theHealthySetNamesTheInstanceAndLeavesFailingOnesOut() {
        RegisteredInstance other = new RegisteredInstance("10.0.0.6", INSTANCE.ports(), 5, T0);
        ServiceEndpoints stored = ServiceEndpoints.of(new ObjectMeta("web", "shop", Map.of(), Map.of(
                RegisteredInstance.annotationKey("a"), INSTANCE.toAnnotation(),
                RegisteredInstance.annotationKey("b"), other.toAnnotation()), null, "7", null),
                List.of(INSTANCE.endpointAt(T0.plusSeconds(10)), other.endpointAt(T0.plusSeconds(10))));
        assertThat(HealthySet.of(stored)).containsExactly(
                new HealthyEndpoint("10.0.0.5", Map.of("http", 8080), null, null, "a"));
    }

    private static ServiceEndpoints stored(ServiceEndpoint endpoint) {
        return ServiceEndpoints.of(new ObjectMeta("web", "shop", Map.of(),
                Map.of(RegisteredInstance.annotationKey("a"), INSTANCE.toAnnotation()), null, "7", null), List.of(endpoint));
    }
}
