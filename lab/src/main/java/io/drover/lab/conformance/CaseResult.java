package io.drover.lab.conformance;

import io.drover.policy.conformance.ConformanceCase;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a case went on the lab.
 *
 * @param steps   the steps that ran, in order; a failed step is the last (later ones build on its state and are not
 *                run). The check after the reset ({@link StepResult#RESET}) comes first only when it failed.
 * @param elapsed from the reset before the case to its end
 * @param error   what stopped the case other than a matrix that differed (the server refused an action, say)
 */
public record CaseResult(ConformanceCase conformanceCase, List<StepResult> steps, Duration elapsed,
        Optional<String> error) {

    public CaseResult {
        steps = List.copyOf(steps);
    }

    public boolean passed() {
        return error.isEmpty() && steps.size() == conformanceCase.steps().size()
                && steps.stream().allMatch(StepResult::passed);
    }

    /** The longest time a step took to show what it expects after its last action; empty when none did. */
    public Optional<Duration> slowestSettled() {
        return steps.stream().filter(s -> !s.isReset()).flatMap(s -> s.settled().stream()).max(Duration::compareTo);
    }

    public List<ProbeCheck> skippedChecks() {
        return steps.stream().flatMap(s -> s.skippedChecks().stream()).toList();
    }
}
