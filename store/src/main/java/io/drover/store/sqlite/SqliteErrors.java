package io.drover.store.sqlite;

import io.drover.store.StoreException;
import java.nio.file.Path;
import java.sql.SQLException;

/** Turns SQLite's result codes into messages that say what went wrong and what to do about it. */
final class SqliteErrors {
    // SQLite primary result codes (the low byte of an extended code).
    static final int BUSY = 5;
    static final int LOCKED = 6;
    static final int READONLY = 8;
    static final int IOERR = 10;
    static final int CORRUPT = 11;
    static final int FULL = 13;
    static final int CANTOPEN = 14;
    static final int NOTADB = 26;

    private SqliteErrors() {}

    static int primaryCode(SQLException e) {
        return e.getErrorCode() & 0xFF;
    }

    /** A short human cause for a failed statement. */
    static String cause(SQLException e) {
        return switch (primaryCode(e)) {
            case FULL -> "the disk or the store's quota is full (" + e.getMessage() + ")";
            case IOERR -> "I/O error (" + e.getMessage() + ")";
            case READONLY -> "the database file is read-only (" + e.getMessage() + ")";
            case CORRUPT, NOTADB -> "the database file is corrupt (" + e.getMessage() + ")";
            case BUSY, LOCKED -> "the database is locked by another connection or process (" + e.getMessage() + ")";
            default -> e.getMessage();
        };
    }

    /** For failures while opening: the file is judged, and the message says how to recover. */
    static StoreException openFailure(Path db, SQLException e) {
        return switch (primaryCode(e)) {
            case NOTADB -> new StoreException(db + " is not a Drover store (not a SQLite database): move it away or "
                    + "open another data directory", e);
            case CORRUPT -> new StoreException(db + " is corrupt (" + e.getMessage() + "): restore it from a backup "
                    + "or move it away to start an empty store", e);
            case BUSY, LOCKED -> new StoreException(db + " is locked by another process: stop the other Drover "
                    + "server using this data directory, or open another one", e);
            case CANTOPEN, READONLY -> new StoreException("cannot open " + db + " for writing (" + e.getMessage()
                    + "): check that the file and its directory are writable by this user", e);
            default -> new StoreException("cannot open the store " + db + ": " + cause(e), e);
        };
    }
}
