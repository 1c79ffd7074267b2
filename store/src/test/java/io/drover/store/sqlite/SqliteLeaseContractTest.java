package io.drover.store.sqlite;

import io.drover.store.KeyValueStore;
import io.drover.store.contract.LeaseContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteLeaseContractTest extends LeaseContractTest {
    @TempDir
    Path dir;

    @Override
    protected KeyValueStore newStore() {
        return SqliteKeyValueStore.open(dir, StoreTesting.fastOptions());
    }
}
