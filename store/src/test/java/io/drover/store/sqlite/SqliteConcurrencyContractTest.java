package io.drover.store.sqlite;

import io.drover.store.KeyValueStore;
import io.drover.store.contract.ConcurrencyContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteConcurrencyContractTest extends ConcurrencyContractTest {
    @TempDir
    Path dir;

    @Override
    protected KeyValueStore newStore() {
        return SqliteKeyValueStore.open(dir, StoreTesting.fastOptions());
    }
}
