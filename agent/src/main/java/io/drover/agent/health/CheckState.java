package io.drover.agent.health;

import io.drover.model.service.EndpointHealth;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The health of one endpoint and the attempts that decide it, with Kubernetes' probe semantics: the status turns
 * {@code passing} after {@code successThreshold} passes in a row and {@code failing} after {@code failureThreshold}
 * failures in a row; an attempt short of its threshold leaves the status as it was (one failure does not take a
 * passing endpoint out of service when the threshold is three). It starts {@code unknown}, or where the endpoints
 * object left it. Pure: the time of an attempt is given, never read.
 *
 * @param passes    passes in a row, up to the success threshold
 * @param failures  failures in a row, up to the failure threshold
 * @param output    the last attempt's output
 * @param checkedAt when the last attempt ended; null before the first
 * @param observed  whether this agent has made an attempt (until then it has nothing of its own to report)
 */
public record CheckState(String status, int passes, int failures, String output, Instant checkedAt, boolean observed) {

    /** Before any attempt: the stored health's status when it is a decided one, else unknown. */
    public static CheckState initial(EndpointHealth stored) {
        if (stored == null) {
            return new CheckState(EndpointHealth.UNKNOWN, 0, 0, null, null, false);
        }
        String status = EndpointHealth.PASSING.equals(stored.status()) || EndpointHealth.FAILING.equals(stored.status())
                ? stored.status() : EndpointHealth.UNKNOWN;
        return new CheckState(status, 0, 0, stored.output(), parse(stored.checkedAt()), false);
    }

    /** The state after one attempt that ended at {@code at}. */
    public CheckState after(Outcome outcome, Instant at, Timing timing) {
        int newPasses = outcome.passed() ? Math.min(passes + 1, timing.successThreshold()) : 0;
        int newFailures = outcome.passed() ? 0 : Math.min(failures + 1, timing.failureThreshold());
        String newStatus = status;
        if (outcome.passed() && newPasses >= timing.successThreshold()) {
            newStatus = EndpointHealth.PASSING;
        } else if (!outcome.passed() && newFailures >= timing.failureThreshold()) {
            newStatus = EndpointHealth.FAILING;
        }
        return new CheckState(newStatus, newPasses, newFailures, outcome.output(), at, true);
    }

    /** The same status with no attempts counted: the check changed, so earlier attempts say nothing about it. */
    public CheckState restarted() {
        return new CheckState(status, 0, 0, output, checkedAt, observed);
    }

    /** As the endpoints object holds it: checkedAt as RFC 3339, to the second. */
    public EndpointHealth health() {
        return new EndpointHealth(status, output == null || output.isEmpty() ? null : output,
                checkedAt == null ? null : checkedAt.truncatedTo(ChronoUnit.SECONDS).toString());
    }

    static Instant parse(String rfc3339) {
        if (rfc3339 == null) {
            return null;
        }
        try {
            return Instant.parse(rfc3339);
        } catch (java.time.format.DateTimeParseException e) {
            return null; // written by hand: treated as never checked
        }
    }
}
