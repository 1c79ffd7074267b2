package io.drover.agent.health;

import io.drover.model.service.EndpointHealth;

/**
 * One endpoint this node checks: what an attempt does, when attempts run, and the health its endpoints object holds
 * now ({@code stored}, null when none), from which a check this agent has not run yet starts: an agent that
 * restarts adopts the status its predecessor reported instead of turning every endpoint unknown (not ready).
 */
public record CheckTarget(TargetKey key, Probe probe, Timing timing, EndpointHealth stored) {

    /** Whether {@code other} checks the same thing on the same schedule (the stored health aside). */
    boolean sameCheckAs(CheckTarget other) {
        return probe.equals(other.probe) && timing.equals(other.timing);
    }
}
