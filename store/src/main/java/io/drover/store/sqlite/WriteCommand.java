package io.drover.store.sqlite;

import io.drover.store.Txn;

/**
 * Everything that changes the database goes through the writer thread as one of these, so that revisions,
 * lease ids and compaction are ordered by one thread without locks. {@code R} is what the caller gets back.
 */
sealed interface WriteCommand<R> {

    record ApplyTxn(Txn txn) implements WriteCommand<io.drover.store.TxnResult> {}

    record GrantLease(long ttlMillis) implements WriteCommand<Long> {}

    /** Answers the new expiry (epoch millis). */
    record KeepAlive(long leaseId) implements WriteCommand<Long> {}

    /**
     * Ends a lease and deletes its keys. With {@code onlyIfExpired} (the reaper's case) it does nothing when a
     * keep-alive got in first, and an unknown lease is not an error; answers whether the lease was ended.
     */
    record RevokeLease(long leaseId, boolean onlyIfExpired) implements WriteCommand<Boolean> {}

    /**
     * Drops history up to and including {@code revision}. {@code strict} (a user's request) refuses a
     * revision already compacted or not yet written, as etcd does; the automatic compactor is lenient.
     * Answers the compact revision afterwards.
     */
    record Compact(long revision, boolean strict) implements WriteCommand<Long> {}
}
