package io.drover.store.sqlite;

import static io.drover.store.sqlite.StoreTesting.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.drover.store.StoreException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenErrorsTest {
    @TempDir
    Path dir;

    @Test
    void aDataDirectoryPathThroughARegularFileIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        assertThatThrownBy(() -> SqliteKeyValueStore.open(file)).isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> SqliteKeyValueStore.open(file.resolve("data"))).isInstanceOf(StoreException.class)
                .hasMessageContaining("not a directory");
    }

    @Test
    void aDirectoryThatIsNotWritableIsRefused() throws IOException {
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(readOnly), "running as root: permissions do not apply");
            assertThatThrownBy(() -> SqliteKeyValueStore.open(readOnly)).isInstanceOf(StoreException.class)
                    .hasMessageContaining(readOnly.toString()).hasMessageContaining("not writable");
            assertThatThrownBy(() -> SqliteKeyValueStore.open(readOnly.resolve("sub")))
                    .isInstanceOf(StoreException.class).hasMessageContaining("permission denied");
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aFileThatIsNotASqliteDatabaseIsRefusedAndLeftAlone() throws IOException {
        Path db = dir.resolve("drover.db");
        String content = "these are somebody's notes, not a database\n".repeat(200);
        Files.writeString(db, content);
        assertThatThrownBy(() -> SqliteKeyValueStore.open(dir)).isInstanceOf(StoreException.class)
                .hasMessageContaining(db.toString()).hasMessageContaining("is not a Drover store");
        assertThat(Files.readString(db)).isEqualTo(content);
        // A failed open releases the directory: once the file is moved away, the store opens.
        Files.delete(db);
        SqliteKeyValueStore.open(dir).close();
    }

    @Test
    void aForeignSqliteDatabaseIsRefused() throws Exception {
        Path db = dir.resolve("drover.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)");
        }
        assertThatThrownBy(() -> SqliteKeyValueStore.open(dir)).isInstanceOf(StoreException.class)
                .hasMessageContaining("is a SQLite database but not a Drover store");
    }

    @Test
    void aStoreFromANewerDroverIsRefused() throws Exception {
        SqliteKeyValueStore.open(dir).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("drover.db"));
                Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = 99");
        }
        assertThatThrownBy(() -> SqliteKeyValueStore.open(dir)).isInstanceOf(StoreException.class)
                .hasMessageContaining("newer Drover");
    }

    @Test
    void aCorruptStoreIsRefusedAtOpen() throws Exception {
        try (SqliteKeyValueStore store = SqliteKeyValueStore.open(dir)) {
            for (int i = 0; i < 300; i++) {
                store.put("/k/" + i, bytes("value ".repeat(20) + i));
            }
        }
        Path db = dir.resolve("drover.db");
        assertThat(Files.size(db)).as("closing checkpoints the WAL into the file").isGreaterThan(20 * 4096);
        try (RandomAccessFile file = new RandomAccessFile(db.toFile(), "rw")) {
            byte[] garbage = new byte[4096 * 8];
            new Random(42).nextBytes(garbage);
            file.seek(4096 * 2);
            file.write(garbage);
        }
        assertThatThrownBy(() -> SqliteKeyValueStore.open(dir)).isInstanceOf(StoreException.class)
                .hasMessageContaining(db.toString())
                .hasMessageContaining("corrupt");
    }
}
