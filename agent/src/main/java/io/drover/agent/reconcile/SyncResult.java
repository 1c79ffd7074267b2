package io.drover.agent.reconcile;

import io.drover.agent.desired.Waiting;
import java.time.Duration;
import java.util.List;

/**
 * What one sync did.
 *
 * @param applied the changes made, in order (a delete of something already gone counts as made)
 * @param errors  the objects left wrong, each with why; retried by the next sync
 * @param waiting pods that got no interfaces yet (from the desired state), and why
 */
public record SyncResult(List<KernelChange> applied, List<SyncError> errors, List<Waiting> waiting, Duration took) {

    public SyncResult {
        applied = List.copyOf(applied);
        errors = List.copyOf(errors);
        waiting = List.copyOf(waiting);
    }

    /** The kernel is as desired (pods still waiting for IPAM do not count against it). */
    public boolean ok() {
        return errors.isEmpty();
    }

    /** Whether the sync changed anything in the kernel. */
    public boolean changed() {
        return !applied.isEmpty();
    }
}
