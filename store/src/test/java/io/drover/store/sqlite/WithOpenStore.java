package io.drover.store.sqlite;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the tests that each want a fresh store: opened with {@link StoreTesting#fastOptions()} in a
 * temporary directory before every test and closed after it. A test may close {@link #store} itself, or
 * replace it with one reopened on {@link #dir} under other options; the replacement is closed too.
 */
abstract class WithOpenStore {
    @TempDir
    Path dir;

    SqliteKeyValueStore store;

    @BeforeEach
    void open() {
        store = SqliteKeyValueStore.open(dir, StoreTesting.fastOptions());
    }

    @AfterEach
    void close() {
        store.close();
    }
}
