package io.drover.controllers.ipam;

import io.drover.model.codec.ResourceCodec;
import io.drover.store.KeyValue;
import io.drover.store.KeyValueStore;
import io.drover.store.RangeResult;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This process's copy of the blocks of each network it allocates in, each with the mod revision it was read
 * at. It is only a guess: every write built on it compares that revision, and a failed compare brings the
 * current value back (see {@link #observe}). So another server writing the same blocks costs a retry, never a
 * duplicate. Newer revisions always win, so answers arriving out of order cannot roll an entry back.
 */
final class BlockCache {

    private final KeyValueStore store;
    private final Map<String, Map<String, CachedBlock>> networks = new ConcurrentHashMap<>();
    private final Set<String> loaded = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> claiming = new ConcurrentHashMap<>();

    BlockCache(KeyValueStore store) {
        this.store = store;
    }

    /** The network's blocks as last seen; read from the store the first time. */
    Collection<CachedBlock> blocks(String network) {
        return loaded.contains(network) ? networks.get(network).values() : reload(network);
    }

    /** Reads every block of the network again: before declaring it exhausted, and on first use. */
    Collection<CachedBlock> reload(String network) {
        RangeResult range = store.range(IpamKeys.blocks(network));
        Map<String, CachedBlock> entries = networks.computeIfAbsent(network, n -> new ConcurrentHashMap<>());
        Set<String> seen = new HashSet<>();
        for (KeyValue kv : range.kvs()) {
            seen.add(kv.key());
            observe(network, kv.key(), kv, range.revision());
        }
        for (CachedBlock e : List.copyOf(entries.values())) {
            if (!seen.contains(e.key())) {
                observe(network, e.key(), null, range.revision());
            }
        }
        loaded.add(network);
        return entries.values();
    }

    CachedBlock get(String network, String key) {
        blocks(network);
        return networks.get(network).get(key);
    }

    /**
     * Records what the store holds for {@code key}: {@code kv}, or nothing ({@code kv} null) as of
     * {@code revision}. Ignored when the cache already holds something newer.
     */
    void observe(String network, String key, KeyValue kv, long revision) {
        Map<String, CachedBlock> entries = networks.computeIfAbsent(network, n -> new ConcurrentHashMap<>());
        if (kv == null) {
            entries.computeIfPresent(key, (k, old) -> old.modRevision() <= revision ? null : old);
            return;
        }
        AllocationBlock block = ResourceCodec.fromJson(kv.value(), AllocationBlock.class);
        wrote(network, key, block, kv.modRevision());
    }

    /** Records a block this process just wrote at {@code modRevision}, without decoding it again. */
    void wrote(String network, String key, AllocationBlock block, long modRevision) {
        Map<String, CachedBlock> entries = networks.computeIfAbsent(network, n -> new ConcurrentHashMap<>());
        entries.compute(key, (k, old) -> old != null && old.modRevision() >= modRevision
                ? old
                : old != null ? old.with(block, modRevision) : CachedBlock.of(key, block, modRevision));
    }

    /**
     * Marks an unclaimed block as being claimed by one of this process's planners, so that two of them do not
     * race for it (the store would let only one win, at the cost of a retry for the other). False when another
     * planner already is.
     */
    boolean reserveClaim(String network, String key) {
        return claiming.computeIfAbsent(network, n -> ConcurrentHashMap.newKeySet()).add(key);
    }

    void releaseClaims(String network, Collection<String> keys) {
        Set<String> set = claiming.get(network);
        if (set != null) {
            set.removeAll(keys);
        }
    }
}
