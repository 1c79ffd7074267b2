package io.drover.agent;

import io.drover.api.ResourceEvent;
import io.drover.api.ResourceList;
import io.drover.api.ResourceRegistry;
import io.drover.api.ResourceWatcher;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.store.Watch;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An up-to-date copy of the objects of one kind that the agent cares about: listed, then watched from the list's
 * revision so that nothing in between is missed; listed again when the watch expires or breaks. It only keeps the
 * objects and says that something changed: the agent is level-triggered and recomputes from the whole copy, so it
 * needs no event-by-event diff.
 */
final class ResourceMirror<T extends Resource> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ResourceMirror.class);
    private static final Duration RELIST_AFTER_ERROR = Duration.ofSeconds(1);

    private final ResourceRegistry registry;
    private final ResourceKind kind;
    private final Predicate<T> keep;
    private final Runnable onChange;
    private final ScheduledExecutorService relister;
    private final Map<String, T> items = new HashMap<>();
    private long revision;
    /** Bumped by every list: events of an older watch that arrive late are dropped. */
    private long generation;
    private Watch watch;
    private boolean closed;

    /**
     * @param keep     which objects to mirror (pods of this node); others are dropped, and an object that stops
     *                 matching leaves the mirror
     * @param onChange called after every change of the mirror, from a watch or relist thread
     */
    ResourceMirror(ResourceRegistry registry, ResourceKind kind, Predicate<T> keep, Runnable onChange,
            ScheduledExecutorService relister) {
        this.registry = registry;
        this.kind = kind;
        this.keep = keep;
        this.onChange = onChange;
        this.relister = relister;
    }

    /** Replaces the mirror with a fresh list (throws when the registry cannot be read). */
    synchronized void list() {
        ResourceList<T> list = registry.list(kind, null, null);
        items.clear();
        view = null;
        for (T item : list.items()) {
            if (keep.test(item)) {
                items.put(key(item), item);
                view = null;
            }
        }
        revision = list.resourceVersion();
        generation++;
    }

    /** Watches from the last list's revision. */
    void watch() {
        Watch old;
        synchronized (this) {
            old = watch;
            watch = null;
        }
        // Closed outside the monitor: closing waits for a delivery under way, which may be waiting for the monitor
        // in apply(). Its events are of an older list's generation and dropped anyway.
        if (old != null) {
            old.close();
        }
        synchronized (this) {
            if (!closed) {
                watchFrom(generation);
            }
        }
    }

    private void watchFrom(long watchedGeneration) {
        watch = registry.watch(kind, null, null, revision, new ResourceWatcher() {
            @Override
            public void onEvents(List<ResourceEvent> events) {
                if (apply(watchedGeneration, events)) {
                    onChange.run();
                }
            }

            @Override
            public void onExpired(String message) {
                log.info("{} watch expired ({}); listing again", kind.plural(), message);
                relistLater(Duration.ZERO);
            }

            @Override
            public void onError(Throwable error) {
                log.warn("{} watch failed ({}); listing again", kind.plural(), error.toString());
                relistLater(RELIST_AFTER_ERROR);
            }
        });
    }

    /**
     * The items now, as an unmodifiable list that stays the same object until something changes: consumers (the
     * policy engine) recognise "nothing changed" by identity.
     */
    synchronized List<T> items() {
        if (view == null) {
            view = List.copyOf(items.values());
        }
        return view;
    }

    /** {@link #items()} as last handed out; null after a change. */
    private List<T> view;

    @Override
    public void close() {
        Watch open;
        synchronized (this) {
            closed = true;
            open = watch;
            watch = null;
        }
        // Outside the monitor, as in watch(): a delivery under way may be waiting for it, and drops its events.
        if (open != null) {
            open.close();
        }
    }

    private synchronized boolean apply(long watchedGeneration, List<ResourceEvent> events) {
        if (closed || watchedGeneration != generation) {
            return false;
        }
        for (ResourceEvent e : events) {
            @SuppressWarnings("unchecked")
            T item = (T) e.object();
            if (e.type() != ResourceEvent.Type.DELETED && keep.test(item)) {
                items.put(key(item), item);
                view = null;
            } else {
                items.remove(key(item));
                view = null;
            }
            revision = Math.max(revision, e.revision());
        }
        return true;
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
            onChange.run();
        } catch (RuntimeException e) {
            log.warn("cannot list {} ({}); trying again in {} ms", kind.plural(), e.getMessage(), RELIST_AFTER_ERROR.toMillis());
            relistLater(RELIST_AFTER_ERROR);
        }
    }

    private static String key(Resource r) {
        return r.namespace() == null ? r.name() : r.namespace() + "/" + r.name();
    }
}
