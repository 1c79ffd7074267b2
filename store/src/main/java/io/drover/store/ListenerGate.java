package io.drover.store;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener's side of a watch, the same for every store: callbacks come one at a time; once the watch is closed
 * the listener is not called again (closing waits out a callback under way); the watch ends once, with
 * {@code onCompacted} or {@code onError}, and nothing follows that last callback. A store's watch owns one gate and
 * asks it {@link #isClosed()} to know when to stop.
 */
public final class ListenerGate {

    private static final Logger log = LoggerFactory.getLogger(ListenerGate.class);

    /** Carries a listener's exception out of a store's delivery loop, apart from the store's own failures. */
    public static final class ListenerFailure extends RuntimeException {
        ListenerFailure(RuntimeException cause) {
            super(cause);
        }
    }

    private final WatchListener listener;
    private final String watch;
    private final ReentrantLock delivery = new ReentrantLock();
    private volatile boolean closed;

    /** @param watch names the watch in log lines */
    public ListenerGate(WatchListener listener, String watch) {
        this.listener = listener;
        this.watch = watch;
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the gate; false when it was closed already. Unless called from a callback (the delivery thread), waits
     * until a callback under way has returned, so that after this the listener hears nothing more.
     */
    public boolean close(boolean fromDeliveryThread) {
        if (closed) {
            return false;
        }
        closed = true;
        if (!fromDeliveryThread) {
            delivery.lock();
            delivery.unlock();
        }
        return true;
    }

    /** Hands one revision's events to the listener, unless closed; a throw from it comes out as {@link ListenerFailure}. */
    public void deliver(long revision, List<WatchEvent> events) {
        delivery.lock();
        try {
            if (closed) {
                return;
            }
            listener.onEvents(revision, events);
        } catch (RuntimeException e) {
            throw new ListenerFailure(e);
        } finally {
            delivery.unlock();
        }
    }

    /** Ends the watch: the history it needs is compacted. */
    public void compacted(long compactRevision) {
        end("onCompacted", () -> listener.onCompacted(compactRevision));
    }

    /** Ends the watch with an error. */
    public void failed(Throwable error) {
        end("onError", () -> listener.onError(error));
    }

    /** The listener hears of the end once; nothing follows that callback, so a throw from it is only logged. */
    private void end(String callbackName, Runnable lastCallback) {
        delivery.lock();
        try {
            if (!closed) {
                closed = true;
                lastCallback.run();
            }
        } catch (RuntimeException e) {
            log.warn("The listener of watch {} threw from {}", watch, callbackName, e);
        } finally {
            delivery.unlock();
        }
    }
}
