package io.drover.agent.reconcile;

/**
 * An object the sync could not bring to its desired state; the next sync tries again.
 *
 * @param object what failed, e.g. {@code pod shop/web-1 eth0}
 * @param change the change that failed, or null when the object could not be worked on at all
 * @param message what went wrong, in words a person can act on
 */
public record SyncError(String object, KernelChange change, String message) {

    @Override
    public String toString() {
        return object + ": " + (change == null ? "" : change + ": ") + message;
    }
}
