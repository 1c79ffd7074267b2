package io.drover.store.sqlite;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of a {@link SqliteKeyValueStore}. {@link #defaults()} suits production; tests shorten the intervals.
 *
 * @param historyRevisions   automatic compaction keeps at least this many of the newest revisions
 * @param historyRetention   ... and at least the revisions written within this long, whichever keeps more
 * @param compactionInterval how often automatic compaction looks at the history
 * @param leaseCheckInterval how often expired leases are looked for (so a lease ends at most this late)
 * @param maxBatchSize       the most transactions committed together in one SQLite transaction (one fsync)
 * @param readConnections    SQLite connections for concurrent reads and watch replays
 * @param watchQueueLimit    revisions a slow watcher may have waiting in memory; past that it stops queueing
 *                           and catches up from the history table instead
 * @param quotaBytes         the largest the database may grow; writes beyond fail as when the disk is full
 *                           (like etcd's quota-backend-bytes). 0 means no limit but the disk's
 */
public record SqliteStoreOptions(
        long historyRevisions,
        Duration historyRetention,
        Duration compactionInterval,
        Duration leaseCheckInterval,
        int maxBatchSize,
        int readConnections,
        int watchQueueLimit,
        long quotaBytes) {

    public SqliteStoreOptions {
        Objects.requireNonNull(historyRetention, "historyRetention");
        Objects.requireNonNull(compactionInterval, "compactionInterval");
        Objects.requireNonNull(leaseCheckInterval, "leaseCheckInterval");
        requirePositive(historyRevisions, "historyRevisions");
        requirePositive(compactionInterval.toMillis(), "compactionInterval");
        requirePositive(leaseCheckInterval.toMillis(), "leaseCheckInterval");
        requirePositive(maxBatchSize, "maxBatchSize");
        requirePositive(readConnections, "readConnections");
        requirePositive(watchQueueLimit, "watchQueueLimit");
        if (historyRetention.isNegative() || quotaBytes < 0) {
            throw new IllegalArgumentException("historyRetention and quotaBytes may not be negative");
        }
    }

    public static SqliteStoreOptions defaults() {
        return new SqliteStoreOptions(100_000, Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofMillis(250),
                512, 4, 10_000, 0);
    }

    public SqliteStoreOptions withHistory(long revisions, Duration retention) {
        return new SqliteStoreOptions(revisions, retention, compactionInterval, leaseCheckInterval, maxBatchSize,
                readConnections, watchQueueLimit, quotaBytes);
    }

    public SqliteStoreOptions withCompactionInterval(Duration interval) {
        return new SqliteStoreOptions(historyRevisions, historyRetention, interval, leaseCheckInterval, maxBatchSize,
                readConnections, watchQueueLimit, quotaBytes);
    }

    public SqliteStoreOptions withLeaseCheckInterval(Duration interval) {
        return new SqliteStoreOptions(historyRevisions, historyRetention, compactionInterval, interval, maxBatchSize,
                readConnections, watchQueueLimit, quotaBytes);
    }

    public SqliteStoreOptions withWatchQueueLimit(int limit) {
        return new SqliteStoreOptions(historyRevisions, historyRetention, compactionInterval, leaseCheckInterval,
                maxBatchSize, readConnections, limit, quotaBytes);
    }

    public SqliteStoreOptions withQuotaBytes(long bytes) {
        return new SqliteStoreOptions(historyRevisions, historyRetention, compactionInterval, leaseCheckInterval,
                maxBatchSize, readConnections, watchQueueLimit, bytes);
    }

    private static void requirePositive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
