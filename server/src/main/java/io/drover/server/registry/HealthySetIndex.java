package io.drover.server.registry;

import io.drover.api.ResourceRegistry;
import io.drover.controllers.support.ResourceInformer;
import io.drover.model.ResourceKind;
import io.drover.model.service.ServiceEndpoints;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, for every service, its healthy set and the index (the store revision of its {@code ServiceEndpoints})
 * at which that set last changed, fed by a watch, and wakes blocking queries when it changes. Writes that leave the
 * healthy set as it was (a TTL refresh, a health check's new output) keep the index, so waiting clients are not
 * woken for nothing. Every server keeps its own; nothing polls the store.
 */
final class HealthySetIndex implements AutoCloseable {

    /** The healthy set of one service and the index it changed at; {@code changed} completes when it changes again. */
    record Entry(List<HealthyEndpoint> healthy, long index, CompletableFuture<Void> changed) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Futures for services this server has not seen endpoints of yet: completed when they appear. */
    private final Map<String, CompletableFuture<Void>> awaitingFirst = new ConcurrentHashMap<>();
    private final ResourceInformer<ServiceEndpoints> informer;
    private volatile boolean closed;

    HealthySetIndex(ResourceRegistry registry) {
        this.informer = new ResourceInformer<>(registry, ResourceKind.SERVICE_ENDPOINTS, HealthySetIndex::key,
                new ResourceInformer.Handler<>() {
                    @Override
                    public void onAdd(ServiceEndpoints object) {
                        changed(object);
                    }

                    @Override
                    public void onUpdate(ServiceEndpoints previous, ServiceEndpoints object) {
                        changed(object);
                    }

                    @Override
                    public void onDelete(ServiceEndpoints object) {
                        Entry gone = entries.remove(key(object));
                        if (gone != null) {
                            gone.changed().complete(null);
                        }
                    }
                });
    }

    void start() {
        informer.start();
    }

    static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    private static String key(ServiceEndpoints e) {
        return key(e.namespace(), e.name());
    }

    private void changed(ServiceEndpoints object) {
        String key = key(object);
        List<HealthyEndpoint> healthy = HealthySet.of(object);
        long revision = Long.parseLong(object.metadata().resourceVersion());
        Entry[] replaced = new Entry[1];
        entries.compute(key, (k, old) -> {
            if (old != null && old.healthy().equals(healthy)) {
                return old;
            }
            replaced[0] = old;
            return new Entry(healthy, old == null ? revision : Math.max(revision, old.index() + 1), new CompletableFuture<>());
        });
        if (replaced[0] != null) {
            replaced[0].changed().complete(null);
        }
        CompletableFuture<Void> first = awaitingFirst.remove(key);
        if (first != null) {
            first.complete(null);
        }
    }

    /** What this server knows of the service's healthy set; empty when it has seen no endpoints for it. */
    java.util.Optional<Entry> entry(String namespace, String name) {
        return java.util.Optional.ofNullable(entries.get(key(namespace, name)));
    }

    /** A future completed when the service's healthy set changes (or first appears) after {@code seen}. */
    CompletableFuture<Void> nextChange(String namespace, String name, Entry seen) {
        String key = key(namespace, name);
        Entry now = entries.get(key);
        if (now == null) {
            CompletableFuture<Void> first = awaitingFirst.computeIfAbsent(key, k -> new CompletableFuture<>());
            // An add that ran between the get and the registration would be missed: look again.
            if (entries.containsKey(key)) {
                first.complete(null);
            }
            return first;
        }
        return now != seen ? CompletableFuture.completedFuture(null) : now.changed();
    }

    /** Once closed (the server stops), waiting queries answer at once instead of waiting for changes that never come. */
    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        informer.close();
        entries.values().forEach(e -> e.changed().complete(null));
        awaitingFirst.values().forEach(f -> f.complete(null));
    }
}
