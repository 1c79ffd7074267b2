package io.drover.agent.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An immutable map whose new versions share everything that did not change with the version they were made from: its
 * entries are spread over a fixed number of buckets by hash, and a change copies only the buckets it touches. So
 * making a version with one entry changed costs that bucket, not the whole map, and comparing two versions of one
 * lineage ({@link #diff}) skips every bucket they still share, by identity: the cost of both is the change's, not
 * the map's. The node's services (tens of thousands) live in such maps, so that one more service costs a few
 * microseconds of bookkeeping.
 *
 * <p>Two maps of different lineages still compare correctly, bucket by bucket, in time proportional to their size.
 *
 * @param <K> keys, with the usual {@code equals} and {@code hashCode}
 * @param <V> values, never null
 */
final class PersistentMap<K, V> {

    /** Enough for 100,000 entries at about a hundred per bucket; a bucket copy stays a few microseconds. */
    private static final int BUCKETS = 1024;

    private static final PersistentMap<?, ?> EMPTY = new PersistentMap<>(new Map<?, ?>[BUCKETS], 0);

    /** Each bucket an unmodifiable map, or null when empty; never modified once the version is made. */
    private final Map<K, V>[] buckets;
    private final int size;

    private PersistentMap(Map<?, ?>[] buckets, int size) {
        @SuppressWarnings("unchecked")
        Map<K, V>[] typed = (Map<K, V>[]) buckets;
        this.buckets = typed;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <K, V> PersistentMap<K, V> empty() {
        return (PersistentMap<K, V>) EMPTY;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    V get(K key) {
        Map<K, V> bucket = buckets[index(key)];
        return bucket == null ? null : bucket.get(key);
    }

    boolean containsKey(K key) {
        return get(key) != null;
    }

    /** Every entry, in no particular order. */
    void forEach(BiConsumer<K, V> action) {
        for (Map<K, V> bucket : buckets) {
            if (bucket != null) {
                bucket.forEach(action);
            }
        }
    }

    /** Every value, in no particular order. */
    List<V> values() {
        List<V> out = new ArrayList<>(size);
        forEach((k, v) -> out.add(v));
        return out;
    }

    /** A version with some entries put or removed; this one stays as it is. */
    Editor<K, V> edit() {
        return new Editor<>(this);
    }

    /** What one entry is in two versions: {@code before} or {@code after} null where the key is absent. */
    interface Difference<K, V> {
        void entry(K key, V before, V after);
    }

    /**
     * Tells {@code difference} of every key whose value is not equal in {@code before} and {@code after}. Buckets
     * the two versions share are skipped unread; in the others, values are compared by identity first, then by
     * {@code equals}.
     */
    static <K, V> void diff(PersistentMap<K, V> before, PersistentMap<K, V> after, Difference<K, V> difference) {
        if (before == after) {
            return;
        }
        for (int i = 0; i < BUCKETS; i++) {
            Map<K, V> old = before.buckets[i];
            Map<K, V> now = after.buckets[i];
            if (old == now) {
                continue;
            }
            Map<K, V> oldEntries = old == null ? Map.of() : old;
            Map<K, V> newEntries = now == null ? Map.of() : now;
            oldEntries.forEach((key, value) -> {
                V current = newEntries.get(key);
                if (current != value && !value.equals(current)) {
                    difference.entry(key, value, current);
                }
            });
            newEntries.forEach((key, value) -> {
                if (!oldEntries.containsKey(key)) {
                    difference.entry(key, null, value);
                }
            });
        }
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof PersistentMap<?, ?> other) || other.size != size) {
            return false;
        }
        for (int i = 0; i < BUCKETS; i++) {
            Map<?, ?> a = buckets[i];
            Map<?, ?> b = other.buckets[i];
            if (a != b && !Objects.equals(a == null ? Map.of() : a, b == null ? Map.of() : b)) {
                return false;
            }
        }
        return true;
    }

    /** The size only: a hash of every entry would cost what this map exists to avoid. Equal maps have equal sizes. */
    @Override
    public int hashCode() {
        return size;
    }

    @Override
    public String toString() {
        return "PersistentMap[" + size + " entries]";
    }

    private static int index(Object key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (BUCKETS - 1);
    }

    /**
     * Collects puts and removals, then makes the new version with {@link #done}: each bucket touched is copied once,
     * however many of its entries change.
     */
    static final class Editor<K, V> {
        private final PersistentMap<K, V> base;
        private Map<K, V>[] buckets;
        /** Which buckets are this editor's own copies, modifiable until {@link #done}. */
        private boolean[] copied;
        private int size;

        private Editor(PersistentMap<K, V> base) {
            this.base = base;
            this.size = base.size;
        }

        V get(K key) {
            Map<K, V>[] current = buckets == null ? base.buckets : buckets;
            Map<K, V> bucket = current[index(key)];
            return bucket == null ? null : bucket.get(key);
        }

        Editor<K, V> put(K key, V value) {
            Objects.requireNonNull(value, "value");
            if (writable(index(key)).put(Objects.requireNonNull(key, "key"), value) == null) {
                size++;
            }
            return this;
        }

        Editor<K, V> remove(K key) {
            int i = index(key);
            Map<K, V>[] current = buckets == null ? base.buckets : buckets;
            if (current[i] == null || !current[i].containsKey(key)) {
                return this;
            }
            writable(i).remove(key);
            size--;
            return this;
        }

        /** The new version; the editor must not be used afterwards. */
        PersistentMap<K, V> done() {
            if (buckets == null) {
                return base;
            }
            for (int i = 0; i < BUCKETS; i++) {
                if (copied[i]) {
                    buckets[i] = buckets[i].isEmpty() ? null : Collections.unmodifiableMap(buckets[i]);
                }
            }
            PersistentMap<K, V> made = new PersistentMap<>(buckets, size);
            buckets = null;
            copied = null;
            return made;
        }

        private Map<K, V> writable(int i) {
            if (buckets == null) {
                buckets = Arrays.copyOf(base.buckets, BUCKETS);
                copied = new boolean[BUCKETS];
            }
            if (!copied[i]) {
                buckets[i] = buckets[i] == null ? new HashMap<>() : new HashMap<>(buckets[i]);
                copied[i] = true;
            }
            return buckets[i];
        }
    }
}
