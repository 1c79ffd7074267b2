package io.drover.store.sqlite;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Shared helpers of the store tests. */
final class StoreTesting {
    private StoreTesting() {}

    /** Defaults, with lease expiry checked often enough for short test TTLs. */
    static SqliteStoreOptions fastOptions() {
        return SqliteStoreOptions.defaults().withLeaseCheckInterval(Duration.ofMillis(100));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
