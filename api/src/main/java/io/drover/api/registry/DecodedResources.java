package io.drover.api.registry;

import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.codec.ResourceCodec;
import io.drover.store.KeyValue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stored objects as decoded last, by key and revision. A key's value at one revision never changes (every write gives
 * a new revision, also a delete and create again), so a decoded object can be handed out again for as long as the key
 * is at that revision, and resources are immutable, so everyone may share it. Decoding JSON was the most expensive
 * step of reading an object: IPAM reads a pod's network on every allocation, and every watcher of a kind decoded
 * every event of it once more.
 *
 * <p>Bounded: past {@code capacity} keys it starts again from empty, which costs only decoding again.
 */
final class DecodedResources {

    private record Decoded(long modRevision, Resource resource) {}

    private final ConcurrentHashMap<String, Decoded> byKey = new ConcurrentHashMap<>();
    private final int capacity;

    DecodedResources(int capacity) {
        this.capacity = capacity;
    }

    /** The object stored in {@code kv}, with its revision as resourceVersion. */
    Resource decode(KeyValue kv, ResourceKind kind) {
        Decoded known = byKey.get(kv.key());
        if (known != null && known.modRevision() == kv.modRevision()) {
            return known.resource();
        }
        Resource resource = StoreResourceRegistry.withVersion(ResourceCodec.fromJson(kv.value(), kind), kv.modRevision());
        if (known == null || known.modRevision() < kv.modRevision()) {
            // An older revision (a watch event's previous value) does not push out the current one.
            if (byKey.size() >= capacity) {
                byKey.clear();
            }
            byKey.merge(kv.key(), new Decoded(kv.modRevision(), resource),
                    (old, fresh) -> old.modRevision() >= fresh.modRevision() ? old : fresh);
        }
        return resource;
    }
}
