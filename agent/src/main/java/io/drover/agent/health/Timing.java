package io.drover.agent.health;

import io.drover.model.service.HealthCheck;
import java.time.Duration;

/**
 * When a check runs and how its attempts count: every {@code interval}, each attempt bounded by {@code timeout};
 * passing after {@code successThreshold} passes in a row, failing after {@code failureThreshold} failures in a row.
 */
public record Timing(Duration interval, Duration timeout, int successThreshold, int failureThreshold) {

    public Timing {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("a check's interval must be positive: " + interval);
        }
        // Validation keeps the timeout below the interval; should an unvalidated one get in, an attempt still ends
        // before the next is due, so that one check never runs twice at once.
        timeout = timeout.isNegative() || timeout.isZero() || timeout.compareTo(interval) > 0 ? interval : timeout;
        successThreshold = Math.max(1, successThreshold);
        failureThreshold = Math.max(1, failureThreshold);
    }

    /** The check's timings with the model's defaults for what it leaves out. */
    public static Timing of(HealthCheck check) {
        return new Timing(Duration.ofSeconds(check.effectiveIntervalSeconds()),
                Duration.ofSeconds(check.effectiveTimeoutSeconds()), check.effectiveSuccessThreshold(),
                check.effectiveFailureThreshold());
    }
}
