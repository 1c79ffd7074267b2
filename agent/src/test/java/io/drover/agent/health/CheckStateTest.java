package io.drover.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.service.EndpointHealth;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Kubernetes' probe thresholds, attempt by attempt. */
class CheckStateTest {

    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");
    private static final Timing ONE_AND_THREE = new Timing(Duration.ofSeconds(10), Duration.ofSeconds(2), 1, 3);
    private static final Timing TWO_AND_ONE = new Timing(Duration.ofSeconds(10), Duration.ofSeconds(2), 2, 1);

    private static CheckState run(CheckState state, Timing timing, boolean... passes) {
        CheckState s = state;
        for (int i = 0; i < passes.length; i++) {
            s = s.after(new Outcome(passes[i], passes[i] ? "ok" : "down"), T0.plusSeconds(10L * i), timing);
        }
        return s;
    }

    @Test
    void startsUnknownAndTurnsPassingAfterSuccessThresholdPassesInARow() {
        CheckState fresh = CheckState.initial(null);
        assertThat(fresh.status()).isEqualTo(EndpointHealth.UNKNOWN);
        assertThat(fresh.observed()).isFalse();

        assertThat(run(fresh, TWO_AND_ONE, true).status()).isEqualTo(EndpointHealth.UNKNOWN);
        assertThat(run(fresh, TWO_AND_ONE, true, true).status()).isEqualTo(EndpointHealth.PASSING);
        // A failure in between starts the count again (and with a failure threshold of 1 fails at once).
        assertThat(run(fresh, TWO_AND_ONE, true, false, true).status()).isEqualTo(EndpointHealth.FAILING);
        assertThat(run(fresh, TWO_AND_ONE, true, false, true, true).status()).isEqualTo(EndpointHealth.PASSING);
    }

    @Test
    void aPassingEndpointToleratesFailuresBelowTheThresholdAndFailsAtIt() {
        CheckState passing = run(CheckState.initial(null), ONE_AND_THREE, true);
        assertThat(passing.status()).isEqualTo(EndpointHealth.PASSING);

        assertThat(run(passing, ONE_AND_THREE, false, false).status()).isEqualTo(EndpointHealth.PASSING);
        assertThat(run(passing, ONE_AND_THREE, false, false, true, false, false).status())
                .as("a pass resets the failures in a row").isEqualTo(EndpointHealth.PASSING);
        assertThat(run(passing, ONE_AND_THREE, false, false, false).status()).isEqualTo(EndpointHealth.FAILING);
        // Failing until successThreshold passes in a row.
        assertThat(run(passing, ONE_AND_THREE, false, false, false, true).status()).isEqualTo(EndpointHealth.PASSING);
    }

    @Test
    void failuresBeforeTheFirstDecisionKeepItUnknownButRecordTheOutput() {
        CheckState s = run(CheckState.initial(null), ONE_AND_THREE, false, false);

        assertThat(s.status()).isEqualTo(EndpointHealth.UNKNOWN);
        assertThat(s.observed()).isTrue();
        assertThat(s.health()).isEqualTo(new EndpointHealth(EndpointHealth.UNKNOWN, "down", "2025-01-01T10:00:10Z"));
    }

    @Test
    void countersStopAtTheirThresholdSoLongRunsNeverOverflow() {
        CheckState s = CheckState.initial(null);
        for (int i = 0; i < 10_000; i++) {
            s = s.after(Outcome.pass("ok"), T0, ONE_AND_THREE);
        }
        assertThat(s.passes()).isEqualTo(1);
        assertThat(s.failures()).isZero();
    }

    @Test
    void startsFromTheStoredDecisionSoARestartedAgentDoesNotTakeEndpointsOutOfService() {
        EndpointHealth stored = new EndpointHealth(EndpointHealth.PASSING, "HTTP/1.1 200 OK", "2025-01-01T09:59:50Z");

        CheckState adopted = CheckState.initial(stored);

        assertThat(adopted.status()).isEqualTo(EndpointHealth.PASSING);
        assertThat(adopted.observed()).isFalse();
        assertThat(adopted.health()).isEqualTo(stored);
        assertThat(run(adopted, ONE_AND_THREE, false).status()).as("one failure of three").isEqualTo(EndpointHealth.PASSING);
        assertThat(CheckState.initial(new EndpointHealth("sideways", null, "yesterday")).status())
                .isEqualTo(EndpointHealth.UNKNOWN);
    }

    @Test
    void healthIsReportedWithAnRfc3339TimeToTheSecond() {
        CheckState s = CheckState.initial(null).after(Outcome.fail("  connection refused \n"),
                Instant.parse("2025-01-01T10:00:00.987654Z"), ONE_AND_THREE);

        assertThat(s.health().checkedAt()).isEqualTo("2025-01-01T10:00:00Z");
        assertThat(s.health().output()).isEqualTo("connection refused");
    }

    @Test
    void outputsAreCapped() {
        Outcome o = Outcome.fail("x".repeat(5000));

        assertThat(o.output()).hasSize(Outcome.MAX_OUTPUT).endsWith("...");
    }
}
