package io.drover.api.registry;

import io.drover.api.ApiException;
import io.drover.store.Compare;
import io.drover.store.Op;
import java.util.List;
import java.util.function.Supplier;

/**
 * A condition a write depends on, checked inside the write's own transaction (a referenced namespace still
 * exists, no other network was written since the overlap check), with the refusal to give when it fails.
 * {@code bump} is written along with the object when the guard is a sentinel that serializes writers.
 */
record Guard(Compare compare, List<Op> bump, Supplier<ApiException> failure, boolean retryable) {

    static Guard requires(Compare compare, Supplier<ApiException> failure) {
        return new Guard(compare, List.of(), failure, false);
    }

    /**
     * A reference to another object: it must exist, and the write touches that object's
     * {@link RegistryKeys#references references key}, so that a delete which checked for users just before
     * fails its own compare and looks again.
     */
    static Guard references(Compare referencedExists, String referencesKey, Supplier<ApiException> failure) {
        return new Guard(referencedExists, List.of(Op.put(referencesKey, new byte[0])), failure, false);
    }

    /**
     * A condition the object's content depends on (the allocation records a pod's addresses come from still exist):
     * when it no longer holds, nothing is written and the whole operation is computed again.
     */
    static Guard holds(Compare compare) {
        return new Guard(compare, List.of(), () -> null, true);
    }

    /** A sentinel: when someone else wrote it in between, the whole operation is computed again. */
    static Guard sentinel(Compare compare, Op bump) {
        return new Guard(compare, List.of(bump), () -> null, true);
    }
}
