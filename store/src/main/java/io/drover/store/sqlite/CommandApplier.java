package io.drover.store.sqlite;

import io.drover.store.CompactedException;
import io.drover.store.Compare;
import io.drover.store.KeyValue;
import io.drover.store.Op;
import io.drover.store.StoreException;
import io.drover.store.Txn;
import io.drover.store.TxnResult;
import io.drover.store.WatchEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Applies write commands to the writer connection inside the writer's open SQLite transaction, reading the
 * state left by the commands before it in the same batch.
 *
 * <p>Each command first checks everything that could make it refuse (compares, lease existence, lease expiry,
 * compaction bounds) and only then writes, so a refused command throws {@link StoreException} having changed
 * nothing and the rest of the batch goes on. Any {@link SQLException} means the batch is lost, and so is
 * this applier: sqlite-jdbc closes a prepared statement whose execution failed, so the writer builds a new one.
 */
final class CommandApplier implements AutoCloseable {
    private final Connection connection;
    private final LongSupplier clock;
    private final List<PreparedStatement> statements = new ArrayList<>();

    private final PreparedStatement selectKey;
    private final PreparedStatement selectRange;
    private final PreparedStatement selectAll;
    private final PreparedStatement selectByLease;
    private final PreparedStatement insertKey;
    private final PreparedStatement updateKey;
    private final PreparedStatement deleteKey;
    private final PreparedStatement insertHistory;
    private final PreparedStatement deleteHistory;
    private final PreparedStatement selectLease;
    private final PreparedStatement insertLease;
    private final PreparedStatement updateLeaseExpiry;
    private final PreparedStatement deleteLease;
    private final PreparedStatement updateMeta;
    private final PreparedStatement begin;
    private final PreparedStatement commit;

    CommandApplier(Connection connection, LongSupplier clock) throws SQLException {
        this.connection = connection;
        this.clock = clock;
        selectKey = prepare("SELECT " + Rows.KV_COLUMNS + " FROM kv WHERE key = ?");
        selectRange = prepare("SELECT " + Rows.KV_COLUMNS + " FROM kv WHERE key >= ? AND key < ? ORDER BY key");
        selectAll = prepare("SELECT " + Rows.KV_COLUMNS + " FROM kv WHERE key >= ? ORDER BY key");
        // The literal "lease <> 0" lets SQLite use the partial index kv_by_lease; "lease = ?" alone does not.
        selectByLease = prepare("SELECT " + Rows.KV_COLUMNS
                + " FROM kv WHERE lease = ? AND lease <> 0 ORDER BY key");
        insertKey = prepare("INSERT INTO kv (key, value, create_rev, mod_rev, version, lease) VALUES (?, ?, ?, ?, ?, ?)");
        updateKey = prepare("UPDATE kv SET value = ?, mod_rev = ?, version = ?, lease = ? WHERE key = ?");
        deleteKey = prepare("DELETE FROM kv WHERE key = ?");
        insertHistory = prepare("INSERT INTO history (" + Rows.HISTORY_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        deleteHistory = prepare("DELETE FROM history WHERE rev <= ?");
        selectLease = prepare("SELECT ttl_ms, expires_at_ms FROM lease WHERE id = ?");
        insertLease = prepare("INSERT INTO lease (id, ttl_ms, expires_at_ms) VALUES (?, ?, ?)");
        updateLeaseExpiry = prepare("UPDATE lease SET expires_at_ms = ? WHERE id = ?");
        deleteLease = prepare("DELETE FROM lease WHERE id = ?");
        updateMeta = prepare("UPDATE meta SET value = ? WHERE name = ?");
        // IMMEDIATE takes the write lock up front, so no statement of the batch can fail for want of it.
        begin = prepare("BEGIN IMMEDIATE");
        commit = prepare("COMMIT");
    }

    void begin() throws SQLException {
        begin.execute();
    }

    void commit() throws SQLException {
        commit.execute();
    }

    /** Ends a failed transaction; SQLite has already rolled back by itself after some errors, which is fine. */
    void rollback() {
        try (Statement s = connection.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            // "no transaction is active": nothing left to undo.
        }
    }

    Object apply(WriteCommand<?> command, Batch batch) throws SQLException {
        return switch (command) {
            case WriteCommand.ApplyTxn(Txn txn) -> applyTxn(txn, batch);
            case WriteCommand.GrantLease(long ttlMillis) -> grantLease(ttlMillis, batch);
            case WriteCommand.KeepAlive(long leaseId) -> keepAlive(leaseId);
            case WriteCommand.RevokeLease(long leaseId, boolean onlyIfExpired) -> revokeLease(leaseId, onlyIfExpired, batch);
            case WriteCommand.Compact(long revision, boolean strict) -> compact(revision, strict, batch);
        };
    }

    /** Persists the counters the batch moved; part of the same SQLite transaction. */
    void writeCounters(Batch batch) throws SQLException {
        if (batch.revisionChanged()) {
            setMeta(SqliteSchema.META_REVISION, batch.revision());
        }
        if (batch.compactRevisionChanged()) {
            setMeta(SqliteSchema.META_COMPACT_REVISION, batch.compactRevision());
        }
        if (batch.nextLeaseIdChanged()) {
            setMeta(SqliteSchema.META_NEXT_LEASE_ID, batch.nextLeaseId());
        }
    }

    private TxnResult applyTxn(Txn txn, Batch batch) throws SQLException {
        boolean succeeded = true;
        for (Compare compare : txn.compares()) {
            if (!compare.holdsFor(current(compare.key()))) {
                succeeded = false;
                break;
            }
        }
        List<Op> ops = succeeded ? txn.success() : txn.failure();
        for (Op op : ops) {
            if (op instanceof Op.Put put && put.lease() != 0 && leaseRow(put.lease()) == null) {
                throw new StoreException("lease " + put.lease() + " not found (it expired or was revoked): "
                        + "cannot put " + put.key() + "; grant a new lease");
            }
        }
        Changes changes = new Changes(batch.revision() + 1);
        List<KeyValue> results = new ArrayList<>(ops.size());
        for (Op op : ops) {
            results.add(switch (op) {
                case Op.Put put -> changes.put(put);
                case Op.Delete delete -> changes.delete(current(delete.key()));
                case Op.DeletePrefix deletePrefix -> {
                    for (KeyValue kv : range(deletePrefix.prefix())) {
                        changes.delete(kv);
                    }
                    yield null;
                }
                case Op.Get get -> current(get.key());
            });
        }
        long revision = changes.commitTo(batch);
        // Results may hold nulls (absent keys), which List.copyOf refuses.
        return new TxnResult(succeeded, revision, Collections.unmodifiableList(results));
    }

    private long grantLease(long ttlMillis, Batch batch) throws SQLException {
        long id = batch.takeLeaseId();
        insertLease.setLong(1, id);
        insertLease.setLong(2, ttlMillis);
        insertLease.setLong(3, clock.getAsLong() + ttlMillis);
        insertLease.executeUpdate();
        return id;
    }

    private long keepAlive(long leaseId) throws SQLException {
        long[] lease = leaseRow(leaseId);
        long now = clock.getAsLong();
        if (lease == null) {
            throw new StoreException("lease " + leaseId + " not found (it expired or was revoked): grant a new lease");
        }
        if (lease[1] <= now) {
            throw new StoreException("lease " + leaseId + " has expired: grant a new lease");
        }
        long expiresAt = now + lease[0];
        updateLeaseExpiry.setLong(1, expiresAt);
        updateLeaseExpiry.setLong(2, leaseId);
        updateLeaseExpiry.executeUpdate();
        return expiresAt;
    }

    private boolean revokeLease(long leaseId, boolean onlyIfExpired, Batch batch) throws SQLException {
        long[] lease = leaseRow(leaseId);
        if (lease == null) {
            if (onlyIfExpired) {
                return false;
            }
            throw new StoreException("lease " + leaseId + " not found (it expired or was revoked)");
        }
        if (onlyIfExpired && lease[1] > clock.getAsLong()) {
            return false;
        }
        // All keys of the lease go in one revision, as in etcd, so a watcher sees the lease end atomically.
        Changes changes = new Changes(batch.revision() + 1);
        selectByLease.setLong(1, leaseId);
        for (KeyValue kv : list(selectByLease)) {
            changes.delete(kv);
        }
        deleteLease.setLong(1, leaseId);
        deleteLease.executeUpdate();
        changes.commitTo(batch);
        return true;
    }

    private long compact(long revision, boolean strict, Batch batch) throws SQLException {
        if (revision <= batch.compactRevision()) {
            if (strict) {
                throw new CompactedException(revision, batch.compactRevision());
            }
            return batch.compactRevision();
        }
        if (revision > batch.revision()) {
            if (strict) {
                throw new StoreException("cannot compact to revision " + revision + ": the store is only at revision "
                        + batch.revision());
            }
            revision = batch.revision();
        }
        deleteHistory.setLong(1, revision);
        deleteHistory.executeUpdate();
        batch.compactedTo(revision);
        return revision;
    }

    private KeyValue current(String key) throws SQLException {
        selectKey.setBytes(1, Keys.encode(key));
        try (ResultSet rs = selectKey.executeQuery()) {
            return rs.next() ? Rows.keyValue(rs) : null;
        }
    }

    private List<KeyValue> range(String prefix) throws SQLException {
        byte[] start = Keys.encode(prefix);
        byte[] end = io.drover.store.KeyRanges.prefixEnd(start);
        PreparedStatement ps = end == null ? selectAll : selectRange;
        ps.setBytes(1, start);
        if (end != null) {
            ps.setBytes(2, end);
        }
        return list(ps);
    }

    private static List<KeyValue> list(PreparedStatement ps) throws SQLException {
        List<KeyValue> kvs = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                kvs.add(Rows.keyValue(rs));
            }
        }
        return kvs;
    }

    /** {ttl, expiresAt} or null. */
    private long[] leaseRow(long leaseId) throws SQLException {
        selectLease.setLong(1, leaseId);
        try (ResultSet rs = selectLease.executeQuery()) {
            return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
        }
    }

    private void setMeta(String name, long value) throws SQLException {
        updateMeta.setLong(1, value);
        updateMeta.setString(2, name);
        updateMeta.executeUpdate();
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        statements.add(ps);
        return ps;
    }

    @Override
    public void close() {
        for (PreparedStatement ps : statements) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // The connection is closed next, which finalizes whatever is left.
            }
        }
    }

    /** The writes of one transaction at one tentative revision, written to kv and history as they happen. */
    private final class Changes {
        private final long revision;
        private final List<WatchEvent> events = new ArrayList<>();

        Changes(long revision) {
            this.revision = revision;
        }

        KeyValue put(Op.Put put) throws SQLException {
            KeyValue prev = current(put.key());
            byte[] key = Keys.encode(put.key());
            // A copy, so a caller reusing its array cannot change what watchers are handed.
            byte[] value = Arrays.copyOf(put.value(), put.value().length);
            KeyValue kv = prev == null
                    ? new KeyValue(put.key(), value, revision, revision, 1, put.lease())
                    : new KeyValue(put.key(), value, prev.createRevision(), revision, prev.version() + 1, put.lease());
            if (prev == null) {
                insertKey.setBytes(1, key);
                insertKey.setBytes(2, value);
                insertKey.setLong(3, kv.createRevision());
                insertKey.setLong(4, revision);
                insertKey.setLong(5, kv.version());
                insertKey.setLong(6, kv.lease());
                insertKey.executeUpdate();
            } else {
                updateKey.setBytes(1, value);
                updateKey.setLong(2, revision);
                updateKey.setLong(3, kv.version());
                updateKey.setLong(4, kv.lease());
                updateKey.setBytes(5, key);
                updateKey.executeUpdate();
            }
            record(Rows.PUT, key, kv, prev);
            events.add(new WatchEvent(WatchEvent.Type.PUT, kv, prev));
            return kv;
        }

        /** Deletes {@code prev}'s key; answers the deleted key-value (null, doing nothing, when absent). */
        KeyValue delete(KeyValue prev) throws SQLException {
            if (prev == null) {
                return null;
            }
            byte[] key = Keys.encode(prev.key());
            deleteKey.setBytes(1, key);
            deleteKey.executeUpdate();
            KeyValue marker = Rows.deletedMarker(prev.key(), revision);
            record(Rows.DELETE, key, marker, prev);
            events.add(new WatchEvent(WatchEvent.Type.DELETE, marker, prev));
            return prev;
        }

        /** Claims the revision when anything changed; a transaction that wrote nothing leaves it alone. */
        long commitTo(Batch batch) {
            if (!events.isEmpty()) {
                batch.addRevision(new RevisionEvents(revision, List.copyOf(events)));
            }
            return batch.revision();
        }

        private void record(int type, byte[] key, KeyValue kv, KeyValue prev) throws SQLException {
            PreparedStatement ps = insertHistory;
            ps.setLong(1, revision);
            ps.setBytes(2, key);
            ps.setInt(3, type);
            if (type == Rows.PUT) {
                ps.setBytes(4, kv.value());
            } else {
                ps.setNull(4, Types.BLOB);
            }
            ps.setLong(5, kv.createRevision());
            ps.setLong(6, kv.version());
            ps.setLong(7, kv.lease());
            if (prev == null) {
                ps.setNull(8, Types.BLOB);
                ps.setLong(9, 0);
                ps.setLong(10, 0);
                ps.setLong(11, 0);
                ps.setLong(12, 0);
            } else {
                ps.setBytes(8, prev.value());
                ps.setLong(9, prev.createRevision());
                ps.setLong(10, prev.modRevision());
                ps.setLong(11, prev.version());
                ps.setLong(12, prev.lease());
            }
            ps.executeUpdate();
        }
    }
}
