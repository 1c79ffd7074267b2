package io.drover.dns.view;

import io.drover.api.ResourceEvent;
import io.drover.api.ResourceList;
import io.drover.api.ResourceRegistry;
import io.drover.api.ResourceWatcher;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.store.Watch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the view's copy of one kind current, as the agent's mirror does: list, then watch from the list's revision
 * so that nothing in between is missed; list again (replacing the kind in the view) when the watch expires or
 * breaks. Events of a watch replaced by a newer list are dropped.
 */
final class KindFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KindFeed.class);
    private static final Duration RELIST_AFTER_ERROR = Duration.ofSeconds(1);

    private final ResourceRegistry registry;
    private final ResourceKind kind;
    private final ClusterView view;
    private final ScheduledExecutorService relister;
    private long revision;
    private long generation;
    private Watch watch;
    private boolean closed;

    KindFeed(ResourceRegistry registry, ResourceKind kind, ClusterView view, ScheduledExecutorService relister) {
        this.registry = registry;
        this.kind = kind;
        this.view = view;
        this.relister = relister;
    }

    /** Lists the kind into the view and watches from there; throws when the registry cannot be read. */
    void start() {
        list();
        watch();
    }

    private synchronized void list() {
        ResourceList<Resource> list = registry.list(kind, null, null);
        view.replaceAll(kind, list.items());
        revision = list.resourceVersion();
        generation++;
    }

    private void watch() {
        Watch old;
        synchronized (this) {
            old = watch;
            watch = null;
        }
        // Closed outside the monitor: closing waits for a delivery under way, which may wait for the monitor.
        if (old != null) {
            old.close();
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            long watched = generation;
            watch = registry.watch(kind, null, null, revision, new ResourceWatcher() {
                @Override
                public void onEvents(List<ResourceEvent> events) {
                    apply(watched, events);
                }

                @Override
                public void onExpired(String message) {
                    log.info("DNS: {} watch expired ({}); listing again", kind.plural(), message);
                    relistLater(Duration.ZERO);
                }

                @Override
                public void onError(Throwable error) {
                    log.warn("DNS: {} watch failed ({}); listing again", kind.plural(), error.toString());
                    relistLater(RELIST_AFTER_ERROR);
                }
            });
        }
    }

    private synchronized void apply(long watched, List<ResourceEvent> events) {
        if (closed || watched != generation) {
            return;
        }
        for (ResourceEvent e : events) {
            if (e.type() == ResourceEvent.Type.DELETED) {
                view.remove(e.object());
            } else {
                view.put(e.object());
            }
            revision = Math.max(revision, e.revision());
        }
    }

    private void relistLater(Duration delay) {
        try {
            relister.schedule(this::relist, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    private void relist() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        try {
            list();
            watch();
        } catch (RuntimeException e) {
            log.warn("DNS: cannot list {} ({}); trying again in {} ms", kind.plural(), e.getMessage(),
                    RELIST_AFTER_ERROR.toMillis());
            relistLater(RELIST_AFTER_ERROR);
        }
    }

    @Override
    public void close() {
        Watch open;
        synchronized (this) {
            closed = true;
            open = watch;
            watch = null;
        }
        if (open != null) {
            open.close();
        }
    }
}
