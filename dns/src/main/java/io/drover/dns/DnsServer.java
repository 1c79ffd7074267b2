package io.drover.dns;

import io.drover.api.ResourceRegistry;
import io.drover.dns.answer.Answerer;
import io.drover.dns.forward.Forwarder;
import io.drover.dns.forward.ResponseCache;
import io.drover.dns.forward.Upstream;
import io.drover.dns.net.NetnsAddress;
import io.drover.dns.net.NetworkNamespaces;
import io.drover.dns.query.QueryHandler;
import io.drover.dns.transport.DnsTransports;
import io.drover.dns.transport.Listener;
import io.drover.dns.view.ClusterView;
import io.drover.dns.view.ViewFeed;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster DNS server: a view of the cluster fed by watches on a registry (the server's own, in process, or a
 * remote one), answering the Kubernetes DNS schema over UDP and TCP, and forwarding other names upstream.
 * Start returns once the view holds the registry's objects and every listener is open.
 */
public final class DnsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DnsServer.class);
    private static final int CACHE_ENTRIES = 10_000;

    private final ClusterView view;
    private final ViewFeed feed;
    private final DnsTransports transports;
    private final List<NetnsAddress> listening;

    private DnsServer(ClusterView view, ViewFeed feed, DnsTransports transports, List<NetnsAddress> listening) {
        this.view = view;
        this.feed = feed;
        this.transports = transports;
        this.listening = List.copyOf(listening);
    }

    /** Starts a server whose listeners and upstreams are all in this process's network namespace. */
    public static DnsServer start(ResourceRegistry registry, DnsOptions options) {
        return start(registry, options, NetworkNamespaces.NONE);
    }

    /**
     * Starts the server, opening the sockets of listeners and upstreams that name a network namespace there. Throws
     * {@link IllegalArgumentException} when it cannot listen or a namespace is not there (with what to do), and what
     * the registry throws when it cannot be read.
     */
    public static DnsServer start(ResourceRegistry registry, DnsOptions options, NetworkNamespaces namespaces) {
        List<Listener> listeners = new ArrayList<>();
        for (NetnsAddress a : options.listen()) {
            listeners.add(new Listener(a.address(), namespaces.of(a.netns()), a.toString()));
        }
        List<Upstream> upstreams = new ArrayList<>();
        for (NetnsAddress u : options.upstreams()) {
            upstreams.add(new Upstream(u.address(), namespaces.of(u.netns()), u.toString()));
        }
        ClusterView view = new ClusterView(options.reverseCidrs());
        ViewFeed feed = ViewFeed.start(registry, view);
        try {
            Forwarder forwarder = upstreams.isEmpty() ? null
                    : new Forwarder(upstreams, options.upstreamTimeout(), new ResponseCache(CACHE_ENTRIES));
            QueryHandler handler = new QueryHandler(new Answerer(options.zone()), view, forwarder);
            DnsTransports transports = DnsTransports.bind(listeners, handler, options.threads());
            List<NetnsAddress> listening = new ArrayList<>();
            for (int i = 0; i < options.listen().size(); i++) {
                listening.add(new NetnsAddress(options.listen().get(i).netns(), transports.addresses().get(i)));
            }
            DnsServer server = new DnsServer(view, feed, transports, listening);
            log.info("DNS serving {} on {} (UDP and TCP over {}; {})", options.zone().name(), server.describeAddresses(),
                    transports.transport(), upstreams.isEmpty() ? "other names refused: no upstream"
                            : "other names forwarded to " + upstreams);
            return server;
        } catch (RuntimeException e) {
            feed.close();
            throw e;
        }
    }

    /** Where the first listener listens (the chosen port when 0 was asked for). */
    public InetSocketAddress address() {
        return transports.address();
    }

    /** Every address it listens on, with its namespace, in the order of the options. */
    public List<NetnsAddress> addresses() {
        return listening;
    }

    /** {@code 127.0.0.1:1053}, {@code [::1]:1053}: the first listener. */
    public String describeAddress() {
        return NetnsAddress.display(address());
    }

    /** Every listener, as {@code [NETNS/]ADDR:PORT}, comma-separated. */
    public String describeAddresses() {
        return String.join(", ", listening.stream().map(NetnsAddress::toString).toList());
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
