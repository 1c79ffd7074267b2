package io.drover.lab.conformance;

import java.time.Duration;
import java.util.concurrent.CancellationException;

/** The time a conformance run measures and waits in: the system's, or a test's that only moves when told. */
public interface Ticker {

    long nanoTime();

    /** @throws CancellationException when interrupted (Ctrl-C), with the interrupt flag set again */
    void sleep(Duration duration);

    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) {
            try {
                Thread.sleep(duration);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted");
            }
        }
    };
}
