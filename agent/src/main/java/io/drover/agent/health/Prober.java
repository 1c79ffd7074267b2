package io.drover.agent.health;

import java.time.Duration;

/** Runs one attempt of a check within its timeout; never throws: whatever goes wrong is a failed attempt. */
@FunctionalInterface
public interface Prober {

    Outcome run(Probe probe, Duration timeout);
}
