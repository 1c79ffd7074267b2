package io.drover.controllers.leader;

import io.drover.store.StoreException;

/**
 * A write of a leader-only component refused because its term of leadership has ended: either this process
 * stepped down (it could not renew its lease in time, or it is stopping), or the store no longer holds its leader
 * key (the lease expired and another candidate may lead). Nothing was written.
 */
public final class NotLeaderException extends StoreException {
    public NotLeaderException(String message) {
        super(message);
    }
}
