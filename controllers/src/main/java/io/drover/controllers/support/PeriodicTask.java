package io.drover.controllers.support;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs one round of work at once and then every interval (measured from the end of the previous round) on a
 * daemon thread of its own. The round is expected to catch and log its own failures: one that escapes would
 * stop the repetition.
 */
public final class PeriodicTask implements AutoCloseable {

    private final Duration interval;
    private final Runnable round;
    private final ScheduledExecutorService timer;

    public PeriodicTask(String threadName, Duration interval, Runnable round) {
        this.interval = interval;
        this.round = round;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(threadName).daemon().factory());
    }

    /** Runs the first round now (in the background) and then every interval. */
    public void start() {
        timer.scheduleWithFixedDelay(round, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the timer; a round running now is given a few seconds to finish rather than interrupted mid-write. */
    @Override
    public void close() {
        timer.shutdown();
        try {
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            timer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
