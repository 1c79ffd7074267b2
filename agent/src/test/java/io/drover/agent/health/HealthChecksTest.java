package io.drover.agent.health;

import static io.drover.agent.health.RegistryFixture.NS;
import static io.drover.agent.health.RegistryFixture.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.desired.ManagedPodNamespaces;
import io.drover.model.ResourceKind;
import io.drover.model.pod.Pod;
import io.drover.model.policy.PortReference;
import io.drover.model.service.EndpointHealth;
import io.drover.model.service.HealthCheck;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running checks against a real registry with a scripted prober (no root, no network): what is checked follows
 * the endpoints, results reach the objects, closing stops everything. Real time, with a 2 s interval.
 */
class HealthChecksTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Every 2 s, thresholds 1 and 1: each attempt decides. */
    private static final HealthCheck TCP_2S = new HealthCheck(null, new HealthCheck.TcpCheck(PortReference.number(8080)),
            null, 2, 1, 1, 1);

    /** The prober throws for this address, as a buggy one might. */
    private static final String THROWS = "10.0.0.66";

    @TempDir
    Path dir;

    private RegistryFixture fixture;
    private HealthChecks checks;
    /** The outcome of a check of each address; an address not listed passes. */
    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    @BeforeEach
    void open() {
        fixture = new RegistryFixture(dir);
    }

    @AfterEach
    void close() {
        if (checks != null) {
            checks.close();
        }
        fixture.close();
    }

    private void start() {
        Prober prober = (probe, timeout) -> {
            String address = ((Probe.Tcp) probe).address();
            attempts.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
            if (address.equals(THROWS)) {
                throw new IllegalStateException("a bug in a prober");
            }
            return outcomes.getOrDefault(address, Outcome.pass("connected to " + address + ":8080"));
        };
        checks = HealthChecks.start("node-1", () -> new HealthChecks.Inputs(
                fixture.real.<Service>list(ResourceKind.SERVICE, null, null).items(),
                fixture.real.<ServiceEndpoints>list(ResourceKind.SERVICE_ENDPOINTS, null, null).items(),
                fixture.real.<Pod>list(ResourceKind.POD, null, null).items()),
                ManagedPodNamespaces.withPrefix("drvt-none-"), prober, fixture.registry);
    }

    private int attemptsOf(String address) {
        return attempts.getOrDefault(address, new AtomicInteger()).get();
    }

    @Test
    void resultsReachTheEndpointsOfThisNodeAndChangesFollowWithinAnInterval() {
        fixture.service("web", TCP_2S);
        fixture.endpoints("web", endpoint("web-1", "10.0.0.5", "node-1"), endpoint("web-2", "10.0.0.6", "node-1"),
                endpoint("web-3", "10.0.1.5", "node-2"));
        outcomes.put("10.0.0.6", Outcome.fail("connect to 10.0.0.6:8080: Connection refused"));

        start();

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(fixture.health("web", "10.0.0.5").status()).isEqualTo(EndpointHealth.PASSING);
            assertThat(fixture.health("web", "10.0.0.6")).satisfies(h -> {
                assertThat(h.status()).isEqualTo(EndpointHealth.FAILING);
                assertThat(h.output()).isEqualTo("connect to 10.0.0.6:8080: Connection refused");
                assertThat(h.checkedAt()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            });
        });
        assertThat(fixture.health("web", "10.0.1.5")).as("another node's").isEqualTo(EndpointHealth.unknown());
        assertThat(attemptsOf("10.0.1.5")).isZero();

        long before = System.nanoTime();
        outcomes.remove("10.0.0.6");
        await().atMost(WAIT).until(() -> fixture.health("web", "10.0.0.6").status().equals(EndpointHealth.PASSING));
        assertThat(Duration.ofNanos(System.nanoTime() - before)).as("one interval and a poll").isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void identicalResultsAreNotWrittenAgain() {
        fixture.service("web", TCP_2S);
        fixture.endpoints("web", endpoint("web-1", "10.0.0.5", "node-1"));
        start();
        await().atMost(WAIT).until(() -> fixture.health("web", "10.0.0.5").status().equals(EndpointHealth.PASSING));
        int writes = fixture.replaces.get();

        await().atMost(WAIT).until(() -> attemptsOf("10.0.0.5") >= 3);

        assertThat(fixture.replaces.get()).isEqualTo(writes);
    }

    @Test
    void newEndpointsAreCheckedPromptlyAndThoseThatWentAreNot() {
        fixture.service("web", TCP_2S);
        ServiceEndpoints first = fixture.endpoints("web", endpoint("web-1", "10.0.0.5", "node-1"));
        start();
        await().atMost(WAIT).until(() -> attemptsOf("10.0.0.5") >= 1);

        ServiceEndpoints current = fixture.get("web");
        fixture.real.replace(current.withEndpoints(List.of(endpoint("web-2", "10.0.0.6", "node-1"))));

        await().atMost(Duration.ofSeconds(2)).until(() -> attemptsOf("10.0.0.6") >= 1);
        assertThat(checks.targets()).containsExactly(new TargetKey(NS, "web", "web-2", "10.0.0.6"));
        int checkedBefore = attemptsOf("10.0.0.5");
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(3))
                .until(() -> attemptsOf("10.0.0.5") == checkedBefore);
        assertThat(first.endpoints()).hasSize(1);
    }

    @Test
    void closingStopsEveryCheck() {
        fixture.service("web", TCP_2S);
        fixture.endpoints("web", endpoint("web-1", "10.0.0.5", "node-1"));
        start();
        await().atMost(WAIT).until(() -> attemptsOf("10.0.0.5") >= 1);

        checks.close();
        int after = attemptsOf("10.0.0.5");

        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(3)).until(() -> attemptsOf("10.0.0.5") == after);
    }

    @Test
    void aProberThatThrowsFailsTheAttemptAndTheCheckGoesOn() {
        fixture.service("web", TCP_2S);
        fixture.endpoints("web", endpoint("web-1", THROWS, "node-1"));
        start();

        await().atMost(WAIT).untilAsserted(() -> assertThat(fixture.health("web", THROWS)).satisfies(h -> {
            assertThat(h.status()).isEqualTo(EndpointHealth.FAILING);
            assertThat(h.output()).isEqualTo("the check could not run: java.lang.IllegalStateException: a bug in a prober");
        }));
        await().atMost(WAIT).until(() -> attemptsOf(THROWS) >= 2);
    }
}
