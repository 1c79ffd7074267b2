package io.drover.agent.desired;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The objects of one kind an agent's mirror handed out last time, to tell which came and went since: by identity,
 * since a mirror replaces an object when it changes and hands out the very same one while it does not. Most of the
 * time the objects come in the order they came last time, one or two added or taken out, so each is first compared
 * with the object at its place last time (where the order shifted, a few places around), which costs a comparison of
 * two references; only an object not found there is looked up by identity. So telling one change among 10,000
 * objects costs about 10,000 reference comparisons, a fraction of a millisecond.
 *
 * <p>Not thread-safe: its tracker calls it under the calculator's lock.
 *
 * @param <T> the kind of object
 */
final class SeenObjects<T> {

    /** How far around its old place an object is looked for when the order shifted (an object came or went). */
    private static final int WINDOW = 4;

    private final Function<T, String> keyOf;
    /** The objects in the order they came last time. */
    private Object[] order = new Object[0];
    private final IdentityHashMap<T, String> keys = new IdentityHashMap<>();
    private final Map<String, T> byKey = new HashMap<>();

    /** @param keyOf the key an object is known by among the others ({@code namespace/name}) */
    SeenObjects(Function<T, String> keyOf) {
        this.keyOf = keyOf;
    }

    /** The object seen last under this key, null if none. */
    T get(String key) {
        return byKey.get(key);
    }

    /** Forgets every object: the next {@link #update} finds them all new. */
    void clear() {
        order = new Object[0];
        keys.clear();
        byKey.clear();
    }

    /**
     * Takes {@code current} as the objects now, adding to {@code changed} the key of every object that came or went
     * (an object replaced by a newer one under the same key did both).
     *
     * @param current each object once
     */
    void update(Collection<T> current, Set<String> changed) {
        Object[] previous = order;
        BitSet found = new BitSet(previous.length);
        // Objects seen last time but too far from their old place to be matched with it: rare (a reordering).
        Set<Object> foundElsewhere = Collections.newSetFromMap(new IdentityHashMap<>());
        List<T> arrived = new ArrayList<>();
        int index = 0;
        // The object at index i now was at index i + shift last time, as long as the order holds.
        int shift = 0;
        for (T object : current) {
            int expected = index + shift;
            if (expected >= 0 && expected < previous.length && previous[expected] == object) {
                found.set(expected);
            } else if (keys.containsKey(object)) {
                int at = near(previous, object, expected);
                if (at >= 0) {
                    found.set(at);
                    shift = at - index;
                } else {
                    foundElsewhere.add(object);
                }
            } else {
                arrived.add(object);
                shift--; // the next object is expected where this one's place would have been
            }
            index++;
        }
        for (int i = found.nextClearBit(0); i < previous.length; i = found.nextClearBit(i + 1)) {
            @SuppressWarnings("unchecked")
            T gone = (T) previous[i];
            if (!foundElsewhere.contains(gone)) {
                String key = keys.remove(gone);
                byKey.remove(key, gone);
                changed.add(key);
            }
        }
        for (T object : arrived) {
            String key = keyOf.apply(object);
            keys.put(object, key);
            byKey.put(key, object);
            changed.add(key);
        }
        order = current.toArray();
    }

    /** Where {@code object} was last time within {@link #WINDOW} places of {@code around}, or -1. */
    private static int near(Object[] previous, Object object, int around) {
        for (int d = 1; d <= WINDOW; d++) {
            if (around + d >= 0 && around + d < previous.length && previous[around + d] == object) {
                return around + d;
            }
            if (around - d >= 0 && around - d < previous.length && previous[around - d] == object) {
                return around - d;
            }
        }
        return -1;
    }
}
