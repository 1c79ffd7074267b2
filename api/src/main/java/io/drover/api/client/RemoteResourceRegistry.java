package io.drover.api.client;

import io.drover.api.ApiException;
import io.drover.api.ApiException.Reason;
import io.drover.api.ResourceEvent;
import io.drover.api.ResourceList;
import io.drover.api.ResourceRegistry;
import io.drover.api.ResourceWatcher;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.LabelSelector;
import io.drover.store.Watch;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * The {@link ResourceRegistry} of a server reached over its REST API, so that a node agent in another process (or
 * on another host) runs exactly the code it runs in-process. Refusals come back as the same
 * {@link ApiException}s the server raised; an unreachable server is {@link Reason#SERVICE_UNAVAILABLE}.
 */
public final class RemoteResourceRegistry implements ResourceRegistry, AutoCloseable {

    private final DroverClient client;

    public RemoteResourceRegistry(DroverClient client) {
        this.client = client;
    }

    @Override
    public <T extends Resource> T create(T resource) {
        return call(() -> cast(resource, client.create(resource)));
    }

    @Override
    public <T extends Resource> T replace(T resource) {
        return call(() -> cast(resource, client.replace(resource)));
    }

    @Override
    public <T extends Resource> T replaceStatus(T resource) {
        return call(() -> cast(resource, client.replaceStatus(resource)));
    }

    @Override
    public Resource patch(ResourceKind kind, String namespace, String name, JsonNode mergePatch) {
        return call(() -> client.patch(kind, namespace, name, mergePatch));
    }

    @Override
    public Resource delete(ResourceKind kind, String namespace, String name, String resourceVersion) {
        return call(() -> client.delete(kind, namespace, name, resourceVersion));
    }

    @Override
    public Optional<Resource> get(ResourceKind kind, String namespace, String name) {
        return call(() -> client.find(kind, namespace, name));
    }

    @Override
    public <T extends Resource> ResourceList<T> list(ResourceKind kind, String namespace, LabelSelector selector) {
        ResourceListing listing = call(() -> client.list(kind, namespace, selector == null ? null : selector.toString()));
        @SuppressWarnings("unchecked")
        List<T> items = (List<T>) listing.items();
        return new ResourceList<>(items, listing.resourceVersion().isEmpty() ? 0 : Long.parseLong(listing.resourceVersion()));
    }

    /**
     * Streams the server's watch on a virtual thread. The stream ending for any reason other than close is reported
     * through {@link ResourceWatcher#onError} (or {@code onExpired} for 410), so that informers re-list.
     */
    @Override
    public Watch watch(ResourceKind kind, String namespace, LabelSelector selector, long fromResourceVersion, ResourceWatcher watcher) {
        WatchStream stream = call(() -> client.watch(kind, namespace, selector == null ? null : selector.toString(),
                fromResourceVersion <= 0 ? "" : Long.toString(fromResourceVersion)));
        var closed = new java.util.concurrent.atomic.AtomicBoolean();
        Thread reader = Thread.ofVirtual().name("remote-watch-" + kind.plural()).start(() -> {
            try {
                Optional<WatchEvent> next;
                while ((next = stream.next()).isPresent()) {
                    WatchEvent e = next.get();
                    long revision = parseVersion(e.object());
                    watcher.onEvents(List.of(new ResourceEvent(ResourceEvent.Type.valueOf(e.type().name()), e.object(), revision)));
                }
                if (!closed.get()) {
                    watcher.onError(new ApiException(Reason.SERVICE_UNAVAILABLE, "the server ended the watch of " + kind.plural()));
                }
            } catch (ApiError e) {
                if (closed.get()) {
                    return;
                }
                if (e.code() == 410) {
                    watcher.onExpired(e.getMessage());
                } else {
                    watcher.onError(toApiException(e));
                }
            } catch (RuntimeException e) {
                if (!closed.get()) {
                    watcher.onError(e);
                }
            }
        });
        return () -> {
            closed.set(true);
            stream.close();
            reader.interrupt();
        };
    }

    @Override
    public void close() {
        client.close();
    }

    private static long parseVersion(Resource r) {
        String version = r.metadata() == null ? null : r.metadata().resourceVersion();
        return version == null || version.isEmpty() ? 0 : Long.parseLong(version);
    }

    private static <V> V call(Supplier<V> request) {
        try {
            return request.get();
        } catch (ApiError e) {
            throw toApiException(e);
        } catch (ServerUnreachableException e) {
            throw new ApiException(Reason.SERVICE_UNAVAILABLE, e.getMessage());
        }
    }

    private static ApiException toApiException(ApiError e) {
        List<ApiException.Cause> causes = e.causes().stream().map(c -> new ApiException.Cause(c.field(), c.message())).toList();
        Reason reason = e.reason().isEmpty() ? fromCode(e.code()) : Reason.fromWire(e.reason());
        return new ApiException(reason, e.getMessage(), causes);
    }

    private static Reason fromCode(int code) {
        for (Reason r : Reason.values()) {
            if (r.status() == code) {
                return r;
            }
        }
        return Reason.INTERNAL_ERROR;
    }

    @SuppressWarnings("unchecked")
    private static <T extends Resource> T cast(T original, Resource r) {
        return (T) r;
    }
}
