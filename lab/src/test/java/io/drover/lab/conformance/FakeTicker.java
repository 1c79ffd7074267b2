package io.drover.lab.conformance;

import java.time.Duration;

/** Time that moves only when slept or advanced, so a test's timings are exact. */
final class FakeTicker implements Ticker {

    private long now = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void sleep(Duration duration) {
        now += duration.toNanos();
    }

    void advance(Duration duration) {
        now += duration.toNanos();
    }
}
