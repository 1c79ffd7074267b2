package io.drover.agent.health;

import static io.drover.agent.health.RegistryFixture.NS;
import static io.drover.agent.health.RegistryFixture.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.api.ApiException;
import io.drover.model.policy.PortReference;
import io.drover.model.service.EndpointHealth;
import io.drover.model.service.HealthCheck;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health written into ServiceEndpoints objects of a real registry: batched, compare-and-swap, never throwing. */
class HealthReporterTest {

    private static final EndpointHealth PASSING = new EndpointHealth(EndpointHealth.PASSING, "HTTP/1.1 200 OK",
            "2025-01-01T10:00:00Z");
    private static final EndpointHealth FAILING = new EndpointHealth(EndpointHealth.FAILING, "connection refused",
            "2025-01-01T10:00:00Z");
    private static final TargetKey WEB_1 = new TargetKey(NS, "web", "web-1", "10.0.0.5");
    private static final TargetKey WEB_2 = new TargetKey(NS, "web", "web-2", "10.0.0.6");

    @TempDir
    Path dir;

    private RegistryFixture fixture;
    private HealthReporter reporter;

    @BeforeEach
    void open() {
        fixture = new RegistryFixture(dir);
        reporter = new HealthReporter(fixture.registry, "node-1");
        fixture.service("web", HealthCheck.tcp(PortReference.number(8080)));
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void theChangesOfOnePassGoIntoOneWriteOfEachObjectTouchingOnlyThisNodesEndpoints() {
        ServiceEndpoints stored = fixture.endpoints("web", endpoint("web-1", "10.0.0.5", "node-1"),
                endpoint("web-2", "10.0.0.6", "node-1"), endpoint("web-3", "10.0.1.5", "node-2"));

        boolean ok = reporter.report(List.of(stored), Map.of(WEB_1, PASSING, WEB_2, FAILING,
                new TargetKey(NS, "web", "web-3", "10.0.1.5"), PASSING));

        assertThat(ok).isTrue();
        assertThat(fixture.replaces).hasValue(1);
        assertThat(fixture.get("web").endpoints()).extracting(ServiceEndpoint::health)
                .containsExactly(PASSING, FAILING, EndpointHealth.unknown());
    }

    @Test
    void aPassRightAfterAWriteComparesWithWhatWasWrittenNotWithTheOlderMirror() {
        ServiceEndpoints stale = fixture.endpoints("web", endpoint("web-1", "10.0.0.5", "node-1"));
        reporter.report(List.of(stale), Map.of(WEB_1, PASSING));

        assertThat(reporter.report(List.of(stale), Map.of(WEB_1, PASSING))).isTrue();

        assertThat(fixture.replaces).as("the mirror has not caught up; no second write").hasValue(1);
    }

    @Test
    void onAConflictTheObjectIsReadAgainAndTheControllersChangesAreKept() {
        ServiceEndpoints mirrored = fixture.endpoints("web", endpoint("web-1", "10.0.0.5", "node-1"),
                endpoint("web-2", "10.0.0.6", "node-1"));
        // The controller writes first: web-2 gets a reason of its own, unknown to the agent's mirror.
        fixture.real.replace(mirrored.withEndpoints(List.of(mirrored.endpoints().get(0),
                mirrored.endpoints().get(1).withReadiness(false, "node node-1 is NotReady"))));

        boolean ok = reporter.report(List.of(mirrored), Map.of(WEB_1, PASSING));

        assertThat(ok).isTrue();
        assertThat(fixture.replaces).as("the stale write and the one after reading again").hasValue(2);
        List<ServiceEndpoint> now = fixture.get("web").endpoints();
        assertThat(now.get(0).health()).isEqualTo(PASSING);
        assertThat(now.get(1).reason()).isEqualTo("node node-1 is NotReady");
    }

    @Test
    void aFailingApiIsReportedAsNotDoneWithoutThrowingAndTheNextPassWrites() {
        ServiceEndpoints stored = fixture.endpoints("web", endpoint("web-1", "10.0.0.5", "node-1"));
        fixture.failReplaces = () -> new ApiException(ApiException.Reason.SERVICE_UNAVAILABLE, "the store is unreachable");

        assertThat(reporter.report(List.of(stored), Map.of(WEB_1, PASSING))).isFalse();
        fixture.failReplaces = () -> new IllegalStateException("connection reset");
        assertThat(reporter.report(List.of(stored), Map.of(WEB_1, PASSING))).isFalse();
        assertThat(fixture.health("web", "10.0.0.5")).isEqualTo(EndpointHealth.unknown());

        fixture.failReplaces = null;
        assertThat(reporter.report(List.of(stored), Map.of(WEB_1, PASSING))).isTrue();
        assertThat(fixture.health("web", "10.0.0.5")).isEqualTo(PASSING);
    }

    @Test
    void conflictsThatGoOnGiveUpForThisPass() {
        ServiceEndpoints stored = fixture.endpoints("web", endpoint("web-1", "10.0.0.5", "node-1"));
        fixture.failReplaces = () -> new ApiException(ApiException.Reason.CONFLICT, "changed meanwhile");

        assertThat(reporter.report(List.of(stored), Map.of(WEB_1, PASSING))).isFalse();
        assertThat(fixture.replaces).hasValue(HealthReporter.ATTEMPTS);
    }

    @Test
    void anObjectDeletedMeanwhileNeedsNoReport() {
        ServiceEndpoints stored = fixture.endpoints("web", endpoint("web-1", "10.0.0.5", "node-1"));
        fixture.real.delete(io.drover.model.ResourceKind.SERVICE_ENDPOINTS, NS, "web", null);

        assertThat(reporter.report(List.of(stored), Map.of(WEB_1, PASSING))).isTrue();
    }
}
