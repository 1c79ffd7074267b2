package io.drover.controllers.support;

import io.drover.api.ResourceEvent;
import io.drover.api.ResourceList;
import io.drover.api.ResourceRegistry;
import io.drover.api.ResourceWatcher;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.LabelSelector;
import io.drover.store.Watch;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an up-to-date copy of every object of a kind: lists once, then watches from the list's revision, so
 * nothing is missed in between; when the watch falls behind the store's history (or breaks) it lists again
 * and reports the difference as events. The handler sees every object appear, change and disappear, in order,
 * from one thread at a time; it should only note work to do, not do it.
 */
public final class ResourceInformer<T extends Resource> implements AutoCloseable {

    public interface Handler<T> {
        void onAdd(T object);

        void onUpdate(T previous, T object);

        void onDelete(T object);
    }

    private static final Logger log = LoggerFactory.getLogger(ResourceInformer.class);
    private static final Duration RETRY_AFTER_ERROR = Duration.ofMillis(500);

    private final ResourceRegistry registry;
    private final ResourceKind kind;
    private final Function<T, String> keyOf;
    private final Handler<T> handler;
    private final Map<String, T> cache = new ConcurrentHashMap<>();
    private final ScheduledExecutorService relister;
    private final Object lock = new Object();
    private Watch watch;
    private volatile boolean closed;
    private volatile boolean synced;

    /** @param keyOf the cache key of an object, e.g. its namespace and name, or its uid */
    public ResourceInformer(ResourceRegistry registry, ResourceKind kind, Function<T, String> keyOf, Handler<T> handler) {
        this.registry = registry;
        this.kind = kind;
        this.keyOf = keyOf;
        this.handler = handler;
        this.relister = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("informer-" + kind.plural()).daemon().factory());
    }

    /** Lists and starts watching; returns once the first list has been handed to the handler. */
    public void start() {
        relist();
    }

    public boolean hasSynced() {
        return synced;
    }

    public Optional<T> get(String key) {
        return Optional.ofNullable(cache.get(key));
    }

    public Collection<T> items() {
        return List.copyOf(cache.values());
    }

    private void relist() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (watch != null) {
                watch.close();
                watch = null;
            }
            ResourceList<T> list;
            try {
                list = registry.list(kind, null, LabelSelector.everything());
            } catch (RuntimeException e) {
                log.warn("listing {} failed, retrying in {}: {}", kind.plural(), RETRY_AFTER_ERROR, e.toString());
                scheduleRelist(RETRY_AFTER_ERROR);
                return;
            }
            Map<String, T> listed = new HashMap<>();
            for (T item : list.items()) {
                listed.put(keyOf.apply(item), item);
            }
            for (T old : List.copyOf(cache.values())) {
                if (!listed.containsKey(keyOf.apply(old))) {
                    cache.remove(keyOf.apply(old));
                    handler.onDelete(old);
                }
            }
            for (Map.Entry<String, T> e : listed.entrySet()) {
                T old = cache.put(e.getKey(), e.getValue());
                if (old == null) {
                    handler.onAdd(e.getValue());
                } else if (!Objects.equals(old.metadata().resourceVersion(), e.getValue().metadata().resourceVersion())) {
                    handler.onUpdate(old, e.getValue());
                }
            }
            synced = true;
            try {
                watch = registry.watch(kind, null, LabelSelector.everything(), list.resourceVersion(), new Watcher());
            } catch (RuntimeException e) {
                log.warn("watching {} failed, listing again in {}: {}", kind.plural(), RETRY_AFTER_ERROR, e.toString());
                scheduleRelist(RETRY_AFTER_ERROR);
            }
        }
    }

    private void scheduleRelist(Duration delay) {
        try {
            relister.schedule(this::relist, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    private final class Watcher implements ResourceWatcher {
        @Override
        public void onEvents(List<ResourceEvent> events) {
            for (ResourceEvent event : events) {
                @SuppressWarnings("unchecked")
                T object = (T) event.object();
                String key = keyOf.apply(object);
                switch (event.type()) {
                    case ADDED, MODIFIED -> {
                        T old = cache.put(key, object);
                        if (old == null) {
                            handler.onAdd(object);
                        } else {
                            handler.onUpdate(old, object);
                        }
                    }
                    case DELETED -> {
                        T old = cache.remove(key);
                        handler.onDelete(old != null ? old : object);
                    }
                }
            }
        }

        @Override
        public void onExpired(String message) {
            log.info("watch of {} expired ({}); listing again", kind.plural(), message);
            // Not from this thread: closing a watch from inside its own delivery may wait for itself.
            scheduleRelist(Duration.ZERO);
        }

        @Override
        public void onError(Throwable error) {
            if (closed) {
                return;
            }
            log.warn("watch of {} failed, listing again in {}: {}", kind.plural(), RETRY_AFTER_ERROR, error.toString());
            scheduleRelist(RETRY_AFTER_ERROR);
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (watch != null) {
                watch.close();
                watch = null;
            }
        }
        relister.shutdownNow();
    }
}
