package io.drover.controllers.ipam;

import io.drover.controllers.ipam.AllocationPlanner.Plan;
import io.drover.controllers.ipam.IpamRequest.Allocate;
import io.drover.controllers.ipam.IpamRequest.Outcome;
import io.drover.controllers.ipam.IpamRequest.Release;
import io.drover.controllers.support.Combiner;
import io.drover.model.codec.ResourceCodec;
import io.drover.model.network.Network;
import io.drover.store.Compare;
import io.drover.store.KeyValue;
import io.drover.store.KeyValueStore;
import io.drover.store.Op;
import io.drover.store.Txn;
import io.drover.store.TxnResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out and takes back addresses. Safe with any number of threads in any number of processes on one store:
 * every change is one transaction that compares the revisions of everything it read, so a lost race is a retry
 * and a crash leaves either all of an allocation or none of it.
 *
 * <p>Requests for the same node and network are combined (see {@link Combiner}): they would write the same
 * block anyway, so one transaction serves a whole batch instead of each failing the others' compare-and-swap.
 */
public final class IpamService {

    private static final Logger log = LoggerFactory.getLogger(IpamService.class);

    /** Each request adds at most three ops (two blocks and its handle); etcd allows 128 per transaction. */
    public static final int DEFAULT_MAX_BATCH = 32;

    /** A write loses a race only when someone else wrote; this many losses in a row means heavy contention. */
    private static final int MAX_ATTEMPTS = 64;

    private record Lane(String network, String node) {}

    private final KeyValueStore store;
    private final NetworkSource networks;
    private final BlockCache cache;
    /** Each network's layout with the object it was worked out from (see {@link #layoutOf}). */
    private final Map<String, LaidOut> layouts = new ConcurrentHashMap<>();
    private final int maxBatch;
    private final Map<Lane, Combiner<IpamRequest, Outcome>> lanes = new ConcurrentHashMap<>();

    public IpamService(KeyValueStore store, NetworkSource networks) {
        this(store, networks, DEFAULT_MAX_BATCH);
    }

    public IpamService(KeyValueStore store, NetworkSource networks, int maxBatch) {
        this.store = store;
        this.networks = networks;
        this.cache = new BlockCache(store);
        this.maxBatch = maxBatch;
    }

    /**
     * One address per subnet of {@code network} (two when it is dual-stack) for {@code handle}, from
     * {@code node}'s blocks when they have room. The same handle always gets the same addresses back, so a
     * retried request is harmless.
     *
     * @throws IpamException when the network does not exist, cannot be served or has no free address; nothing
     *                       is allocated then
     */
    public List<AllocatedAddress> allocate(String network, String node, HandleId handle) {
        requireName("network", network);
        requireName("node", node);
        return switch (lane(network, node).submit(new Allocate(handle))) {
            case Outcome.Allocated a -> a.addresses();
            case Outcome.Failed f -> throw new IpamException(f.error().reason(), f.error().getMessage());
            case Outcome.Released r -> throw new IllegalStateException("allocation answered as a release");
        };
    }

    /** Frees what {@code handle} holds in {@code network}; false when it holds nothing (already released). */
    public boolean release(String network, HandleId handle) {
        requireName("network", network);
        Optional<KeyValue> kv = store.get(IpamKeys.handle(network, handle));
        if (kv.isEmpty()) {
            return false;
        }
        HandleRecord record = decodeHandle(kv.get());
        return switch (lane(network, record.node()).submit(new Release(record, kv.get().modRevision()))) {
            case Outcome.Released r -> r.released();
            case Outcome.Failed f -> throw new IpamException(f.error().reason(), f.error().getMessage());
            case Outcome.Allocated a -> throw new IllegalStateException("release answered as an allocation");
        };
    }

    public Optional<HandleRecord> handle(String network, HandleId handle) {
        requireName("network", network);
        return store.get(IpamKeys.handle(network, handle)).map(IpamService::decodeHandle);
    }

    /** Every handle of every network, read from the store. */
    public List<HandleRecord> handles() {
        return store.range(IpamKeys.HANDLES).kvs().stream().map(IpamService::decodeHandle).toList();
    }

    /** Every handle of every network with the revision it was written at, read from the store. */
    public List<StoredHandle> storedHandles() {
        return store.range(IpamKeys.HANDLES).kvs().stream()
                .map(kv -> new StoredHandle(decodeHandle(kv), kv.modRevision()))
                .toList();
    }

    public List<HandleRecord> handles(String network) {
        requireName("network", network);
        return store.range(IpamKeys.handles(network)).kvs().stream().map(IpamService::decodeHandle).toList();
    }

    /** The blocks of {@code network}, read from the store, in key order. */
    public List<AllocationBlock> blocks(String network) {
        requireName("network", network);
        return store.range(IpamKeys.blocks(network)).kvs().stream()
                .map(kv -> ResourceCodec.fromJson(kv.value(), AllocationBlock.class))
                .toList();
    }

    /** The networks that have blocks in the store (existing or not). */
    public Set<String> networksWithBlocks() {
        Set<String> out = new TreeSet<>();
        for (KeyValue kv : store.range(IpamKeys.BLOCKS).kvs()) {
            String rest = kv.key().substring(IpamKeys.BLOCKS.length());
            out.add(rest.substring(0, rest.indexOf('/')));
        }
        return out;
    }

    /**
     * Deletes the blocks of {@code network} that hold no address, each only if unchanged since read: for a
     * network that no longer exists, so that one created later under its name starts from a clean slate.
     * Returns the CIDRs of the deleted blocks.
     */
    public List<String> deleteEmptyBlocks(String network) {
        requireName("network", network);
        List<String> deleted = new ArrayList<>();
        for (KeyValue kv : store.range(IpamKeys.blocks(network)).kvs()) {
            AllocationBlock block = ResourceCodec.fromJson(kv.value(), AllocationBlock.class);
            // The block's object goes in the same transaction: no node routes a block that is no longer claimed.
            if (block.allocatedCount() == 0 && store.txn(new Txn(
                    List.of(Compare.modRevisionIs(kv.key(), kv.modRevision())),
                    List.of(Op.delete(kv.key()), BlockRecords.delete(block)), List.of())).succeeded()) {
                cache.observe(network, kv.key(), null, store.revision());
                deleted.add(block.cidr());
            }
        }
        return deleted;
    }

    private Combiner<IpamRequest, Outcome> lane(String network, String node) {
        return lanes.computeIfAbsent(new Lane(network, node),
                l -> new Combiner<>(batch -> process(l, batch), IpamRequest::handleKey, maxBatch));
    }

    /** Plans and writes one batch, re-planning from what a failed compare brought back until it sticks. */
    private List<Outcome> process(Lane lane, List<IpamRequest> batch) {
        String network = lane.network();
        Outcome[] outcomes = new Outcome[batch.size()];
        IpamRequest[] requests = batch.toArray(IpamRequest[]::new);
        Map<String, HandleRecord> existing = new HashMap<>();
        boolean reloaded = false;
        Set<String> lookedUp = new HashSet<>();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            List<Integer> open = new ArrayList<>();
            List<IpamRequest> pending = new ArrayList<>();
            for (int i = 0; i < requests.length; i++) {
                if (outcomes[i] == null) {
                    open.add(i);
                    pending.add(requests[i]);
                }
            }
            if (pending.isEmpty()) {
                break;
            }
            NetworkLayout layout = null;
            IpamException layoutError = null;
            if (pending.stream().anyMatch(r -> r instanceof Allocate a && !existing.containsKey(a.handleKey()))) {
                try {
                    layout = layoutOf(network);
                } catch (IpamException e) {
                    layoutError = e;
                }
            }
            AllocationPlanner planner = new AllocationPlanner(network, lane.node(), layout, layoutError,
                    cache.blocks(network), key -> cache.reserveClaim(network, key));
            Plan plan = planner.plan(pending, existing);
            try {
                if (lookUpRefused(network, pending, plan, existing, lookedUp)) {
                    // A retry of a handle that holds addresses: it answers with them, even when the network is
                    // full (or its layout cannot be served now).
                    continue;
                }
                if (plan.exhausted() && !reloaded) {
                    // Other servers may have freed or claimed blocks since this cache last looked.
                    reloaded = true;
                    cache.reload(network);
                    continue;
                }
                if (plan.writesNothing() || write(network, plan, requests, outcomes, open, existing)) {
                    for (int j = 0; j < open.size(); j++) {
                        outcomes[open.get(j)] = plan.outcomes().get(j);
                    }
                    break;
                }
            } finally {
                cache.releaseClaims(network, plan.claims());
            }
            if (attempt >= 3) {
                // Several lost races in a row: another writer is busy on these blocks; let it finish.
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(100_000, 1_000_000L * Math.min(attempt, 20)));
            }
        }
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
                log.warn("IPAM in network {} gave up on {} after {} attempts: the blocks kept changing", network, requests[i].handleKey(), MAX_ATTEMPTS);
                outcomes[i] = new Outcome.Failed(new IpamException(IpamException.Reason.CONTENDED, "network " + network
                        + ": too many concurrent changes to its address blocks; try again"));
            }
        }
        return Arrays.asList(outcomes);
    }

    /**
     * Reads from the store the handles of the allocations the plan refuses, into {@code existing}; true when one
     * exists. Each handle is read once per batch ({@code lookedUp}). A handle's record is usually learned from the
     * failed compare of a write (see {@link #write}), but an allocation refused before any write (no free address)
     * never gets there, and a retried request must get what it holds rather than a refusal: the IPAM controller,
     * checking a pod addressed in its create (or after a restart), would otherwise take the pod's addresses away
     * because its network has no room for more.
     */
    private boolean lookUpRefused(String network, List<IpamRequest> pending, Plan plan, Map<String, HandleRecord> existing,
                                  Set<String> lookedUp) {
        boolean found = false;
        for (int j = 0; j < pending.size(); j++) {
            if (pending.get(j) instanceof Allocate a && plan.outcomes().get(j) instanceof Outcome.Failed
                    && !existing.containsKey(a.handleKey()) && lookedUp.add(a.handleKey())) {
                Optional<KeyValue> kv = store.get(IpamKeys.handle(network, a.handle()));
                if (kv.isPresent()) {
                    existing.put(a.handleKey(), decodeHandle(kv.get()));
                    found = true;
                }
            }
        }
        return found;
    }

    /**
     * Writes the plan as one transaction. On a failed compare, learns what changed (the transaction's failure
     * branch reads every compared key) and returns false; the caller plans again.
     */
    private boolean write(String network, Plan plan, IpamRequest[] requests, Outcome[] outcomes, List<Integer> open,
                          Map<String, HandleRecord> existing) {
        List<Compare> compares = new ArrayList<>();
        List<Op> success = new ArrayList<>();
        List<Op> failure = new ArrayList<>();
        List<String> blockKeys = new ArrayList<>();
        plan.blockWrites().forEach((key, block) -> {
            compares.add(Compare.modRevisionIs(key, plan.blockRevisions().get(key)));
            success.add(Op.put(key, ResourceCodec.toJson(block)));
            if (plan.blockRevisions().get(key) == 0L) {
                success.add(BlockRecords.put(block)); // a claim: tell every node where the block lives
            }
            failure.add(Op.get(key));
            blockKeys.add(key);
        });
        List<String> handleKeys = new ArrayList<>();
        plan.handlePuts().forEach((key, record) -> {
            compares.add(Compare.absent(key));
            success.add(Op.put(key, ResourceCodec.toJson(record)));
            failure.add(Op.get(key));
            handleKeys.add(key);
        });
        plan.handleDeletes().forEach((key, revision) -> {
            compares.add(Compare.modRevisionIs(key, revision));
            success.add(Op.delete(key));
            failure.add(Op.get(key));
            handleKeys.add(key);
        });
        TxnResult result = store.txn(new Txn(compares, success, failure));
        if (result.succeeded()) {
            plan.blockWrites().forEach((key, block) -> cache.wrote(network, key, block, result.revision()));
            return true;
        }
        List<KeyValue> seen = result.results();
        for (int i = 0; i < blockKeys.size(); i++) {
            cache.observe(network, blockKeys.get(i), seen.get(i), result.revision());
        }
        Map<String, Integer> requestByHandleKey = new HashMap<>();
        for (int i : open) {
            HandleId id = requests[i] instanceof Release r ? r.record().id() : ((Allocate) requests[i]).handle();
            requestByHandleKey.put(IpamKeys.handle(network, id), i);
        }
        for (int i = 0; i < handleKeys.size(); i++) {
            KeyValue kv = seen.get(blockKeys.size() + i);
            int index = requestByHandleKey.get(handleKeys.get(i));
            switch (requests[index]) {
                case Allocate a -> {
                    if (kv != null) { // allocated before (a retry, or another server was quicker): answer with that
                        existing.put(a.handleKey(), decodeHandle(kv));
                    }
                }
                case Release r -> {
                    if (kv == null) {
                        outcomes[index] = new Outcome.Released(false); // released meanwhile by someone else
                    } else if (kv.modRevision() != r.modRevision()) {
                        requests[index] = new Release(decodeHandle(kv), kv.modRevision());
                    }
                }
            }
        }
        return false;
    }

    private NetworkLayout layoutOf(String name) {
        Network network = networks.network(name).orElseThrow(() -> new IpamException(IpamException.Reason.NETWORK_NOT_FOUND,
                "network " + name + " does not exist: create it, or name an existing network"));
        // The registry hands out the same object while the network is unchanged, so its layout is worked out once.
        LaidOut known = layouts.get(name);
        if (known != null && known.network() == network) {
            return known.layout();
        }
        NetworkLayout layout = NetworkLayout.of(network);
        layouts.put(name, new LaidOut(network, layout));
        return layout;
    }

    private record LaidOut(Network network, NetworkLayout layout) {}

    private static HandleRecord decodeHandle(KeyValue kv) {
        return ResourceCodec.fromJson(kv.value(), HandleRecord.class);
    }

    private static void requireName(String what, String value) {
        if (value == null || value.isEmpty() || value.contains("/")) {
            throw new IpamException(IpamException.Reason.INVALID, what + " name '" + value + "' is empty or contains '/'");
        }
    }
}
