package io.drover.api.mirror;

import io.drover.model.Resource;
import java.util.List;

/**
 * What a {@link ResourceMirror} tells its owner. A level-triggered owner (the agent) only needs {@link #changed()}
 * and reads the whole copy; an owner that keeps an index of its own (DNS's view) follows the copy change by change
 * through {@link #replaced}, {@link #put} and {@link #removed}.
 */
public interface MirrorListener<T extends Resource> {

    /**
     * A list replaced the whole copy (the first list and every relist); {@code items} is everything the mirror holds
     * now. Called under the mirror's lock, so never concurrently with, and in order with, {@link #put} and
     * {@link #removed}.
     */
    default void replaced(List<T> items) {}

    /** A watched object was added or changed. Under the mirror's lock, in revision order. */
    default void put(T item) {}

    /** An object the mirror held was deleted; {@code last} is its last state. Under the mirror's lock. */
    default void removed(T last) {}

    /**
     * A watch delivery or a relist changed the mirror; called outside the mirror's lock, from a watch or relist
     * thread. Not called for the first list: whoever called {@link ResourceMirror#list()} reads the copy itself.
     */
    default void changed() {}

    /** A listener that only says that something changed, for owners that recompute from the whole copy. */
    static <T extends Resource> MirrorListener<T> onChange(Runnable onChange) {
        return new MirrorListener<>() {
            @Override
            public void changed() {
                onChange.run();
            }
        };
    }
}
