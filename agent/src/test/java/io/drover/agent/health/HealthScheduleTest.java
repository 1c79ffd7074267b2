package io.drover.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.service.EndpointHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When checks run and what their outcomes add up to, on a fake clock: the schedule never reads the time. */
class HealthScheduleTest {

    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");
    private static final Timing EVERY_5S = new Timing(Duration.ofSeconds(5), Duration.ofSeconds(1), 1, 2);
    private static final TargetKey A = new TargetKey("shop", "web", "web-1", "10.0.0.5");
    private static final TargetKey B = new TargetKey("shop", "web", "web-2", "10.0.0.6");
    private static final Probe HTTP_A = new Probe.Http("10.0.0.5", 8080, "/healthz");
    private static final Probe HTTP_B = new Probe.Http("10.0.0.6", 8080, "/healthz");

    private final HealthSchedule schedule = new HealthSchedule();

    private static Instant at(double seconds) {
        return T0.plusMillis((long) (seconds * 1000));
    }

    private static CheckTarget target(TargetKey key, Probe probe, Timing timing) {
        return new CheckTarget(key, probe, timing, EndpointHealth.unknown());
    }

    @Test
    void aNewTargetIsDueAtOnceThenEveryIntervalAndNeverTwiceAtOnce() {
        schedule.retarget(List.of(target(A, HTTP_A, EVERY_5S)), T0);

        List<HealthSchedule.Attempt> first = schedule.due(T0);
        assertThat(first).singleElement().satisfies(a -> {
            assertThat(a.key()).isEqualTo(A);
            assertThat(a.probe()).isEqualTo(HTTP_A);
            assertThat(a.timeout()).isEqualTo(Duration.ofSeconds(1));
        });
        assertThat(schedule.due(at(0.1))).as("under way").isEmpty();
        assertThat(schedule.nextDue()).as("nothing waits while the only check runs").isEmpty();

        schedule.complete(first.getFirst(), Outcome.pass("HTTP/1.1 200 OK"), at(0.3));
        assertThat(schedule.nextDue()).contains(at(5));
        assertThat(schedule.due(at(4.9))).isEmpty();
        assertThat(schedule.due(at(5))).hasSize(1);
    }

    @Test
    void intervalsCountFromWhenTheCheckWasDueSoTheyDoNotDriftAndALateCheckDoesNotBurst() {
        schedule.retarget(List.of(target(A, HTTP_A, EVERY_5S)), T0);
        HealthSchedule.Attempt a1 = schedule.due(T0).getFirst();
        schedule.complete(a1, Outcome.pass("ok"), at(0.9));

        HealthSchedule.Attempt a2 = schedule.due(at(5.15)).getFirst(); // the scheduler woke a little late
        schedule.complete(a2, Outcome.pass("ok"), at(5.5));
        assertThat(schedule.nextDue()).contains(at(10));

        HealthSchedule.Attempt a3 = schedule.due(at(31)).getFirst(); // far behind (a suspended machine)
        schedule.complete(a3, Outcome.pass("ok"), at(31.2));
        assertThat(schedule.nextDue()).contains(at(36));
    }

    @Test
    void outcomesTurnIntoStatusChangesWithTheThresholds() {
        schedule.retarget(List.of(target(A, HTTP_A, EVERY_5S)), T0);

        assertThat(schedule.complete(schedule.due(T0).getFirst(), Outcome.pass("HTTP/1.1 200 OK"), at(0.1)))
                .contains(new HealthSchedule.Change(A, EndpointHealth.UNKNOWN, EndpointHealth.PASSING, "HTTP/1.1 200 OK"));
        assertThat(schedule.complete(schedule.due(at(5)).getFirst(), Outcome.fail("HTTP/1.1 500 Oops"), at(5.1)))
                .as("one failure of two").isEmpty();
        assertThat(schedule.complete(schedule.due(at(10)).getFirst(), Outcome.fail("HTTP/1.1 500 Oops"), at(10.1)))
                .contains(new HealthSchedule.Change(A, EndpointHealth.PASSING, EndpointHealth.FAILING, "HTTP/1.1 500 Oops"));
        assertThat(schedule.reported()).containsExactly(java.util.Map.entry(A,
                new EndpointHealth(EndpointHealth.FAILING, "HTTP/1.1 500 Oops", "2025-01-01T10:00:10Z")));
    }

    @Test
    void onlyTargetsCheckedByThisAgentAreReported() {
        EndpointHealth stored = new EndpointHealth(EndpointHealth.PASSING, "HTTP/1.1 200 OK", "2025-01-01T09:00:00Z");
        schedule.retarget(List.of(new CheckTarget(A, HTTP_A, EVERY_5S, stored), target(B, HTTP_B, EVERY_5S)), T0);
        List<HealthSchedule.Attempt> due = schedule.due(T0);

        assertThat(schedule.reported()).isEmpty();
        schedule.complete(due.get(1), Outcome.fail("connection refused"), at(0.2));

        assertThat(schedule.reported()).containsOnlyKeys(B);
        assertThat(schedule.state(A).orElseThrow().status()).as("adopted").isEqualTo(EndpointHealth.PASSING);
    }

    @Test
    void aTargetThatGoesIsForgottenAndItsLateOutcomeIgnoredEvenWhenItComesBack() {
        schedule.retarget(List.of(target(A, HTTP_A, EVERY_5S)), T0);
        HealthSchedule.Attempt old = schedule.due(T0).getFirst();

        schedule.retarget(List.of(), at(0.5));
        assertThat(schedule.targets()).isEmpty();
        assertThat(schedule.complete(old, Outcome.pass("ok"), at(0.6))).isEmpty();

        schedule.retarget(List.of(target(A, HTTP_A, EVERY_5S)), at(1));
        assertThat(schedule.complete(old, Outcome.pass("ok"), at(1.1))).isEmpty();
        assertThat(schedule.reported()).isEmpty();
        assertThat(schedule.due(at(1))).as("the returning target is due at once").hasSize(1);
    }

    @Test
    void aChangedCheckIsDueAtOnceAndOnlyItsOwnAttemptsCount() {
        schedule.retarget(List.of(target(A, HTTP_A, EVERY_5S)), T0);
        schedule.complete(schedule.due(T0).getFirst(), Outcome.fail("refused"), at(0.1)); // 1 of 2 failures
        HealthSchedule.Attempt ofOldProbe = schedule.due(at(5)).getFirst();

        Probe tcp = new Probe.Tcp("10.0.0.5", 9090);
        schedule.retarget(List.of(target(A, tcp, EVERY_5S)), at(5.2));
        assertThat(schedule.complete(ofOldProbe, Outcome.fail("refused"), at(5.5))).as("of the old probe").isEmpty();
        HealthSchedule.Attempt ofNew = schedule.due(at(5.5)).getFirst();
        assertThat(ofNew.probe()).isEqualTo(tcp);

        schedule.complete(ofNew, Outcome.fail("refused"), at(5.6));
        assertThat(schedule.state(A).orElseThrow().status()).as("the old probe's failure does not count")
                .isEqualTo(EndpointHealth.UNKNOWN);
    }

    @Test
    void newTimingsTakeEffectAtOnceWithoutForgettingTheCount() {
        schedule.retarget(List.of(target(A, HTTP_A, EVERY_5S)), T0);
        schedule.complete(schedule.due(T0).getFirst(), Outcome.fail("refused"), at(0.1));
        Timing every2s = new Timing(Duration.ofSeconds(2), Duration.ofSeconds(1), 1, 2);

        schedule.retarget(List.of(target(A, HTTP_A, every2s)), at(1));
        assertThat(schedule.nextDue()).contains(at(1));
        schedule.complete(schedule.due(at(1)).getFirst(), Outcome.fail("refused"), at(1.1));

        assertThat(schedule.state(A).orElseThrow().status()).isEqualTo(EndpointHealth.FAILING);
        assertThat(schedule.nextDue()).contains(at(3));
    }

    @Test
    void theStoredHealthChangingIsNoChangeOfTheCheck() {
        schedule.retarget(List.of(target(A, HTTP_A, EVERY_5S)), T0);
        schedule.complete(schedule.due(T0).getFirst(), Outcome.pass("ok"), at(0.1));

        schedule.retarget(List.of(new CheckTarget(A, HTTP_A, EVERY_5S,
                new EndpointHealth(EndpointHealth.PASSING, "ok", "2025-01-01T10:00:00Z"))), at(0.2));

        assertThat(schedule.nextDue()).contains(at(5));
    }

    @Test
    void nextDueIsTheEarliestOfTheChecksNotUnderWay() {
        Timing every3s = new Timing(Duration.ofSeconds(3), Duration.ofSeconds(1), 1, 1);
        schedule.retarget(List.of(target(A, HTTP_A, EVERY_5S), target(B, HTTP_B, every3s)), T0);
        List<HealthSchedule.Attempt> both = schedule.due(T0);
        assertThat(both).hasSize(2);

        schedule.complete(both.get(0), Outcome.pass("ok"), at(0.5));
        assertThat(schedule.nextDue()).contains(at(5));
        schedule.complete(both.get(1), Outcome.pass("ok"), at(0.5));
        assertThat(schedule.nextDue()).contains(at(3));
    }
}
