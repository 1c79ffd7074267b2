package io.drover.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A revisioned key-value store with etcd's semantics, so that the embedded SQLite store and an etcd cluster
 * are interchangeable.
 *
 * <ul>
 *   <li>Every write advances one store-wide revision; a key remembers the revisions that created and last
 *       changed it.</li>
 *   <li>Writes are conditional through {@link #txn}; a write returns only once it is durable.</li>
 *   <li>A watch delivers every change from a revision on, in order; history older than the compaction point
 *       is gone, and a watch from there ends with {@link WatchListener#onCompacted}.</li>
 *   <li>Leases expire unless kept alive; their keys are deleted when they do.</li>
 * </ul>
 */
public interface KeyValueStore extends AutoCloseable {

    Optional<KeyValue> get(String key);

    /** Every key that starts with {@code prefix}, in key order. */
    RangeResult range(String prefix);

    /** Runs a transaction atomically; see {@link Txn}. */
    TxnResult txn(Txn txn);

    /** The current store revision. */
    long revision();

    /**
     * Streams every change to keys under {@code prefix} with revision ≥ {@code fromRevision} (0 means "from
     * now on"). Events already in history are replayed first, then live ones follow, without gap or
     * duplicate.
     */
    Watch watch(String prefix, long fromRevision, WatchListener listener);

    /** Discards history up to and including {@code revision}. */
    void compact(long revision);

    /** The revision up to which history is compacted (0 when nothing is). */
    long compactRevision();

    long grantLease(Duration ttl);

    /** Renews a lease for its TTL; throws {@link StoreException} when it has already expired. */
    void keepAlive(long leaseId);

    /** Ends a lease at once, deleting its keys. */
    void revokeLease(long leaseId);

    @Override
    void close();

    // Conveniences over txn, with the same semantics.

    /** Unconditional put; returns the new key-value. */
    default KeyValue put(String key, byte[] value) {
        return txn(Txn.when().then(Op.put(key, value))).results().getFirst();
    }

    /**
     * Put only if the key's mod revision is {@code expectedModRevision} (0: only if absent). Returns the new
     * key-value, or empty when the condition failed.
     */
    default Optional<KeyValue> putIf(String key, byte[] value, long expectedModRevision) {
        TxnResult r = txn(Txn.when(Compare.modRevisionIs(key, expectedModRevision)).then(Op.put(key, value)));
        return r.succeeded() ? Optional.of(r.results().getFirst()) : Optional.empty();
    }

    /** Delete only if the key's mod revision is {@code expectedModRevision}; false when the condition failed. */
    default boolean deleteIf(String key, long expectedModRevision) {
        return txn(Txn.when(Compare.modRevisionIs(key, expectedModRevision), Compare.present(key))
                        .then(Op.delete(key)))
                .succeeded();
    }

    default List<KeyValue> list(String prefix) {
        return range(prefix).kvs();
    }
}
