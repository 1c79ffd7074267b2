package io.drover.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.store.KeyValueStore;
import io.drover.store.RangeResult;
import io.drover.store.contract.KeyValueContractTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteKeyValueContractTest extends KeyValueContractTest {
    @TempDir
    Path dir;

    @Override
    protected KeyValueStore newStore() {
        return SqliteKeyValueStore.open(dir, StoreTesting.fastOptions());
    }

    @Test
    void aNewStoreStartsAtRevisionZeroInItsDatabaseFile() {
        assertThat(store.revision()).isZero();
        assertThat(store.compactRevision()).isZero();
        assertThat(store.range("")).isEqualTo(new RangeResult(List.of(), 0));
        assertThat(dir.resolve("drover.db")).exists();
    }
}
