package io.drover.dns.view;

import io.drover.api.ResourceRegistry;
import io.drover.api.mirror.MirrorListener;
import io.drover.api.mirror.ResourceMirror;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Feeds a {@link ClusterView} from a registry: services, their endpoints, pods (addresses, hostnames) and networks
 * (whose reverse zones DNS answers), each mirrored (listed, then watched; listed again when a watch expires or
 * breaks). Works the same on the server's own registry and on a remote one.
 */
public final class ViewFeed implements AutoCloseable {

    /** The kinds DNS reads, in the order they are listed: pods first, so services find their hostnames. */
    static final List<ResourceKind> KINDS = List.of(ResourceKind.NETWORK, ResourceKind.POD, ResourceKind.SERVICE,
            ResourceKind.SERVICE_ENDPOINTS);

    private final ScheduledExecutorService relister;
    private final List<ResourceMirror<Resource>> mirrors = new ArrayList<>();

    private ViewFeed(ScheduledExecutorService relister) {
        this.relister = relister;
    }

    /**
     * Lists every kind into {@code view} and starts watching; returns once the view holds the registry's state, so
     * that the first answers are right. Throws what the registry throws when it cannot be read.
     */
    public static ViewFeed start(ResourceRegistry registry, ClusterView view) {
        ScheduledExecutorService relister = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("drover-dns-relist").daemon().factory());
        ViewFeed feed = new ViewFeed(relister);
        try {
            for (ResourceKind kind : KINDS) {
                ResourceMirror<Resource> mirror = new ResourceMirror<>("DNS", registry, kind, intoView(kind, view),
                        relister);
                feed.mirrors.add(mirror);
                mirror.start();
            }
            return feed;
        } catch (RuntimeException e) {
            feed.close();
            throw e;
        }
    }

    /** Applies the mirror's changes to the view one by one, in the mirror's order (its listener runs under its lock). */
    private static MirrorListener<Resource> intoView(ResourceKind kind, ClusterView view) {
        return new MirrorListener<>() {
            @Override
            public void replaced(List<Resource> items) {
                view.replaceAll(kind, items);
            }

            @Override
            public void put(Resource item) {
                view.put(item);
            }

            @Override
            public void removed(Resource last) {
                view.remove(last);
            }
        };
    }

    @Override
    public void close() {
        mirrors.forEach(ResourceMirror::close);
        relister.shutdownNow();
    }
}
