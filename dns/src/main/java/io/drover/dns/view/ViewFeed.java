package io.drover.dns.view;

import io.drover.api.ResourceRegistry;
import io.drover.model.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Feeds a {@link ClusterView} from a registry: services, their endpoints, pods (addresses, hostnames) and networks
 * (whose reverse zones DNS answers), each listed and then watched. Works the same on the server's own registry and
 * on a remote one.
 */
public final class ViewFeed implements AutoCloseable {

    /** The kinds DNS reads, in the order they are listed: pods first, so services find their hostnames. */
    static final List<ResourceKind> KINDS = List.of(ResourceKind.NETWORK, ResourceKind.POD, ResourceKind.SERVICE,
            ResourceKind.SERVICE_ENDPOINTS);

    private final ScheduledExecutorService relister;
    private final List<KindFeed> feeds = new ArrayList<>();

    private ViewFeed(ScheduledExecutorService relister) {
        this.relister = relister;
    }

    /**
     * Lists every kind into {@code view} and starts watching; returns once the view holds the registry's state, so
     * that the first answers are right. Throws what the registry throws when it cannot be read.
     */
    public static ViewFeed start(ResourceRegistry registry, ClusterView view) {
        ScheduledExecutorService relister = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "drover-dns-relist");
            t.setDaemon(true);
            return t;
        });
        ViewFeed feed = new ViewFeed(relister);
        try {
            for (ResourceKind kind : KINDS) {
                KindFeed one = new KindFeed(registry, kind, view, relister);
                feed.feeds.add(one);
                one.start();
            }
            return feed;
        } catch (RuntimeException e) {
            feed.close();
            throw e;
        }
    }

    @Override
    public void close() {
        feeds.forEach(KindFeed::close);
        relister.shutdownNow();
    }
}
