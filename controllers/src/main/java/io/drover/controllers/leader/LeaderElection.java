package io.drover.controllers.leader;

import io.drover.model.codec.ResourceCodec;
import io.drover.store.Compare;
import io.drover.store.KeyValue;
import io.drover.store.KeyValueStore;
import io.drover.store.Op;
import io.drover.store.StoreException;
import io.drover.store.Txn;
import io.drover.store.TxnResult;
import io.drover.store.Watch;
import io.drover.store.WatchEvent;
import io.drover.store.WatchListener;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Chooses one leader among any number of candidates (servers) sharing one {@link KeyValueStore}, with etcd's
 * election recipe on the store contract, so it works the same on etcd and on the embedded store:
 *
 * <ul>
 *   <li>Each candidate holds a lease of {@link Options#ttl()} and renews it every sixth of it.</li>
 *   <li>It campaigns by creating the election's key ({@code /drover/leader/NAME}) only if absent, attached to its
 *       lease, with its identity as the value. Whoever created the key leads; the key's create revision numbers
 *       the {@link Term}.</li>
 *   <li>The others watch the key and campaign again when it is deleted: when the leader resigns (its lease is
 *       revoked on a graceful stop) or dies (its lease expires, the store deletes the key). A periodic read backs
 *       the watch up.</li>
 *   <li>A leader that cannot renew its lease steps down before the lease can expire in the store: once
 *       {@link Options#ttl()} minus a third of it has passed since it sent its last successful renewal (the
 *       store renewed no earlier than that, so the lease lasts at least a third of a TTL longer). Leader-only
 *       components also write through {@link Term#fence}, which makes the store refuse their writes once the key
 *       is not the term's any more: no write of a deposed leader lands, whatever its timing.</li>
 * </ul>
 *
 * <p>{@link Leadership#lead} starts the leader-only components and returns their handle, which is closed when
 * the term ends; both run on one thread of the election, in order, so a process never runs two terms' components
 * at once. {@link #close()} steps down, waits for the components to stop and revokes the lease, so another
 * candidate takes over at once; a crashed leader is replaced within about one TTL.
 */
public final class LeaderElection implements AutoCloseable {

    /** Starts what only the leader runs, and returns what stops it. */
    @FunctionalInterface
    public interface Leadership {
        /**
         * Called when this candidate has become the leader. The handle returned is closed when the term ends
         * (this candidate stepped down, lost its key or is stopping); writes should go through {@link Term#fence}.
         * Throwing resigns the leadership (another candidate, or this one later, tries again).
         */
        AutoCloseable lead(Term term) throws Exception;
    }

    /**
     * @param name          the election's name: its key is {@code /drover/leader/NAME}
     * @param ttl           the lease TTL: a crashed leader is replaced within about this long (plus the store's
     *                      lease checks: up to 0.5 s on etcd, 0.25 s on the embedded store). etcd counts whole
     *                      seconds and may raise it to its minimum (1.5 election timeouts)
     * @param soleCandidate the store admits only this process (the embedded store locks its directory): a leader
     *                      key found at start was left by a dead predecessor and is removed at once, instead of
     *                      waiting for its lease to run out
     */
    public record Options(String name, Duration ttl, boolean soleCandidate) {
        public static final String DEFAULT_NAME = "controllers";
        /** Handover within 5 s of a leader's death, with margin for the store's lease checks. */
        public static final Duration DEFAULT_TTL = Duration.ofSeconds(3);
        public static final Options DEFAULTS = new Options(DEFAULT_NAME, DEFAULT_TTL, false);

        public Options {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(ttl, "ttl");
            if (name.isEmpty() || name.contains("/")) {
                throw new IllegalArgumentException("an election name must be non-empty and without '/': '" + name + "'");
            }
            if (ttl.toMillis() < 300) {
                throw new IllegalArgumentException("a leader lease TTL must be at least 300 ms, was " + ttl);
            }
        }

        public Options withTtl(Duration ttl) {
            return new Options(name, ttl, soleCandidate);
        }

        public Options withSoleCandidate(boolean sole) {
            return new Options(name, ttl, sole);
        }

        /** How often the lease is renewed: a sixth of the TTL. */
        Duration renewInterval() {
            return ttl.dividedBy(6);
        }

        /** How long after the last successful renewal was sent the leader steps down: two thirds of the TTL. */
        Duration stepDownAfter() {
            return ttl.minus(ttl.dividedBy(3));
        }
    }

    /**
     * The leader as the store names it.
     *
     * @param candidate who leads
     * @param term      the leader key's create revision
     * @param since     when it was elected (its own clock), ISO-8601
     */
    public record Leader(Candidate candidate, long term, String since) {}

    /**
     * What this candidate knows, for status endpoints.
     *
     * @param leader  whether this candidate leads now
     * @param self    this candidate
     * @param current the leader as last seen in the store (this candidate when it leads), or null when unknown or
     *                none
     * @param problem why the election cannot proceed now (the store cannot be reached), or null
     */
    public record Status(boolean leader, Candidate self, Leader current, String problem) {}

    public static final String KEY_PREFIX = "/drover/leader/";

    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final KeyValueStore store;
    private final Candidate self;
    private final Options options;
    private final Leadership leadership;
    private final String key;
    private final long ttlNanos;
    private final long renewNanos;
    private final long stepDownNanos;
    private final Semaphore wakeup = new Semaphore(0);
    private final CountDownLatch settled = new CountDownLatch(1);
    private final Thread loop;
    /** Renews the lease, apart from the loop, so a slow campaign or watch call never holds up a renewal. */
    private final ScheduledExecutorService renewer;
    private final ScheduledExecutorService watchdog;
    /** Starts and stops terms' components, one at a time and in order. */
    private final ExecutorService transitions;
    private final Object lock = new Object();

    // Guarded by lock.
    private long lease;
    private long lastRenewSentNanos;
    private long leaseValidUntilNanos;
    private long staleLease;
    private Term term;
    private Leader current;
    private Watch watch;
    private long watchFrom;
    private boolean campaignNeeded = true;
    private long lastCheckNanos;
    private boolean predecessorChecked;
    private boolean stopping;

    /** Only on the transitions thread. */
    private Term runningTerm;
    private AutoCloseable running;

    /** Why the loop (campaigns, watch) or the renewals fail now, or null. */
    private volatile String loopProblem;
    private volatile String renewProblem;

    private LeaderElection(KeyValueStore store, Candidate self, Options options, Leadership leadership) {
        this.store = Objects.requireNonNull(store, "store");
        this.self = Objects.requireNonNull(self, "self");
        this.options = Objects.requireNonNull(options, "options");
        this.leadership = Objects.requireNonNull(leadership, "leadership");
        this.key = KEY_PREFIX + options.name();
        this.ttlNanos = options.ttl().toNanos();
        this.renewNanos = options.renewInterval().toNanos();
        this.stepDownNanos = options.stepDownAfter().toNanos();
        this.predecessorChecked = !options.soleCandidate();
        this.loop = Thread.ofPlatform().name("drover-leader-election").daemon().unstarted(this::run);
        this.renewer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("drover-leader-renewal").daemon().factory());
        this.watchdog = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("drover-leader-watchdog").daemon().factory());
        this.transitions = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("drover-leader-transitions").daemon().factory());
    }

    /** Joins the election (in the background: see {@link #awaitSettled}). */
    public static LeaderElection start(KeyValueStore store, Candidate self, Options options, Leadership leadership) {
        LeaderElection election = new LeaderElection(store, self, options, leadership);
        election.loop.start();
        long renewEvery = election.renewNanos;
        election.renewer.scheduleWithFixedDelay(election::renew, renewEvery, renewEvery, TimeUnit.NANOSECONDS);
        long every = Math.max(10, Math.min(100, options.renewInterval().toMillis() / 2));
        election.watchdog.scheduleAtFixedRate(election::checkDeadline, every, every, TimeUnit.MILLISECONDS);
        return election;
    }

    /** The election's key in the store. */
    public String key() {
        return key;
    }

    public Candidate self() {
        return self;
    }

    public Options options() {
        return options;
    }

    /**
     * Waits until the first campaign has an outcome: this candidate leads (and {@link Leadership#lead} has
     * returned), or another one does, or the store could not be reached. False on timeout.
     */
    public boolean awaitSettled(Duration timeout) throws InterruptedException {
        return settled.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    public boolean isLeader() {
        synchronized (lock) {
            return term != null && term.active();
        }
    }

    /** The leader as last seen in the store (this candidate when it leads); empty when there is none or unknown. */
    public Optional<Leader> leader() {
        synchronized (lock) {
            return Optional.ofNullable(current);
        }
    }

    public Status status() {
        synchronized (lock) {
            return new Status(term != null && term.active(), self, current, problem());
        }
    }

    private String problem() {
        String renewal = renewProblem;
        return renewal != null ? renewal : loopProblem;
    }

    // The election loop: grants a lease, campaigns, keeps the watch. Never holds the lock during a store call.

    private void run() {
        long backoff = MIN_BACKOFF_NANOS;
        boolean failing = false;
        while (!isStopping()) {
            long waitNanos = renewNanos;
            try {
                removePredecessor();
                grantIfNone();
                campaignIfDue();
                ensureWatch();
                if (failing) {
                    log.info("Leader election {}: the store answers again", key);
                }
                failing = false;
                loopProblem = null;
                backoff = MIN_BACKOFF_NANOS;
            } catch (StoreException e) {
                if (isStopping()) {
                    break;
                }
                loopProblem = e.getMessage();
                if (!failing) {
                    log.warn("Leader election {}: {}; retrying", key, e.getMessage());
                }
                failing = true;
                settled.countDown();
                waitNanos = backoff;
                backoff = Math.min(backoff * 2, renewNanos);
            } catch (RuntimeException e) {
                log.error("Leader election {}: unexpected failure; retrying", key, e);
                settled.countDown();
            }
            try {
                if (wakeup.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
                    wakeup.drainPermits();
                }
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    private boolean isStopping() {
        synchronized (lock) {
            return stopping;
        }
    }

    private void wake() {
        wakeup.release();
    }

    /** With a store only this process can open, a leader key found at start is a dead predecessor's. */
    private void removePredecessor() {
        synchronized (lock) {
            if (predecessorChecked) {
                return;
            }
        }
        Optional<KeyValue> stale = store.get(key);
        if (stale.isPresent()) {
            KeyValue kv = stale.get();
            if (kv.lease() != 0) {
                try {
                    store.revokeLease(kv.lease());
                } catch (StoreException e) {
                    // Expired meanwhile; the delete below covers the rest.
                }
            }
            store.deleteIf(key, kv.modRevision());
            log.info("Leader election {}: removed the leader key of a previous run ({})", key, describe(decode(kv)));
        }
        synchronized (lock) {
            predecessorChecked = true;
        }
    }

    /** The renewer: keeps the lease alive; a lease that ended is dropped (and its term, if any, ends). */
    private void renew() {
        long held;
        synchronized (lock) {
            if (stopping || lease == 0) {
                return;
            }
            held = lease;
        }
        long sent = System.nanoTime();
        try {
            store.keepAlive(held);
            synchronized (lock) {
                if (lease == held) {
                    lastRenewSentNanos = sent;
                    leaseValidUntilNanos = sent + ttlNanos;
                }
            }
            if (renewProblem != null) {
                log.info("Leader election {}: lease {} is renewed again", key, held);
                renewProblem = null;
            }
        } catch (StoreException e) {
            if (isStopping()) {
                return;
            }
            if (renewProblem == null) {
                log.warn("Leader election {}: cannot renew lease {}: {}", key, held, e.getMessage());
            }
            renewProblem = e.getMessage();
            boolean pastValidity;
            synchronized (lock) {
                pastValidity = System.nanoTime() - leaseValidUntilNanos > 0;
            }
            if (leaseGone(e, held) || pastValidity) {
                // A new lease is granted (and the campaign run again) as soon as the store answers.
                dropLease(held, "its lease " + held + " ended (" + e.getMessage() + ")");
                renewProblem = leaseGone(e, held) ? null : renewProblem;
                wake();
            }
        } catch (RuntimeException e) {
            log.error("Leader election {}: renewing lease {} failed unexpectedly", key, held, e);
        }
    }

    private void grantIfNone() {
        synchronized (lock) {
            if (lease != 0) {
                return;
            }
        }
        long sent = System.nanoTime();
        long granted = store.grantLease(options.ttl());
        long stale;
        synchronized (lock) {
            lease = granted;
            lastRenewSentNanos = sent;
            leaseValidUntilNanos = sent + ttlNanos;
            campaignNeeded = true;
            stale = staleLease;
            staleLease = 0;
        }
        renewProblem = null;
        if (stale != 0) {
            try {
                store.revokeLease(stale); // its key, should it still be there, would hold up the next campaign
            } catch (StoreException e) {
                // Expired already.
            }
        }
    }

    /** The store's words for a lease that does not exist any more (both stores name the lease). */
    private static boolean leaseGone(StoreException e, long leaseId) {
        String message = String.valueOf(e.getMessage());
        return message.contains("lease " + leaseId + " ") && (message.contains("not found") || message.contains("expired"));
    }

    private void dropLease(long dropped, String reason) {
        Term ended;
        synchronized (lock) {
            if (lease != dropped) {
                return;
            }
            lease = 0;
            staleLease = dropped;
            campaignNeeded = true;
            ended = term != null && term.lease() == dropped ? term : null;
        }
        if (ended != null) {
            stepDown(ended, reason);
        }
    }

    private void campaignIfDue() {
        long held;
        boolean full;
        synchronized (lock) {
            if (lease == 0 || (term != null && term.active())) {
                return;
            }
            long now = System.nanoTime();
            boolean checkDue = watch == null || now - lastCheckNanos > 5 * renewNanos;
            if (!campaignNeeded && !checkDue) {
                return;
            }
            held = lease;
            full = campaignNeeded;
        }
        if (!full) {
            // The backstop of the watch: a read, and a campaign only when the key is gone.
            Optional<KeyValue> existing = store.get(key);
            if (existing.isPresent() && existing.get().lease() != held) {
                synchronized (lock) {
                    lastCheckNanos = System.nanoTime();
                    current = decode(existing.get());
                }
                settled.countDown();
                return;
            }
        }
        Instant since = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        TxnResult result = store.txn(Txn.when(Compare.absent(key))
                .then(new Op.Put(key, encode(since), held))
                .orElse(Op.get(key)));
        KeyValue kv = result.results().getFirst();
        Term elected = null;
        synchronized (lock) {
            campaignNeeded = false;
            lastCheckNanos = System.nanoTime();
            if (watch == null) {
                watchFrom = result.revision() + 1;
            }
            if (stopping) {
                return;
            }
            if (result.succeeded() || (kv != null && kv.lease() == held)) {
                Instant termSince = result.succeeded() ? since : Optional.ofNullable(decode(kv))
                        .map(l -> parseInstant(l.since())).orElse(since);
                elected = new Term(key, kv.createRevision(), held, self, termSince, this::lost);
                term = elected;
                current = new Leader(self, elected.revision(), termSince.toString());
            } else {
                current = decode(kv);
            }
        }
        if (elected != null) {
            log.info("Leader election {}: {} leads now (term {})", key, self.id(), elected.revision());
            Term starting = elected;
            try {
                transitions.execute(() -> startTerm(starting));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                starting.end("the server is stopping"); // closed meanwhile: the lease is revoked by close
            }
        } else {
            if (kv != null) {
                log.debug("Leader election {}: following {}", key, describe(decode(kv)));
            }
            settled.countDown();
        }
    }

    private void ensureWatch() {
        long from;
        synchronized (lock) {
            if (watch != null || stopping) {
                return;
            }
            from = watchFrom;
        }
        Watch opened = store.watch(key, from, new KeyWatcher());
        boolean keep;
        synchronized (lock) {
            keep = !stopping && watch == null;
            if (keep) {
                watch = opened;
            }
        }
        if (!keep) {
            opened.close();
        }
    }

    /** Follows the election key: a delete is the signal to campaign, a put names the new leader. */
    private final class KeyWatcher implements WatchListener {
        @Override
        public void onEvents(long revision, List<WatchEvent> events) {
            Term lostTerm = null;
            boolean deleted = false;
            synchronized (lock) {
                watchFrom = revision + 1;
                for (WatchEvent e : events) {
                    if (!e.kv().key().equals(key)) {
                        continue; // another key under the same prefix
                    }
                    if (e.type() == WatchEvent.Type.DELETE) {
                        deleted = true;
                        current = null;
                        campaignNeeded = true;
                        if (term != null && term.active()
                                && (e.prevKv() == null || e.prevKv().createRevision() == term.revision())) {
                            lostTerm = term;
                        }
                    } else if (term == null || e.kv().createRevision() != term.revision()) {
                        current = decode(e.kv());
                    }
                }
            }
            if (lostTerm != null) {
                stepDown(lostTerm, "its leader key was deleted");
            }
            if (deleted) {
                wake();
            }
        }

        @Override
        public void onCompacted(long compactRevision) {
            synchronized (lock) {
                watch = null;
                watchFrom = 0; // from now on; the campaign reads the key as it is
                campaignNeeded = true;
            }
            wake();
        }

        @Override
        public void onError(Throwable error) {
            synchronized (lock) {
                watch = null;
                campaignNeeded = true;
            }
            if (!isStopping()) {
                log.debug("Leader election {}: the watch of the key ended ({}); watching again", key, error.toString());
            }
            wake();
        }
    }

    /** The watchdog: a leader whose lease may run out soon steps down while it surely still holds it. */
    private void checkDeadline() {
        Term leading;
        long overdue;
        synchronized (lock) {
            leading = term;
            overdue = System.nanoTime() - (lastRenewSentNanos + stepDownNanos);
        }
        if (leading != null && leading.active() && overdue > 0) {
            stepDown(leading, "its lease could not be renewed for "
                    + TimeUnit.NANOSECONDS.toMillis(stepDownNanos + overdue) + " ms (" + (problem() == null
                            ? "the store answers too slowly" : problem())
                    + "); it stepped down before the lease (" + options.ttl().toMillis()
                    + " ms) could expire, so that no two servers lead at once");
        }
    }

    /** A fenced write found another leader key in the store. */
    private void lost(Term lostTerm, String reason) {
        stepDown(lostTerm, reason);
    }

    /** Ends a term (once) and has its components stopped; this candidate campaigns again when it can. */
    private void stepDown(Term ending, String reason) {
        if (!ending.end(reason)) {
            return;
        }
        synchronized (lock) {
            if (term == ending) {
                term = null;
                if (current != null && current.term() == ending.revision()) {
                    current = null;
                }
                campaignNeeded = true;
            }
        }
        if (isStopping()) {
            log.info("Leader election {}: {} steps down ({})", key, self.id(), reason);
        } else {
            log.warn("Leader election {}: {} is no longer the leader: {}", key, self.id(), reason);
        }
        try {
            transitions.execute(() -> stopTerm(ending));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closed: its components were stopped then.
        }
        wake();
    }

    private void startTerm(Term starting) {
        try {
            if (!starting.active()) {
                return;
            }
            AutoCloseable started;
            try {
                started = leadership.lead(starting);
            } catch (Exception e) {
                log.error("Leader election {}: starting the leader's work failed; resigning", key, e);
                stepDown(starting, "starting the leader's work failed: " + e);
                resign(starting);
                return;
            }
            runningTerm = starting;
            running = started;
            if (!starting.active()) {
                stopTerm(starting);
            }
        } finally {
            settled.countDown();
        }
    }

    private void stopTerm(Term ending) {
        if (runningTerm != ending || running == null) {
            return;
        }
        AutoCloseable stopping = running;
        running = null;
        runningTerm = null;
        try {
            stopping.close();
        } catch (Exception e) {
            log.warn("Leader election {}: stopping the leader's work failed: {}", key, e.toString());
        }
    }

    /** Gives up a term whose work could not start: the key goes with the lease, so others may try. */
    private void resign(Term resigned) {
        long held;
        synchronized (lock) {
            held = lease == resigned.lease() ? lease : 0;
            if (held != 0) {
                lease = 0;
            }
        }
        if (held != 0) {
            try {
                store.revokeLease(held);
            } catch (StoreException e) {
                log.debug("Leader election {}: revoking lease {} failed: {}", key, held, e.getMessage());
            }
        }
    }

    /** Steps down (stopping the leader's work and waiting for it), then revokes the lease so another candidate leads at once. */
    @Override
    public void close() {
        stop(true);
    }

    /**
     * Stops as a crash would, for tests: the leader's work is stopped (as the process's end would stop it) but the
     * lease is neither revoked nor renewed, so the key stays until the lease expires.
     */
    public void abandon() {
        stop(false);
    }

    private void stop(boolean release) {
        Term leading;
        synchronized (lock) {
            if (stopping) {
                return;
            }
            stopping = true;
            leading = term;
        }
        watchdog.shutdownNow();
        renewer.shutdownNow();
        if (leading != null) {
            stepDown(leading, release ? "the server is stopping" : "abandoned");
        }
        wake();
        try {
            loop.join(Duration.ofSeconds(1));
            if (loop.isAlive()) {
                loop.interrupt(); // in a store call that waits for an unreachable store
                loop.join(Duration.ofSeconds(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transitions.shutdown();
        try {
            if (!transitions.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("Leader election {}: the leader's work did not stop within 30 s", key);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Watch open;
        long held;
        synchronized (lock) {
            open = watch;
            watch = null;
            held = lease;
            lease = 0;
            current = null;
        }
        if (open != null) {
            open.close();
        }
        if (release && held != 0) {
            try {
                store.revokeLease(held);
            } catch (StoreException e) {
                log.debug("Leader election {}: revoking lease {} failed: {}", key, held, e.getMessage());
            }
        }
        settled.countDown();
    }

    private byte[] encode(Instant since) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("id", self.id());
        value.put("host", self.host());
        value.put("pid", self.pid());
        if (self.url() != null) {
            value.put("url", self.url());
        }
        value.put("since", since.toString());
        return ResourceCodec.toJson(value);
    }

    /** The leader a key names; tolerant (a newer version may write more fields), null when unreadable. */
    static Leader decode(KeyValue kv) {
        if (kv == null) {
            return null;
        }
        try {
            JsonNode node = ResourceCodec.json().readTree(kv.value());
            String id = node.path("id").asString("");
            if (id.isEmpty()) {
                return null;
            }
            String url = node.path("url").isMissingNode() || node.path("url").isNull() ? null : node.path("url").asString();
            Candidate c = new Candidate(id, node.path("host").asString(""), node.path("pid").asLong(0), url);
            return new Leader(c, kv.createRevision(), node.path("since").asString(""));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Instant parseInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            return Instant.now();
        }
    }

    private static String describe(Leader leader) {
        return leader == null ? "an unreadable leader" : leader.candidate().id() + " (term " + leader.term() + ")";
    }

    @Override
    public String toString() {
        return "leader election " + key + " of " + self.id();
    }
}
