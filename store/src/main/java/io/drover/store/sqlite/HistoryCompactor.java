package io.drover.store.sqlite;

import io.drover.store.StoreException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic compaction: keeps the newest {@code historyRevisions} revisions and every revision younger than
 * {@code historyRetention}, whichever is more, and drops the rest.
 *
 * <p>Revisions carry no timestamp, so the compactor samples (revision, time) each round and learns that
 * everything up to a sampled revision is at least as old as its sample. Revisions from before the store was
 * opened count as written at open: after a restart history is kept a little longer, never shorter.
 */
final class HistoryCompactor implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(HistoryCompactor.class);
    /** Revisions dropped per writer command, so a large backlog never stalls writers for long. */
    static final long STEP = 10_000;

    private record Sample(long revision, long atMillis) {}

    private final LongSupplier revision;
    private final LongSupplier compactRevision;
    private final LongUnaryOperator compactTo;
    private final long keepRevisions;
    private final long keepMillis;
    private final LongSupplier clock;
    private final Deque<Sample> samples = new ArrayDeque<>();

    /**
     * @param revision        the store's current revision
     * @param compactRevision the store's compact revision
     * @param compactTo       compacts up to a revision and answers the compact revision afterwards
     */
    HistoryCompactor(LongSupplier revision, LongSupplier compactRevision, LongUnaryOperator compactTo,
            long keepRevisions, long keepMillis, LongSupplier clock) {
        this.revision = revision;
        this.compactRevision = compactRevision;
        this.compactTo = compactTo;
        this.keepRevisions = keepRevisions;
        this.keepMillis = keepMillis;
        this.clock = clock;
        samples.add(new Sample(revision.getAsLong(), clock.getAsLong()));
    }

    @Override
    public void run() {
        try {
            long target = target();
            long compacted = compactRevision.getAsLong();
            while (compacted < target) {
                compacted = compactTo.applyAsLong(Math.min(target, compacted + STEP));
            }
        } catch (StoreException e) {
            log.debug("Automatic compaction round failed: {}", e.getMessage());
        }
    }

    /** The highest revision both rules allow dropping (0: none). */
    long target() {
        long now = clock.getAsLong();
        long current = revision.getAsLong();
        samples.addLast(new Sample(current, now));
        long cutoff = now - keepMillis;
        // Keep only the newest sample at or before the cutoff (it bounds what is old enough) and those after.
        while (samples.size() > 1 && second().atMillis() <= cutoff) {
            samples.removeFirst();
        }
        Sample oldest = samples.getFirst();
        long byAge = oldest.atMillis() <= cutoff ? oldest.revision() : 0;
        long byCount = current - keepRevisions;
        return Math.max(0, Math.min(byAge, byCount));
    }

    private Sample second() {
        var it = samples.iterator();
        it.next();
        return it.next();
    }
}
