package io.drover.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/** Opens the SQLite connections of a store, each configured for its one role. */
final class SqliteConnections {
    private static final int BUSY_TIMEOUT_MS = 5_000;

    private SqliteConnections() {}

    /**
     * The single writing connection. WAL lets readers go on while it writes; synchronous=FULL makes every
     * commit fsync the WAL, which is what "a returned txn survives kill -9 and power loss" needs.
     */
    static Connection openWriter(Path db, long quotaBytes) throws SQLException {
        SQLiteConfig config = baseConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        Connection connection = config.createConnection("jdbc:sqlite:" + db);
        try (Statement s = connection.createStatement()) {
            // The mode only sticks if the file could be switched; a read-only file silently stays in DELETE mode.
            try (var rs = s.executeQuery("PRAGMA journal_mode")) {
                if (!rs.next() || !"wal".equalsIgnoreCase(rs.getString(1))) {
                    throw new SQLException("cannot switch " + db + " to WAL mode", "", SqliteErrors.READONLY);
                }
            }
            // After a burst the WAL is truncated back to this size at checkpoints instead of keeping its peak.
            s.execute("PRAGMA journal_size_limit = " + 64 * 1024 * 1024);
            if (quotaBytes > 0) {
                long pageSize;
                try (var rs = s.executeQuery("PRAGMA page_size")) {
                    rs.next();
                    pageSize = rs.getLong(1);
                }
                s.execute("PRAGMA max_page_count = " + Math.max(1, quotaBytes / pageSize));
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** A connection that can only read, so a bug cannot write around the writer's ordering. */
    static Connection openReader(Path db) throws SQLException {
        Connection connection = baseConfig().createConnection("jdbc:sqlite:" + db);
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA query_only = 1");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private static SQLiteConfig baseConfig() {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.enforceForeignKeys(false);
        return config;
    }
}
