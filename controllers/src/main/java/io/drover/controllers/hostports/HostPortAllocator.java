package io.drover.controllers.hostports;

import io.drover.controllers.hostports.AutomaticPorts.Wanted;
import io.drover.model.codec.ResourceCodec;
import io.drover.model.pod.PodStatus.PublishedPort;
import io.drover.store.Compare;
import io.drover.store.KeyValue;
import io.drover.store.KeyValueStore;
import io.drover.store.Op;
import io.drover.store.Txn;
import io.drover.store.TxnResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out and takes back automatic host ports ({@code spec.publishAllPorts}, Docker's {@code -P}), one node at a
 * time. A port is reserved by creating its key ({@link HostPortKeys}) only if absent, and released by deleting it
 * only if unchanged, in one transaction per pod; so two allocators on one store (threads, or servers) can never
 * hand out one port twice, a lost race is a retry, and a crash leaves all of a pod's change or none of it.
 *
 * <p>Idempotent: a pod that holds a port for one of its ports keeps it (a restarted controller, or a retry, gets the
 * same answer). Like Docker's allocator, new ports are taken in turn from after the last one handed out (on this
 * node and protocol), wrapping around the range, so a port just given back is not the next one handed out.
 */
public final class HostPortAllocator {

    /**
     * The pod asking.
     *
     * @param uid  its uid, which owns the reservations
     * @param pod  {@code namespace/name}
     * @param node the node it runs on, whose ports it gets
     */
    public record Owner(String uid, String pod, String node) {}

    /**
     * What a pod holds after {@link #assign}.
     *
     * @param published the host port of each wanted port that has one, in the order asked
     * @param problem   null when every wanted port has a host port; else why not, in words a person can act on
     * @param released  reservations given back (ports the pod no longer wants, or lost to an older pod's hostPort)
     */
    public record Outcome(List<PublishedPort> published, String problem, List<HostPortReservation> released) {
        public Outcome {
            published = List.copyOf(published);
            released = List.copyOf(released);
        }
    }

    /** A reservation as stored, with the revision a conditional delete compares. */
    public record Stored(HostPortReservation reservation, long modRevision) {}

    private static final Logger log = LoggerFactory.getLogger(HostPortAllocator.class);
    /** A transaction loses only when someone else wrote this node's ports; this many in a row is heavy contention. */
    private static final int MAX_ATTEMPTS = 64;

    private final KeyValueStore store;
    private final HostPortRange range;
    /** One pod of a node at a time in this process: they would only fail each other's compare-and-swap. */
    private final Map<String, ReentrantLock> nodeLocks = new ConcurrentHashMap<>();
    /** Per node and protocol, where the search for the next free port starts. */
    private final Map<String, Integer> cursors = new ConcurrentHashMap<>();

    public HostPortAllocator(KeyValueStore store, HostPortRange range) {
        this.store = store;
        this.range = range;
    }

    public HostPortRange range() {
        return range;
    }

    /**
     * Brings {@code owner}'s reservations on its node in line with {@code wanted}: keeps the port it holds for each
     * wanted port (unless an older pod declared it as its {@code hostPort}, see {@link PortClaims}), gives back those
     * it holds for ports no longer wanted, and reserves a free port of the range for each wanted port without one,
     * never one that {@code claims} names. The missing ports are reserved all together or, when the range has too
     * few free ports left, not at all; the outcome then says so and keeps what the pod held.
     *
     * @throws IllegalStateException when other writers kept changing the node's ports (transient: try again)
     */
    public Outcome assign(Owner owner, List<Wanted> wanted, PortClaims claims) {
        String node = owner.node();
        String prefix = HostPortKeys.node(node);
        ReentrantLock lock = nodeLocks.computeIfAbsent(node, n -> new ReentrantLock());
        lock.lock();
        try {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                Map<String, Stored> all = read(prefix);
                Plan plan = plan(owner, wanted, claims, all);
                if (plan.puts.isEmpty() && plan.deletes.isEmpty()) {
                    return plan.outcome();
                }
                if (write(plan)) {
                    plan.puts.forEach(r -> cursors.put(cursorKey(node, r.protocol()), r.hostPort() + 1));
                    return plan.outcome();
                }
                if (attempt >= 3) {
                    // Another server is busy on this node's ports: let it finish.
                    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(100_000, 1_000_000L * Math.min(attempt, 20)));
                }
            }
        } finally {
            lock.unlock();
        }
        log.warn("host ports of node {}: gave up on pod {} after {} attempts: the node's reservations kept changing",
                node, owner.pod(), MAX_ATTEMPTS);
        throw new IllegalStateException("node " + node + ": too many concurrent changes to its host port reservations; try again");
    }

    /** Gives back every port {@code podUid} holds on {@code node}; returns what was released. */
    public List<HostPortReservation> releaseAll(String podUid, String node) {
        if (node == null || node.isEmpty()) {
            return List.of();
        }
        Outcome outcome = assign(new Owner(podUid, podUid, node), List.of(), PortClaims.NONE);
        return outcome.released();
    }

    /** Deletes a reservation if it is still the one read; false when it changed or is gone. */
    public boolean releaseIfUnchanged(Stored stored) {
        return store.deleteIf(stored.reservation().key(), stored.modRevision());
    }

    /** Every reservation of every node, read from the store. */
    public List<Stored> reservations() {
        return List.copyOf(read(HostPortKeys.ROOT).values());
    }

    /** The reservations of one node, read from the store. */
    public List<Stored> reservations(String node) {
        return List.copyOf(read(HostPortKeys.node(node)).values());
    }

    private Map<String, Stored> read(String prefix) {
        Map<String, Stored> out = new LinkedHashMap<>();
        for (KeyValue kv : store.range(prefix).kvs()) {
            HostPortReservation r;
            try {
                r = ResourceCodec.fromJson(kv.value(), HostPortReservation.class);
            } catch (RuntimeException e) {
                r = unreadable(kv.key());
                if (r == null) {
                    log.warn("ignoring {}: not a host port reservation key", kv.key());
                    continue;
                }
                log.warn("host port reservation {} cannot be read, so its port stays taken until the garbage collector "
                        + "removes it: {}", kv.key(), e.toString());
            }
            out.put(kv.key(), new Stored(r, kv.modRevision()));
        }
        return out;
    }

    /** A reservation whose value cannot be read, rebuilt from its key (owned by nobody); null for a foreign key. */
    private static HostPortReservation unreadable(String key) {
        String[] parts = key.substring(HostPortKeys.ROOT.length()).split("/");
        if (parts.length != 3 || !parts[2].matches("\\d{1,5}")) {
            return null;
        }
        return new HostPortReservation("", "<unreadable>", parts[0], parts[1].toUpperCase(java.util.Locale.ROOT),
                Integer.parseInt(parts[2]), 0);
    }

    /** What one transaction does for one pod, and what the pod holds if it succeeds. */
    private final class Plan {
        final List<HostPortReservation> puts = new ArrayList<>();
        final Map<String, Stored> deletes = new LinkedHashMap<>();
        final Map<Wanted, Integer> hostPorts = new LinkedHashMap<>();
        final List<Wanted> wanted;
        String problem;

        Plan(List<Wanted> wanted) {
            this.wanted = wanted;
        }

        Outcome outcome() {
            List<PublishedPort> published = new ArrayList<>();
            for (Wanted w : wanted) {
                Integer hostPort = hostPorts.get(w);
                if (hostPort != null) {
                    published.add(new PublishedPort(w.port(), w.protocol(), hostPort, w.hostIp()));
                }
            }
            return new Outcome(published, problem, deletes.values().stream().map(Stored::reservation).toList());
        }
    }

    private Plan plan(Owner owner, List<Wanted> wanted, PortClaims claims, Map<String, Stored> all) {
        Plan plan = new Plan(wanted);
        List<Stored> mine = all.values().stream().filter(s -> owner.uid().equals(s.reservation().podUid())).toList();
        Set<Stored> kept = new HashSet<>();
        List<Wanted> missing = new ArrayList<>();
        for (Wanted w : wanted) {
            Stored held = mine.stream()
                    .filter(s -> !kept.contains(s) && w.sameAs(s.reservation().port(), s.reservation().protocol()))
                    .filter(s -> claims.takenBack(s.reservation().protocol(), s.reservation().hostPort()) == null)
                    .findFirst().orElse(null);
            if (held != null) {
                kept.add(held);
                plan.hostPorts.put(w, held.reservation().hostPort());
            } else {
                missing.add(w);
            }
        }
        for (Stored s : mine) {
            if (!kept.contains(s)) {
                plan.deletes.put(s.reservation().key(), s);
                String by = claims.takenBack(s.reservation().protocol(), s.reservation().hostPort());
                if (by != null) {
                    log.info("pod {} gives up host port {}/{} on node {}: pod {}, which is older, declares it as its hostPort",
                            owner.pod(), s.reservation().hostPort(), s.reservation().protocol(), owner.node(), by);
                }
            }
        }
        // Ports already reserved (also those being given back now: not handed out again at once) or declared.
        Set<String> reserved = new HashSet<>();
        all.values().forEach(s -> reserved.add(s.reservation().protocol() + "/" + s.reservation().hostPort()));
        Map<String, Integer> next = new HashMap<>();
        Map<Wanted, HostPortReservation> picks = new LinkedHashMap<>();
        for (Wanted w : missing) {
            int start = next.computeIfAbsent(w.protocol(), p -> cursors.getOrDefault(cursorKey(owner.node(), p), range.from()));
            int found = -1;
            for (int i = 0; i < range.size(); i++) {
                int candidate = range.from() + Math.floorMod(start - range.from() + i, range.size());
                if (!reserved.contains(w.protocol() + "/" + candidate) && !claims.taken(w.protocol(), candidate)) {
                    found = candidate;
                    break;
                }
            }
            if (found < 0) {
                plan.problem = exhausted(owner, w, all, claims);
                picks.clear(); // all of the missing ports or none
                break;
            }
            reserved.add(w.protocol() + "/" + found);
            next.put(w.protocol(), found + 1);
            picks.put(w, new HostPortReservation(owner.uid(), owner.pod(), owner.node(), w.protocol(), found, w.port()));
        }
        picks.forEach((w, r) -> {
            plan.puts.add(r);
            plan.hostPorts.put(w, r.hostPort());
        });
        return plan;
    }

    private String exhausted(Owner owner, Wanted w, Map<String, Stored> all, PortClaims claims) {
        long automatic = all.values().stream()
                .filter(s -> s.reservation().protocol().equals(w.protocol()) && range.contains(s.reservation().hostPort()))
                .count();
        int declared = claims.countIn(w.protocol(), range);
        return "no free host port for " + w.field() + " (" + w.describe() + ") on node " + owner.node() + ": all "
                + range.size() + " " + w.protocol() + " ports of the host port range " + range + " are taken ("
                + automatic + " published automatically, " + declared + " declared as hostPort); delete pods that "
                + "publish ports on " + owner.node() + ", give this port a hostPort, or start the server with a wider "
                + "--host-port-range";
    }

    private boolean write(Plan plan) {
        List<Compare> compares = new ArrayList<>();
        List<Op> ops = new ArrayList<>();
        for (HostPortReservation r : plan.puts) {
            compares.add(Compare.absent(r.key()));
            ops.add(Op.put(r.key(), ResourceCodec.toJson(r)));
        }
        plan.deletes.forEach((key, stored) -> {
            compares.add(Compare.modRevisionIs(key, stored.modRevision()));
            ops.add(Op.delete(key));
        });
        TxnResult result = store.txn(new Txn(compares, ops, List.of()));
        return result.succeeded();
    }

    private static String cursorKey(String node, String protocol) {
        return node + "/" + protocol;
    }
}
