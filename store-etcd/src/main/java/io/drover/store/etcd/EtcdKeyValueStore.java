package io.drover.store.etcd;

import io.drover.store.CompactedException;
import io.drover.store.Compare;
import io.drover.store.KeyValue;
import io.drover.store.KeyValueStore;
import io.drover.store.Op;
import io.drover.store.RangeResult;
import io.drover.store.StoreException;
import io.drover.store.Txn;
import io.drover.store.TxnResult;
import io.drover.store.TxnRules;
import io.drover.store.Watch;
import io.drover.store.WatchListener;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link KeyValueStore} on an etcd cluster (3.4 or later), through jetcd. Revisions, compares, transactions,
 * watches and leases are etcd's own, so the contract maps one to one, with these particulars:
 *
 * <ul>
 *   <li>Revisions are etcd's: a new cluster is at revision 1 and its first write makes 2. They are cluster-wide,
 *       also with a {@link EtcdStoreOptions#namespace() namespace}.</li>
 *   <li>Every call has a deadline ({@link EtcdStoreOptions#requestTimeout()}); an unreachable or leaderless
 *       cluster, or a refused call, is a {@link StoreException} naming the endpoints and what to check.</li>
 *   <li>LEASE compares, which jetcd cannot send, are evaluated on a snapshot of their keys and the transaction is
 *       committed only if those keys are still unchanged (a nested etcd transaction), else tried again: as atomic
 *       as etcd's own compare.</li>
 *   <li>Compaction is etcd's, cluster-wide: {@link #compact} compacts etcd at that revision, and
 *       {@link #compactRevision} is etcd's compact revision (etcd does not report it, so it is found by probing
 *       reads at old revisions: a handful of reads, meant for rare use).</li>
 *   <li>Lease TTLs are whole seconds in etcd: a TTL is rounded up, and etcd raises it to its minimum (about 1.5
 *       election timeouts) when shorter. Expired leases are revoked by etcd's leader.</li>
 *   <li>Watches survive lost connections and member failures: they resume from the next revision, from etcd's
 *       history (see {@link EtcdWatch}).</li>
 * </ul>
 *
 * <p>{@link #open} does not contact etcd, so a server can start before its etcd; the first call that cannot
 * reach it fails with a {@link StoreException}.
 */
public final class EtcdKeyValueStore implements KeyValueStore {
    private static final Logger log = LoggerFactory.getLogger(EtcdKeyValueStore.class);
    /** Keys per read of a range: bounds the size of one answer; the pages are read at one revision. */
    static final int RANGE_PAGE = 500;
    /** The largest answer accepted (a watch answer carries up to 1,000 revisions of events). */
    private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
    /** How often a transaction with LEASE compares is tried again when its keys change under it. */
    private static final int LEASE_COMPARE_ATTEMPTS = 100;

    private final EtcdStoreOptions options;
    private final Client client;
    private final KV kv;
    private final Lease leases;
    private final EtcdKeys keys;
    private final EtcdTxns txns;
    private final EtcdCalls calls;
    private final ByteSequence probeKey;
    private final ScheduledExecutorService scheduler;
    private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private EtcdKeyValueStore(EtcdStoreOptions options, Client client) {
        this.options = options;
        this.client = client;
        this.kv = client.getKVClient();
        this.leases = client.getLeaseClient();
        this.keys = new EtcdKeys(options.namespace());
        this.txns = new EtcdTxns(keys);
        this.calls = new EtcdCalls(options.describeEndpoints(), options.requestTimeout());
        // Reads of this key only learn revisions; "\0" sorts before any key a caller would choose.
        this.probeKey = keys.key("\0");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("drover-etcd-watch-retries").daemon(true).factory());
    }

    /**
     * A store on the etcd cluster at {@code options}' endpoints. Checks the TLS files, but does not contact etcd.
     *
     * @throws StoreException when a TLS file cannot be read or used
     */
    public static EtcdKeyValueStore open(EtcdStoreOptions options) {
        Objects.requireNonNull(options, "options");
        Duration timeout = options.requestTimeout();
        ClientBuilder builder = Client.builder()
                .endpoints(options.endpoints().toArray(URI[]::new))
                // Fail at once when no member can be reached instead of queueing until the deadline.
                .waitForReady(false)
                .connectTimeout(min(timeout, Duration.ofSeconds(3)))
                .retryChronoUnit(ChronoUnit.MILLIS)
                .retryDelay(100)
                .retryMaxDelay(1_000)
                .retryMaxAttempts(2)
                .retryMaxDuration(timeout)
                .keepaliveTime(Duration.ofSeconds(10))
                .keepaliveTimeout(Duration.ofSeconds(5))
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .interceptor(new CallDeadlines(timeout));
        if (options.tls()) {
            builder.sslContext(sslContext(options));
        }
        EtcdKeyValueStore store = new EtcdKeyValueStore(options, builder.build());
        log.info("Using etcd at {}{}", options.describeEndpoints(),
                options.namespace().isEmpty() ? "" : " under the namespace '" + options.namespace() + "'");
        return store;
    }

    private static SslContext sslContext(EtcdStoreOptions options) {
        SslContextBuilder ssl = GrpcSslContexts.forClient();
        try {
            if (options.caCert() != null) {
                ssl.trustManager(readable(options.caCert(), "CA certificate").toFile());
            }
            if (options.clientCert() != null) {
                ssl.keyManager(readable(options.clientCert(), "client certificate").toFile(),
                        readable(options.clientKey(), "client key").toFile());
            }
            // Fails here, with the files to blame, rather than on the first call.
            return ssl.build();
        } catch (IOException | IllegalArgumentException e) {
            throw new StoreException("the TLS files for etcd (CA " + options.caCert() + ", certificate "
                    + options.clientCert() + ", key " + options.clientKey() + ") cannot be used: " + e.getMessage()
                    + "; they must be PEM, the key unencrypted PKCS#8 ('BEGIN PRIVATE KEY'; convert one with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem')", e);
        }
    }

    private static Path readable(Path file, String what) {
        if (!Files.isReadable(file)) {
            throw new StoreException("cannot read the etcd " + what + " " + file + ": "
                    + (Files.exists(file) ? "permission denied" : "no such file"));
        }
        return file;
    }

    public EtcdStoreOptions options() {
        return options;
    }

    @Override
    public Optional<KeyValue> get(String key) {
        TxnRules.requireKey(key);
        ensureOpen();
        GetResponse response = calls.await("reading " + key, false, () -> kv.get(keys.key(key)));
        List<io.etcd.jetcd.KeyValue> kvs = response.getKvs();
        return kvs.isEmpty() ? Optional.empty() : Optional.of(txns.keyValue(kvs.getFirst()));
    }

    /**
     * Reads the range in pages of {@value #RANGE_PAGE} keys, all at the revision of the first page; if that
     * revision is compacted away before the last page, reads the whole range again.
     */
    @Override
    public RangeResult range(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        ensureOpen();
        EtcdKeys.Range range = keys.prefix(prefix);
        for (int attempt = 1; ; attempt++) {
            try {
                return readRange(prefix, range);
            } catch (EtcdCalls.Failure e) {
                if (attempt >= 3 || !isCompacted(e)) {
                    throw e;
                }
            }
        }
    }

    private RangeResult readRange(String prefix, EtcdKeys.Range range) {
        List<KeyValue> kvs = new ArrayList<>();
        long revision = 0;
        ByteSequence from = range.start();
        while (true) {
            GetOption.Builder option = GetOption.builder().withRange(range.end()).withLimit(RANGE_PAGE);
            if (revision != 0) {
                option.withRevision(revision);
            }
            ByteSequence start = from;
            GetResponse page = calls.await("listing '" + prefix + "'", false, () -> kv.get(start, option.build()));
            if (revision == 0) {
                revision = page.getHeader().getRevision();
            }
            List<io.etcd.jetcd.KeyValue> pageKvs = page.getKvs();
            for (io.etcd.jetcd.KeyValue kv : pageKvs) {
                kvs.add(txns.keyValue(kv));
            }
            if (!page.isMore() || pageKvs.isEmpty()) {
                return new RangeResult(List.copyOf(kvs), revision);
            }
            // The next page starts just after the last key read: that key followed by a zero byte.
            from = pageKvs.getLast().getKey().concat(ByteSequence.from(new byte[] {0}));
        }
    }

    @Override
    public TxnResult txn(Txn txn) {
        TxnRules.validate(txn);
        ensureOpen();
        try {
            return txn.compares().stream().anyMatch(c -> c.target() == Compare.Target.LEASE)
                    ? txnWithLeaseCompares(txn)
                    : plainTxn(txn);
        } catch (EtcdCalls.Failure e) {
            if (e.is(Status.Code.NOT_FOUND, "lease not found")) {
                throw missingLease(txn, e);
            }
            throw e;
        }
    }

    private TxnResult plainTxn(Txn txn) {
        Cmp[] compares = txn.compares().stream().map(txns::cmp).toArray(Cmp[]::new);
        TxnResponse response = calls.await("committing a transaction", true, () -> kv.txn()
                .If(compares).Then(txns.ops(txn.success())).Else(txns.ops(txn.failure())).commit());
        long revision = response.getHeader().getRevision();
        List<Op> ran = response.isSucceeded() ? txn.success() : txn.failure();
        return new TxnResult(response.isSucceeded(), revision, txns.results(ran, response, revision));
    }

    /**
     * Reads the keys the LEASE compares look at, evaluates those compares on what it read, and commits the
     * transaction — with those compares replaced by constants — only if none of the keys changed since, in one
     * etcd transaction: "if the keys are as read, then (if compares then success else failure)".
     */
    private TxnResult txnWithLeaseCompares(Txn txn) {
        Set<String> leaseKeys = new LinkedHashSet<>();
        txn.compares().stream().filter(c -> c.target() == Compare.Target.LEASE).forEach(c -> leaseKeys.add(c.key()));
        for (int attempt = 0; attempt < LEASE_COMPARE_ATTEMPTS; attempt++) {
            List<Op> reads = leaseKeys.stream().<Op>map(Op::get).toList();
            TxnResponse snapshot = calls.await("reading keys for lease compares", false,
                    () -> kv.txn().Then(txns.ops(reads)).commit());
            Map<String, KeyValue> current = new LinkedHashMap<>();
            List<KeyValue> read = txns.results(reads, snapshot, snapshot.getHeader().getRevision());
            int i = 0;
            for (String key : leaseKeys) {
                current.put(key, read.get(i++));
            }
            Cmp[] compares = txn.compares().stream()
                    .map(c -> c.target() == Compare.Target.LEASE ? txns.constant(c.key(), c.holdsFor(current.get(c.key())))
                            : txns.cmp(c))
                    .toArray(Cmp[]::new);
            Cmp[] unchanged = leaseKeys.stream().map(k -> txns.unchanged(k, current.get(k))).toArray(Cmp[]::new);
            TxnResponse response = calls.await("committing a transaction", true, () -> kv.txn()
                    .If(unchanged)
                    .Then(io.etcd.jetcd.op.Op.txn(compares, txns.ops(txn.success()), txns.ops(txn.failure())))
                    .commit());
            if (!response.isSucceeded()) {
                continue; // a key changed between the read and the commit: read again
            }
            TxnResponse inner = response.getTxnResponses().getFirst();
            long revision = response.getHeader().getRevision();
            List<Op> ran = inner.isSucceeded() ? txn.success() : txn.failure();
            return new TxnResult(inner.isSucceeded(), revision, txns.results(ran, inner, revision));
        }
        throw new StoreException("a transaction with lease compares on " + leaseKeys + " kept losing races with "
                + "other writes to those keys (" + LEASE_COMPARE_ATTEMPTS + " tries); try again");
    }

    /** etcd says only "requested lease not found": name the lease, and the key that needed it. */
    private StoreException missingLease(Txn txn, EtcdCalls.Failure failure) {
        Map<Long, String> keyOfLease = new LinkedHashMap<>();
        for (List<Op> ops : List.of(txn.success(), txn.failure())) {
            for (Op op : ops) {
                if (op instanceof Op.Put put && put.lease() != 0) {
                    keyOfLease.putIfAbsent(put.lease(), put.key());
                }
            }
        }
        Map.Entry<Long, String> missing = keyOfLease.size() == 1 ? keyOfLease.entrySet().iterator().next() : null;
        for (Map.Entry<Long, String> candidate : keyOfLease.entrySet()) {
            if (missing != null) {
                break;
            }
            try {
                long ttl = calls.await("looking up lease " + candidate.getKey(), false,
                        () -> leases.timeToLive(candidate.getKey(), LeaseOption.DEFAULT)).getTTL();
                if (ttl < 0) {
                    missing = candidate;
                }
            } catch (StoreException e) {
                break;
            }
        }
        if (missing == null) {
            return new StoreException("a lease of the transaction was not found (it expired or was revoked): "
                    + "grant a new lease", failure);
        }
        return new StoreException("lease " + missing.getKey() + " not found (it expired or was revoked): cannot put "
                + missing.getValue() + "; grant a new lease", failure);
    }

    @Override
    public long revision() {
        ensureOpen();
        return calls.await("reading the revision", false,
                () -> kv.get(probeKey, GetOption.builder().withCountOnly(true).build())).getHeader().getRevision();
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(listener, "listener");
        if (fromRevision < 0) {
            throw new IllegalArgumentException("fromRevision must be >= 0, was " + fromRevision);
        }
        ensureOpen();
        // "From now on" is fixed here, so that a change made after watch() returns is never missed.
        long first = fromRevision == 0 ? revision() + 1 : fromRevision;
        EtcdWatch watch = new EtcdWatch(prefix, keys.prefix(prefix), listener, client.getWatchClient(), txns, scheduler,
                watches::remove, options.describeEndpoints(), options.watchQueueLimit());
        watches.add(watch);
        if (closed.get()) {
            watches.remove(watch);
            throw closedException();
        }
        return watch.start(first);
    }

    @Override
    public void compact(long revision) {
        ensureOpen();
        try {
            // Logical compaction: etcd refuses older revisions as soon as it answers; the disk space is freed later.
            calls.await("compacting to revision " + revision, true,
                    () -> kv.compact(revision, CompactOption.builder().withCompactPhysical(false).build()));
        } catch (EtcdCalls.Failure e) {
            if (isCompacted(e)) {
                throw new CompactedException(revision, Math.max(revision, compactRevision()));
            }
            if (e.is(Status.Code.OUT_OF_RANGE, "future revision")) {
                throw new StoreException("cannot compact to revision " + revision + ": the store is only at revision "
                        + revision(), e);
            }
            throw e;
        }
    }

    /**
     * etcd's compact revision C (0 when etcd never compacted past its first, empty, revision). etcd reports it only
     * in errors, so this finds the oldest revision it can still read at: reads at revisions below C fail. About
     * log2(revision) reads: meant for tests and diagnostics, not for every call.
     */
    @Override
    public long compactRevision() {
        ensureOpen();
        if (readableAt(1)) {
            return 0;
        }
        long unreadable = 1;
        long readable = revision();
        while (readable - unreadable > 1) {
            long middle = unreadable + (readable - unreadable) / 2;
            if (readableAt(middle)) {
                readable = middle;
            } else {
                unreadable = middle;
            }
        }
        return readable;
    }

    private boolean readableAt(long revision) {
        try {
            calls.await("probing revision " + revision, false, () -> kv.get(probeKey,
                    GetOption.builder().withCountOnly(true).withRevision(revision).build()));
            return true;
        } catch (EtcdCalls.Failure e) {
            if (isCompacted(e)) {
                return false;
            }
            throw e;
        }
    }

    private static boolean isCompacted(EtcdCalls.Failure e) {
        return e.is(Status.Code.OUT_OF_RANGE, "compacted");
    }

    /** Grants a lease of {@code ttl} rounded up to whole seconds (etcd may raise it to its minimum TTL). */
    @Override
    public long grantLease(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero() || ttl.toMillis() == 0) {
            throw new IllegalArgumentException("a lease TTL must be at least 1 ms, was " + ttl);
        }
        ensureOpen();
        long seconds = Math.max(1, (ttl.toMillis() + 999) / 1000);
        return calls.await("granting a lease", true, () -> leases.grant(seconds)).getID();
    }

    @Override
    public void keepAlive(long leaseId) {
        ensureOpen();
        try {
            calls.await("renewing lease " + leaseId, true, () -> leases.keepAliveOnce(leaseId));
        } catch (EtcdCalls.Failure e) {
            if (e.code() == Status.Code.NOT_FOUND) {
                throw new StoreException("lease " + leaseId + " not found (it expired or was revoked): grant a new lease",
                        e);
            }
            throw e;
        }
    }

    @Override
    public void revokeLease(long leaseId) {
        ensureOpen();
        try {
            calls.await("revoking lease " + leaseId, true, () -> leases.revoke(leaseId));
        } catch (EtcdCalls.Failure e) {
            if (e.code() == Status.Code.NOT_FOUND) {
                throw new StoreException("lease " + leaseId + " not found (it expired or was revoked)", e);
            }
            throw e;
        }
    }

    /** Ends every watch with onError and closes the connections to etcd. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        StoreException closedError = closedException();
        for (EtcdWatch watch : watches) {
            watch.end(closedError);
        }
        watches.clear();
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            client.close();
        } catch (RuntimeException e) {
            log.warn("Closing the etcd client for {} failed: {}", options.describeEndpoints(), e.toString());
        }
        log.info("Closed the etcd store at {}", options.describeEndpoints());
    }

    @Override
    public String toString() {
        return "EtcdKeyValueStore[" + options.describeEndpoints()
                + (options.namespace().isEmpty() ? "" : ", namespace " + options.namespace()) + "]";
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw closedException();
        }
    }

    private StoreException closedException() {
        return new StoreException("the store is closed (etcd at " + options.describeEndpoints() + ")");
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
