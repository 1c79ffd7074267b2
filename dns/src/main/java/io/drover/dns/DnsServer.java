package io.drover.dns;

import io.drover.api.ResourceRegistry;
import io.drover.dns.answer.Answerer;
import io.drover.dns.forward.Forwarder;
import io.drover.dns.forward.ResponseCache;
import io.drover.dns.query.QueryHandler;
import io.drover.dns.transport.DnsTransports;
import io.drover.dns.view.ClusterView;
import io.drover.dns.view.ViewFeed;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster DNS server: a view of the cluster fed by watches on a registry (the server's own, in process, or a
 * remote one), answering the Kubernetes DNS schema over UDP and TCP, and forwarding other names upstream.
 * Start returns once the view holds the registry's objects and both listeners are open.
 */
public final class DnsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DnsServer.class);
    private static final int CACHE_ENTRIES = 10_000;

    private final ClusterView view;
    private final ViewFeed feed;
    private final DnsTransports transports;

    private DnsServer(ClusterView view, ViewFeed feed, DnsTransports transports) {
        this.view = view;
        this.feed = feed;
        this.transports = transports;
    }

    /**
     * Starts the server. Throws {@link IllegalArgumentException} when it cannot listen (with what to do), and what
     * the registry throws when it cannot be read.
     */
    public static DnsServer start(ResourceRegistry registry, DnsOptions options) {
        ClusterView view = new ClusterView(options.reverseCidrs());
        ViewFeed feed = ViewFeed.start(registry, view);
        try {
            Forwarder forwarder = options.upstreams().isEmpty() ? null
                    : new Forwarder(options.upstreams(), options.upstreamTimeout(), new ResponseCache(CACHE_ENTRIES));
            QueryHandler handler = new QueryHandler(new Answerer(options.zone()), view, forwarder);
            DnsTransports transports = DnsTransports.bind(options.listen(), handler);
            DnsServer server = new DnsServer(view, feed, transports);
            log.info("DNS serving {} on {} (UDP and TCP; {})", options.zone().name(), server.describeAddress(),
                    options.upstreams().isEmpty() ? "other names refused: no upstream"
                            : "other names forwarded to " + options.upstreams());
            return server;
        } catch (RuntimeException e) {
            feed.close();
            throw e;
        }
    }

    /** Where it listens (the chosen port when 0 was asked for). */
    public InetSocketAddress address() {
        return transports.address();
    }

    /** {@code 127.0.0.1:1053}, {@code [::1]:1053}. */
    public String describeAddress() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    public ClusterView view() {
        return view;
    }

    @Override
    public void close() {
        try {
            transports.close();
        } finally {
            feed.close();
        }
    }
}
