package io.drover.store.sqlite;

import io.drover.store.KeyValueStore;
import io.drover.store.contract.WatchContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteWatchContractTest extends WatchContractTest {
    @TempDir
    Path dir;

    @Override
    protected KeyValueStore newStore() {
        return SqliteKeyValueStore.open(dir, StoreTesting.fastOptions());
    }

    /** A queue of 20 revisions per watch, so the slow watcher's catch-up from the history table runs. */
    @Override
    protected KeyValueStore withSmallWatchQueue(KeyValueStore current) {
        current.close();
        return SqliteKeyValueStore.open(dir, StoreTesting.fastOptions().withWatchQueueLimit(20));
    }
}
