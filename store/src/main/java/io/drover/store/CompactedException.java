package io.drover.store;

/** A read or watch asked for a revision older than the oldest the store still has. */
public class CompactedException extends StoreException {
    private final long compactRevision;

    public CompactedException(long requested, long compactRevision) {
        super("revision " + requested + " has been compacted; the oldest available is " + (compactRevision + 1)
                + ": re-list and watch from the list's revision");
        this.compactRevision = compactRevision;
    }

    public long compactRevision() {
        return compactRevision;
    }
}
