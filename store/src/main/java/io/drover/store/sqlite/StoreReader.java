package io.drover.store.sqlite;

import io.drover.store.KeyValue;
import io.drover.store.RangeResult;
import io.drover.store.WatchEvent;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The queries of the read side: current keys, history pages for watches, expired leases. */
final class StoreReader {
    private static final String GET = "SELECT " + Rows.KV_COLUMNS + " FROM kv WHERE key = ?";
    private static final String RANGE = "SELECT " + Rows.KV_COLUMNS + " FROM kv WHERE key >= ? AND key < ? ORDER BY key";
    private static final String RANGE_ALL = "SELECT " + Rows.KV_COLUMNS + " FROM kv WHERE key >= ? ORDER BY key";
    private static final String META = "SELECT value FROM meta WHERE name = ?";
    private static final String HISTORY = "SELECT " + Rows.HISTORY_COLUMNS
            + " FROM history WHERE rev >= ? AND rev <= ? AND key >= ? AND key < ? ORDER BY rev, rowid";
    private static final String HISTORY_ALL = "SELECT " + Rows.HISTORY_COLUMNS
            + " FROM history WHERE rev >= ? AND rev <= ? AND key >= ? ORDER BY rev, rowid";
    private static final String EXPIRED_LEASES = "SELECT id FROM lease WHERE expires_at_ms <= ? ORDER BY expires_at_ms";

    /**
     * History between two revisions under a prefix, and the compact revision of the same snapshot: when that
     * is at or past the first revision asked for, rows are missing and the page must not be used.
     */
    record HistoryPage(long compactRevision, List<RevisionEvents> revisions) {}

    private final ReadPool pool;

    StoreReader(ReadPool pool) {
        this.pool = pool;
    }

    Optional<KeyValue> get(String key) {
        return pool.read(rc -> {
            PreparedStatement ps = rc.statement(GET);
            ps.setBytes(1, Keys.encode(key));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Rows.keyValue(rs)) : Optional.empty();
            }
        });
    }

    RangeResult range(String prefix) {
        return pool.readSnapshot(rc -> {
            long revision = meta(rc, SqliteSchema.META_REVISION);
            PreparedStatement ps = prefixQuery(rc, RANGE, RANGE_ALL, prefix, 1);
            List<KeyValue> kvs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    kvs.add(Rows.keyValue(rs));
                }
            }
            return new RangeResult(List.copyOf(kvs), revision);
        });
    }

    HistoryPage history(String prefix, long fromRevision, long toRevision) {
        return pool.readSnapshot(rc -> {
            long compactRevision = meta(rc, SqliteSchema.META_COMPACT_REVISION);
            if (compactRevision >= fromRevision) {
                return new HistoryPage(compactRevision, List.of());
            }
            PreparedStatement ps = prefixQuery(rc, HISTORY, HISTORY_ALL, prefix, 3);
            ps.setLong(1, fromRevision);
            ps.setLong(2, toRevision);
            List<RevisionEvents> revisions = new ArrayList<>();
            long current = -1;
            List<WatchEvent> events = null;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long rev = Rows.historyRevision(rs);
                    if (rev != current) {
                        if (events != null) {
                            revisions.add(new RevisionEvents(current, List.copyOf(events)));
                        }
                        current = rev;
                        events = new ArrayList<>();
                    }
                    events.add(Rows.historyEvent(rs));
                }
            }
            if (events != null) {
                revisions.add(new RevisionEvents(current, List.copyOf(events)));
            }
            return new HistoryPage(compactRevision, revisions);
        });
    }

    List<Long> expiredLeases(long nowMillis) {
        return pool.read(rc -> {
            PreparedStatement ps = rc.statement(EXPIRED_LEASES);
            ps.setLong(1, nowMillis);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        });
    }

    private static long meta(ReadPool.ReadConnection rc, String name) throws SQLException {
        PreparedStatement ps = rc.statement(META);
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the meta row '" + name + "' is missing", "", SqliteErrors.CORRUPT);
            }
            return rs.getLong(1);
        }
    }

    /** Binds a prefix as {@code [start, end)} at {@code firstParam}, or {@code [start, ∞)} when it has no end. */
    private static PreparedStatement prefixQuery(ReadPool.ReadConnection rc, String bounded, String unbounded,
            String prefix, int firstParam) throws SQLException {
        byte[] start = Keys.encode(prefix);
        byte[] end = io.drover.store.KeyRanges.prefixEnd(start);
        PreparedStatement ps = rc.statement(end == null ? unbounded : bounded);
        ps.setBytes(firstParam, start);
        if (end != null) {
            ps.setBytes(firstParam + 1, end);
        }
        return ps;
    }
}
