package io.drover.store.sqlite;

import io.drover.store.KeyValue;
import io.drover.store.KeyValueStore;
import io.drover.store.RangeResult;
import io.drover.store.StoreException;
import io.drover.store.Txn;
import io.drover.store.TxnResult;
import io.drover.store.TxnRules;
import io.drover.store.Watch;
import io.drover.store.WatchListener;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded, durable {@link KeyValueStore}: one SQLite database ({@code drover.db}) in a data directory,
 * with etcd's revision, transaction, watch and lease semantics.
 *
 * <ul>
 *   <li>Durability: WAL with synchronous=FULL; {@link #txn} returns only after the commit's fsync, so an
 *       acknowledged write survives kill -9 and power loss.</li>
 *   <li>Throughput: concurrent transactions are group-committed by one writer thread (see
 *       {@link GroupCommitWriter}); reads run on their own connections and see every returned write.</li>
 *   <li>Revisions: the first write of a new store has revision 1; a transaction that changes nothing (only
 *       reads, or deletes of absent keys) does not advance it.</li>
 *   <li>History: kept for watches, compacted automatically per {@link SqliteStoreOptions} and by
 *       {@link #compact}.</li>
 *   <li>Leases: their expiry is persisted, but on open every lease gets a fresh TTL from the moment of opening,
 *       as etcd does on a leader change: while the store was down, nobody could keep a lease alive, so letting
 *       them all expire at start would delete every live owner's keys.</li>
 *   <li>Exclusive: one process at a time per data directory, enforced with {@code drover.lock}.</li>
 * </ul>
 */
public final class SqliteKeyValueStore implements KeyValueStore {
    private static final Logger log = LoggerFactory.getLogger(SqliteKeyValueStore.class);
    private static final LongSupplier CLOCK = System::currentTimeMillis;

    private final DataDirectory directory;
    private final Connection writerConnection;
    private final GroupCommitWriter writer;
    private final ReadPool readPool;
    private final StoreReader reader;
    private final WatchHub hub;
    private final ScheduledExecutorService housekeeping;
    private final SqliteStoreOptions options;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SqliteKeyValueStore(DataDirectory directory, Connection writerConnection, SqliteSchema.State state,
            ReadPool readPool, SqliteStoreOptions options) {
        this.directory = directory;
        this.writerConnection = writerConnection;
        this.readPool = readPool;
        this.options = options;
        this.reader = new StoreReader(readPool);
        this.hub = new WatchHub(state.revision());
        this.writer = new GroupCommitWriter(writerConnection, c -> new CommandApplier(c, CLOCK), state,
                options.maxBatchSize(), hub::publish);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("drover-store-housekeeping").daemon(true).factory());
    }

    /** Opens (creating when needed) the store in {@code dataDir} with default options. */
    public static SqliteKeyValueStore open(Path dataDir) {
        return open(dataDir, SqliteStoreOptions.defaults());
    }

    public static SqliteKeyValueStore open(Path dataDir, SqliteStoreOptions options) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(options, "options");
        DataDirectory directory = DataDirectory.acquire(dataDir);
        Path db = directory.databaseFile();
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        opened.push(directory);
        try {
            Connection connection = SqliteConnections.openWriter(db, options.quotaBytes());
            opened.push(connection);
            SqliteSchema.State state = SqliteSchema.initializeOrVerify(connection, db);
            if (state.created()) {
                directory.syncDirectory();
            }
            refreshLeases(connection);
            ReadPool readPool = new ReadPool(db, options.readConnections());
            opened.push(readPool);
            SqliteKeyValueStore store = new SqliteKeyValueStore(directory, connection, state, readPool, options);
            store.start();
            log.info("Opened the Drover store {} at revision {} (history compacted up to {})", db, state.revision(),
                    state.compactRevision());
            return store;
        } catch (SQLException e) {
            closeAll(opened);
            throw SqliteErrors.openFailure(db, e);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    private void start() {
        writer.start();
        long leaseEvery = options.leaseCheckInterval().toMillis();
        housekeeping.scheduleWithFixedDelay(new LeaseReaper(reader, writer, CLOCK), leaseEvery, leaseEvery,
                TimeUnit.MILLISECONDS);
        long compactEvery = options.compactionInterval().toMillis();
        HistoryCompactor compactor = new HistoryCompactor(writer::revision, writer::compactRevision,
                revision -> writer.execute(new WriteCommand.Compact(revision, false)), options.historyRevisions(),
                options.historyRetention().toMillis(), CLOCK);
        housekeeping.scheduleWithFixedDelay(compactor, compactEvery, compactEvery, TimeUnit.MILLISECONDS);
    }

    /** See the class comment: leases restart their TTL when the store opens. */
    private static void refreshLeases(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE lease SET expires_at_ms = ? + ttl_ms")) {
            ps.setLong(1, CLOCK.getAsLong());
            ps.executeUpdate();
        }
    }

    @Override
    public Optional<KeyValue> get(String key) {
        TxnRules.requireKey(key);
        return reader.get(key);
    }

    @Override
    public RangeResult range(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return reader.range(prefix);
    }

    @Override
    public TxnResult txn(Txn txn) {
        TxnRules.validate(txn);
        return writer.execute(new WriteCommand.ApplyTxn(txn));
    }

    @Override
    public long revision() {
        return writer.revision();
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(listener, "listener");
        if (fromRevision < 0) {
            throw new IllegalArgumentException("fromRevision must be >= 0, was " + fromRevision);
        }
        return new WatchStream(prefix, listener, hub, reader, writer::compactRevision, options.watchQueueLimit())
                .start(fromRevision);
    }

    @Override
    public void compact(long revision) {
        writer.execute(new WriteCommand.Compact(revision, true));
    }

    @Override
    public long compactRevision() {
        return writer.compactRevision();
    }

    @Override
    public long grantLease(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero() || ttl.toMillis() == 0) {
            throw new IllegalArgumentException("a lease TTL must be at least 1 ms, was " + ttl);
        }
        return writer.execute(new WriteCommand.GrantLease(ttl.toMillis()));
    }

    @Override
    public void keepAlive(long leaseId) {
        writer.execute(new WriteCommand.KeepAlive(leaseId));
    }

    @Override
    public void revokeLease(long leaseId) {
        writer.execute(new WriteCommand.RevokeLease(leaseId, false));
    }

    /**
     * Finishes queued writes, ends every watch with onError, and releases the directory. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        housekeeping.shutdownNow();
        try {
            housekeeping.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
        hub.close();
        readPool.close();
        try {
            // The last connection to close checkpoints the WAL into the database file.
            writerConnection.close();
        } catch (SQLException e) {
            log.warn("Closing {} failed: {}", directory.databaseFile(), SqliteErrors.cause(e));
        }
        directory.close();
        log.info("Closed the Drover store {}", directory.databaseFile());
    }

    @Override
    public String toString() {
        return "SqliteKeyValueStore[" + directory.databaseFile() + "]";
    }

    static StoreException closedException() {
        return new StoreException("the store is closed");
    }

    private static void closeAll(Deque<AutoCloseable> opened) {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                log.debug("Cleanup after a failed open: {}", e.toString());
            }
        }
    }
}
