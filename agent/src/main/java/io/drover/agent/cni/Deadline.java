package io.drover.agent.cni;

import java.time.Duration;

/** One time budget shared by the steps of a CNI call, so that the call as a whole is bounded, not each step. */
record Deadline(long nanos, Duration budget) {

    static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos(), budget);
    }

    Duration remaining() {
        return Duration.ofNanos(Math.max(0, nanos - System.nanoTime()));
    }

    boolean expired() {
        return nanos - System.nanoTime() <= 0;
    }
}
