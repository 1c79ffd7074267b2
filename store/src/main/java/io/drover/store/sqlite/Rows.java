package io.drover.store.sqlite;

import io.drover.store.KeyValue;
import io.drover.store.WatchEvent;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Rebuilds the contract's records from rows; the column lists here are the ones the queries select. */
final class Rows {
    /** Columns of a current key, in this order. */
    static final String KV_COLUMNS = "key, value, create_rev, mod_rev, version, lease";

    /** Columns of a history row, in this order. */
    static final String HISTORY_COLUMNS = "rev, key, type, value, create_rev, version, lease, "
            + "prev_value, prev_create_rev, prev_mod_rev, prev_version, prev_lease";

    static final int PUT = 0;
    static final int DELETE = 1;

    private Rows() {}

    static KeyValue keyValue(ResultSet rs) throws SQLException {
        return new KeyValue(Keys.decode(rs.getBytes(1)), bytes(rs, 2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                rs.getLong(6));
    }

    static long historyRevision(ResultSet rs) throws SQLException {
        return rs.getLong(1);
    }

    static WatchEvent historyEvent(ResultSet rs) throws SQLException {
        long rev = rs.getLong(1);
        String key = Keys.decode(rs.getBytes(2));
        long prevModRev = rs.getLong(10);
        // A key that exists has a mod revision >= 1, so 0 marks "there was no previous value".
        KeyValue prev = prevModRev == 0 ? null
                : new KeyValue(key, bytes(rs, 8), rs.getLong(9), prevModRev, rs.getLong(11), rs.getLong(12));
        return switch (rs.getInt(3)) {
            case PUT -> new WatchEvent(WatchEvent.Type.PUT,
                    new KeyValue(key, bytes(rs, 4), rs.getLong(5), rev, rs.getLong(6), rs.getLong(7)), prev);
            case DELETE -> new WatchEvent(WatchEvent.Type.DELETE, deletedMarker(key, rev), prev);
            default -> throw new SQLException("unknown event type " + rs.getInt(3) + " at revision " + rev, "",
                    SqliteErrors.CORRUPT);
        };
    }

    /** What etcd reports as the kv of a DELETE event: only the key and the deleting revision. */
    static KeyValue deletedMarker(String key, long revision) {
        return new KeyValue(key, Keys.EMPTY, 0, revision, 0, 0);
    }

    /** sqlite-jdbc reads a zero-length BLOB as null; the contract's values are never null. */
    private static byte[] bytes(ResultSet rs, int column) throws SQLException {
        byte[] b = rs.getBytes(column);
        return b == null ? Keys.EMPTY : b;
    }
}
