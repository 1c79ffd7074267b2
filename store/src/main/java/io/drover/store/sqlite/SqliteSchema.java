package io.drover.store.sqlite;

import io.drover.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates the tables of a new store and recognizes an existing one. The file is marked with SQLite's
 * application_id so that a foreign SQLite database is refused rather than written into.
 */
final class SqliteSchema {
    /** "DRVR". */
    static final int APPLICATION_ID = 0x44525652;
    static final int VERSION = 1;

    static final String META_REVISION = "revision";
    static final String META_COMPACT_REVISION = "compact_revision";
    static final String META_NEXT_LEASE_ID = "next_lease_id";

    /** The persisted counters, as found at open; {@code created} when this open made the schema. */
    record State(long revision, long compactRevision, long nextLeaseId, boolean created) {}

    private static final String[] CREATE = {
        "CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
        // The current value of every key. Values can be kilobytes, so rowid tables (not WITHOUT ROWID) with a
        // unique index on the key keep the B-tree interior pages small.
        """
        CREATE TABLE kv (key BLOB NOT NULL UNIQUE, value BLOB, create_rev INTEGER NOT NULL,
                         mod_rev INTEGER NOT NULL, version INTEGER NOT NULL, lease INTEGER NOT NULL)""",
        "CREATE INDEX kv_by_lease ON kv (lease) WHERE lease <> 0",
        // Every change, for watches that start in the past. A row carries the value before the change too, so
        // an event can be rebuilt even after the row of the previous change has been compacted away. Rows of
        // one revision are ordered by rowid, which grows with insertion.
        """
        CREATE TABLE history (rev INTEGER NOT NULL, key BLOB NOT NULL, type INTEGER NOT NULL, value BLOB,
                              create_rev INTEGER NOT NULL, version INTEGER NOT NULL, lease INTEGER NOT NULL,
                              prev_value BLOB, prev_create_rev INTEGER NOT NULL, prev_mod_rev INTEGER NOT NULL,
                              prev_version INTEGER NOT NULL, prev_lease INTEGER NOT NULL)""",
        "CREATE INDEX history_by_rev ON history (rev)",
        "CREATE TABLE lease (id INTEGER PRIMARY KEY, ttl_ms INTEGER NOT NULL, expires_at_ms INTEGER NOT NULL)",
        "CREATE INDEX lease_by_expiry ON lease (expires_at_ms)",
        "INSERT INTO meta (name, value) VALUES ('" + META_REVISION + "', 0), ('" + META_COMPACT_REVISION
                + "', 0), ('" + META_NEXT_LEASE_ID + "', 1)",
        "PRAGMA application_id = " + APPLICATION_ID,
        "PRAGMA user_version = " + VERSION,
    };

    private SqliteSchema() {}

    /** Creates the schema in an empty file or checks that the file holds a Drover store, then reads its state. */
    static State initializeOrVerify(Connection c, Path db) throws SQLException {
        int applicationId = pragmaInt(c, "application_id");
        int userVersion = pragmaInt(c, "user_version");
        boolean created = applicationId == 0 && userVersion == 0 && tableCount(c) == 0;
        if (created) {
            create(c);
        } else if (applicationId != APPLICATION_ID) {
            throw new StoreException(db + " is a SQLite database but not a Drover store (application_id "
                    + applicationId + "): move it away or open another data directory");
        } else if (userVersion > VERSION) {
            throw new StoreException(db + " was written by a newer Drover (store format " + userVersion
                    + ", this one reads up to " + VERSION + "): upgrade Drover or restore an older backup");
        } else {
            checkIntegrity(c, db);
        }
        return new State(meta(c, META_REVISION), meta(c, META_COMPACT_REVISION), meta(c, META_NEXT_LEASE_ID),
                created);
    }

    private static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                for (String sql : CREATE) {
                    s.execute(sql);
                }
                s.execute("COMMIT");
            } catch (SQLException e) {
                s.execute("ROLLBACK");
                throw e;
            }
        }
    }

    /**
     * quick_check reads every page once (O(size), well under a second for the few hundred megabytes a Drover
     * store holds) and so finds damage at open instead of in the middle of serving.
     */
    private static void checkIntegrity(Connection c, Path db) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA quick_check(5)")) {
            StringBuilder problems = new StringBuilder();
            while (rs.next()) {
                String line = rs.getString(1);
                if (!"ok".equals(line)) {
                    problems.append(problems.isEmpty() ? "" : "; ").append(line.strip().replace("\n", "; "));
                }
            }
            if (!problems.isEmpty()) {
                throw new StoreException(db + " is corrupt (" + problems + "): restore it from a backup or move it "
                        + "away to start an empty store");
            }
            for (String table : new String[] {"meta", "kv", "history", "lease"}) {
                try (ResultSet t = s.executeQuery("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '"
                        + table + "'")) {
                    if (!t.next() || t.getInt(1) != 1) {
                        throw new StoreException(db + " is damaged: the table '" + table + "' is missing; restore it "
                                + "from a backup or move it away to start an empty store");
                    }
                }
            }
        } catch (SQLException e) {
            throw SqliteErrors.openFailure(db, e);
        }
    }

    private static long meta(Connection c, String name) throws SQLException {
        try (var ps = c.prepareStatement("SELECT value FROM meta WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the meta row '" + name + "' is missing", "", SqliteErrors.CORRUPT);
                }
                return rs.getLong(1);
            }
        }
    }

    private static int pragmaInt(Connection c, String pragma) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + pragma)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static int tableCount(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_schema WHERE type = 'table'")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
