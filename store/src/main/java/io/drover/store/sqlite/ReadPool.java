package io.drover.store.sqlite;

import io.drover.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Read-only connections lent to one thread at a time (a JDBC connection is not for concurrent use). In WAL
 * mode they read alongside the writer; each read starts after the last commit that returned, so a caller
 * reads its own writes.
 */
final class ReadPool implements AutoCloseable {
    private final BlockingQueue<ReadConnection> idle;
    private volatile boolean closed;

    ReadPool(Path db, int size) throws SQLException {
        idle = new ArrayBlockingQueue<>(size);
        try {
            for (int i = 0; i < size; i++) {
                idle.add(new ReadConnection(SqliteConnections.openReader(db)));
            }
        } catch (SQLException e) {
            closeIdle();
            throw e;
        }
    }

    @FunctionalInterface
    interface SqlFunction<T> {
        T apply(ReadConnection connection) throws SQLException;
    }

    <T> T read(SqlFunction<T> work) {
        ReadConnection rc = borrow();
        try {
            return work.apply(rc);
        } catch (SQLException e) {
            // sqlite-jdbc closes a statement whose execution failed; prepare afresh next time.
            rc.discardStatements();
            if (closed) {
                throw SqliteKeyValueStore.closedException();
            }
            throw new StoreException("read failed: " + SqliteErrors.cause(e), e);
        } finally {
            idle.add(rc);
            if (closed) {
                // close() may have drained the pool just before this connection came back.
                closeIdle();
            }
        }
    }

    /** Like {@link #read} inside one read transaction, so that all queries see the same commit. */
    <T> T readSnapshot(SqlFunction<T> work) {
        return read(rc -> {
            rc.statement("BEGIN").execute();
            try {
                T result = work.apply(rc);
                rc.statement("COMMIT").execute();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    rc.statement("ROLLBACK").execute();
                } catch (SQLException ignored) {
                    // The original failure is the one worth reporting.
                }
                throw e;
            }
        });
    }

    private ReadConnection borrow() {
        try {
            while (true) {
                if (closed) {
                    throw SqliteKeyValueStore.closedException();
                }
                ReadConnection rc = idle.poll(100, TimeUnit.MILLISECONDS);
                if (rc != null) {
                    if (closed) {
                        rc.close();
                        throw SqliteKeyValueStore.closedException();
                    }
                    return rc;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a read connection", e);
        }
    }

    /** Closes idle connections now and lent ones when they come back. */
    @Override
    public void close() {
        closed = true;
        closeIdle();
    }

    private void closeIdle() {
        ReadConnection rc;
        while ((rc = idle.poll()) != null) {
            rc.close();
        }
    }

    /** A connection with its prepared statements, which are kept because preparing costs more than running. */
    static final class ReadConnection {
        private final Connection connection;
        private final Map<String, PreparedStatement> statements = new HashMap<>();
        private boolean closed;

        ReadConnection(Connection connection) {
            this.connection = connection;
        }

        PreparedStatement statement(String sql) throws SQLException {
            PreparedStatement ps = statements.get(sql);
            if (ps == null) {
                ps = connection.prepareStatement(sql);
                statements.put(sql, ps);
            }
            return ps;
        }

        void discardStatements() {
            for (PreparedStatement ps : statements.values()) {
                try {
                    ps.close();
                } catch (SQLException ignored) {
                    // Already closed by the driver.
                }
            }
            statements.clear();
        }

        synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            discardStatements();
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing a read-only connection loses nothing.
            }
        }
    }
}
