package io.drover.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.meta.ObjectMeta;
import io.drover.model.service.EndpointHealth;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which endpoints objects need a write of health, and which writes are not worth making. */
class HealthReportsTest {

    private static final EndpointHealth PASSING_AT_10 = new EndpointHealth(EndpointHealth.PASSING, "HTTP/1.1 200 OK",
            "2025-01-01T10:00:10Z");

    private static ServiceEndpoint endpoint(String pod, String address, String node, EndpointHealth health) {
        return new ServiceEndpoint(address, pod, node, true, null, null, List.of(), health);
    }

    private static TargetKey key(String pod, String address) {
        return new TargetKey("shop", "web", pod, address);
    }

    @Test
    void theHealthOfSeveralEndpointsOfThisNodeGoesIntoOneUpdateAndOtherNodesAreLeftAlone() {
        ServiceEndpoints stored = ServiceEndpoints.of(ObjectMeta.named("shop", "web"), List.of(
                endpoint("web-1", "10.0.0.5", "node-1", EndpointHealth.unknown()),
                endpoint("web-2", "10.0.0.6", "node-1", EndpointHealth.unknown()),
                endpoint("web-3", "10.0.1.5", "node-2", EndpointHealth.unknown())));
        EndpointHealth failing = new EndpointHealth(EndpointHealth.FAILING, "connection refused", "2025-01-01T10:00:10Z");

        ServiceEndpoints updated = HealthReports.update(stored, "node-1", Map.of(
                key("web-1", "10.0.0.5"), PASSING_AT_10,
                key("web-2", "10.0.0.6"), failing,
                key("web-3", "10.0.1.5"), PASSING_AT_10)).orElseThrow();

        assertThat(updated.endpoints()).extracting(ServiceEndpoint::health)
                .containsExactly(PASSING_AT_10, failing, EndpointHealth.unknown());
        assertThat(updated.endpoints()).extracting(ServiceEndpoint::ready).as("readiness is the controller's")
                .containsOnly(true);
        assertThat(updated.metadata()).isEqualTo(stored.metadata());
    }

    @Test
    void nothingToWriteWhenTheResultIsTheSameOrTheEndpointIsNotWanted() {
        ServiceEndpoints stored = ServiceEndpoints.of(ObjectMeta.named("shop", "web"),
                List.of(endpoint("web-1", "10.0.0.5", "node-1", PASSING_AT_10)));
        EndpointHealth laterSame = new EndpointHealth(EndpointHealth.PASSING, "HTTP/1.1 200 OK", "2025-01-01T10:05:00Z");

        assertThat(HealthReports.update(stored, "node-1", Map.of(key("web-1", "10.0.0.5"), laterSame))).isEmpty();
        assertThat(HealthReports.update(stored, "node-1", Map.of(key("web-1", "10.0.0.99"), laterSame)))
                .as("another address of the pod is another endpoint").isEmpty();
        assertThat(HealthReports.update(stored, "node-1", Map.of())).isEmpty();
    }

    @Test
    void aNewStatusIsWrittenAtOnceAnOutputOnlyChangeAtMostOncePerRefresh() {
        EndpointHealth failing = new EndpointHealth(EndpointHealth.FAILING, "HTTP/1.1 500 Oops", "2025-01-01T10:00:11Z");
        assertThat(HealthReports.worthWriting(PASSING_AT_10, failing)).isTrue();
        assertThat(HealthReports.worthWriting(null, PASSING_AT_10)).isTrue();

        EndpointHealth soonOther = new EndpointHealth(EndpointHealth.PASSING, "HTTP/1.1 204 No Content",
                "2025-01-01T10:00:30Z");
        EndpointHealth laterOther = new EndpointHealth(EndpointHealth.PASSING, "HTTP/1.1 204 No Content",
                "2025-01-01T10:01:10Z");
        assertThat(HealthReports.worthWriting(PASSING_AT_10, soonOther)).isFalse();
        assertThat(HealthReports.worthWriting(PASSING_AT_10, laterOther)).isTrue();
        assertThat(HealthReports.worthWriting(EndpointHealth.unknown(),
                new EndpointHealth(EndpointHealth.UNKNOWN, "connection refused", "2025-01-01T10:00:30Z")))
                .as("the first output of an endpoint not decided yet").isTrue();
    }
}
