package io.drover.api.mirror;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An up-to-date copy of every object of one kind, on the server's own registry or a remote one: listed, then watched
 * from the list's revision so that nothing written in between is missed; listed again (the copy replaced) when the
 * watch expires because its revision was compacted away, and a second later when it breaks or the list fails, until
 * a list succeeds. Events of a watch that a newer list replaced are dropped, so the copy never goes back in time.
 *
 * <p>The agent and the DNS server both keep their view of the cluster this way; the {@link MirrorListener} says
 * what changed.
 */
public final class ResourceMirror<T extends Resource> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ResourceMirror.class);
    static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(1);

    private final String owner;
    private final ResourceRegistry registry;
    private final ResourceKind kind;
    private final MirrorListener<T> listener;
    private final ScheduledExecutorService relister;
    private final Duration retryAfterError;
    private final Map<String, T> items = new HashMap<>();
    /** {@link #items()} as last handed out; null after a change. */
    private List<T> snapshot;
    private long revision;
    /** Bumped by every list: events of an older watch that arrive late are dropped. */
    private long generation;
    private Watch watch;
    private boolean closed;

    /**
     * @param owner    who mirrors, for the log ("DNS", "agent of node-1")
     * @param relister runs relists; shared by an owner's mirrors, shut down by the owner after closing them
     */
    public ResourceMirror(String owner, ResourceRegistry registry, ResourceKind kind, MirrorListener<T> listener,
            ScheduledExecutorService relister) {
        this(owner, registry, kind, listener, relister, RETRY_AFTER_ERROR);
    }

    ResourceMirror(String owner, ResourceRegistry registry, ResourceKind kind, MirrorListener<T> listener,
            ScheduledExecutorService relister, Duration retryAfterError) {
        this.owner = owner;
        this.registry = registry;
        this.kind = kind;
        this.listener = listener;
        this.relister = relister;
        this.retryAfterError = retryAfterError;
    }

    /** Lists, then watches; throws what the registry throws when it cannot be read. */
    public void start() {
        list();
        watch();
    }

    /** Replaces the copy with a fresh list (throws what the registry throws when it cannot be read). */
    public synchronized void list() {
        if (closed) {
            return;
        }
        ResourceList<T> list = registry.list(kind, null, null);
        items.clear();
        for (T item : list.items()) {
            items.put(key(item), item);
        }
        snapshot = null;
        revision = list.resourceVersion();
        generation++;
        listener.replaced(list.items());
    }

    /** Watches from the last list's revision, replacing the watch there was. */
    public void watch() {
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
                watch = registry.watch(kind, null, null, revision, watcherOf(generation));
            }
        }
    }

    private ResourceWatcher watcherOf(long watchedGeneration) {
        return new ResourceWatcher() {
            @Override
            public void onEvents(List<ResourceEvent> events) {
                if (apply(watchedGeneration, events)) {
                    listener.changed();
                }
            }

            @Override
            public void onExpired(String message) {
                log.info("{}: {} watch expired ({}); listing again", owner, kind.plural(), message);
                relistAfter(Duration.ZERO);
            }

            @Override
            public void onError(Throwable error) {
                log.warn("{}: {} watch failed ({}); listing again in {} ms", owner, kind.plural(), error.toString(),
                        retryAfterError.toMillis());
                relistAfter(retryAfterError);
            }
        };
    }

    /**
     * The objects now, as an unmodifiable list that stays the same object until something changes: consumers (the
     * policy engine, health checks) recognise "nothing changed" by identity.
     */
    public synchronized List<T> items() {
        if (snapshot == null) {
            snapshot = List.copyOf(items.values());
        }
        return snapshot;
    }

    public ResourceKind kind() {
        return kind;
    }

    /** Stops watching and relisting; the listener hears nothing more. The owner shuts the relister down. */
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
            if (e.type() == ResourceEvent.Type.DELETED) {
                T last = items.remove(key(item));
                if (last != null) {
                    listener.removed(item);
                }
            } else {
                items.put(key(item), item);
                listener.put(item);
            }
            snapshot = null;
            revision = Math.max(revision, e.revision());
        }
        return true;
    }

    private void relistAfter(Duration delay) {
        try {
            relister.schedule(this::relist, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the owner is shutting down
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
            log.warn("{}: cannot list {} ({}); trying again in {} ms", owner, kind.plural(), e.getMessage(),
                    retryAfterError.toMillis());
            relistAfter(retryAfterError);
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        listener.changed();
    }

    private static String key(Resource r) {
        return r.namespace() == null ? r.name() : r.namespace() + "/" + r.name();
    }
}
