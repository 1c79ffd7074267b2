package io.drover.store.sqlite;

import java.util.ArrayList;
import java.util.List;

/**
 * The counters of one group commit as its commands advance them. Nothing here is visible outside the writer
 * until the SQLite transaction has committed; a failed batch is simply dropped.
 */
final class Batch {
    private final long startRevision;
    private final long startCompactRevision;
    private final long startNextLeaseId;
    private long revision;
    private long compactRevision;
    private long nextLeaseId;
    private final List<RevisionEvents> changes = new ArrayList<>();

    Batch(long revision, long compactRevision, long nextLeaseId) {
        this.startRevision = this.revision = revision;
        this.startCompactRevision = this.compactRevision = compactRevision;
        this.startNextLeaseId = this.nextLeaseId = nextLeaseId;
    }

    /** The revision after the commands applied so far (what a read-only txn reports). */
    long revision() {
        return revision;
    }

    long compactRevision() {
        return compactRevision;
    }

    long nextLeaseId() {
        return nextLeaseId;
    }

    /** Records a writing transaction; it must have the next revision. */
    void addRevision(RevisionEvents events) {
        if (events.revision() != revision + 1) {
            throw new IllegalStateException("revision " + events.revision() + " does not follow " + revision);
        }
        revision = events.revision();
        changes.add(events);
    }

    void compactedTo(long revision) {
        compactRevision = revision;
    }

    long takeLeaseId() {
        return nextLeaseId++;
    }

    boolean revisionChanged() {
        return revision != startRevision;
    }

    boolean compactRevisionChanged() {
        return compactRevision != startCompactRevision;
    }

    boolean nextLeaseIdChanged() {
        return nextLeaseId != startNextLeaseId;
    }

    /** The writing transactions of this batch in revision order. */
    List<RevisionEvents> changes() {
        return changes;
    }
}
