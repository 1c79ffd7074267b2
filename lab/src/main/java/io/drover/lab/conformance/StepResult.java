package io.drover.lab.conformance;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a step of a case went: its probes as last observed, and whether (and when) they all matched.
 *
 * @param number  the step's number; {@link #RESET} for the check after the reset that precedes a case
 * @param checks  the last round of probes
 * @param settled from the end of the step's last action to the start of the first round that matched; empty when
 *                none matched
 * @param waited  from the end of the step's last action to the end of the last round
 * @param rounds  how many rounds of probes ran
 * @param earlier the first rounds that did not match (at most {@link #EARLIER_KEPT}; for a failed step, without the
 *                last, which is {@code checks})
 */
public record StepResult(int number, List<ProbeCheck> checks, Optional<Duration> settled, Duration waited, int rounds,
        List<Round> earlier) {

    /** The step number of the check that the reset before a case left every pod reaching every other. */
    public static final int RESET = 0;
    /** At most this many rounds that did not match are kept in {@link #earlier()}. */
    public static final int EARLIER_KEPT = 5;

    /**
     * A round of probes that did not match, on the way: what enforcement looked like before it caught up.
     *
     * @param started from the step's last action to the start of the round
     */
    public record Round(Duration started, List<ProbeCheck> checks) {
        public Round {
            checks = List.copyOf(checks);
        }

        public List<ProbeCheck> failedChecks() {
            return checks.stream().filter(c -> !c.passed()).toList();
        }
    }

    public StepResult {
        checks = List.copyOf(checks);
        earlier = List.copyOf(earlier);
    }

    public StepResult(int number, List<ProbeCheck> checks, Optional<Duration> settled, Duration waited, int rounds) {
        this(number, checks, settled, waited, rounds, List.of());
    }

    public boolean passed() {
        return settled.isPresent();
    }

    public boolean isReset() {
        return number == RESET;
    }

    public List<ProbeCheck> failedChecks() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }

    public List<ProbeCheck> skippedChecks() {
        return checks.stream().filter(ProbeCheck::skipped).toList();
    }
}
