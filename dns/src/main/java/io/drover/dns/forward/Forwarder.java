package io.drover.dns.forward;

import io.drover.dns.net.SocketPlace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves names outside the cluster through the configured upstream resolvers, in order (the next when one times
 * out, fails or answers SERVFAIL/REFUSED), with a {@link ResponseCache}. Identical questions in flight at once share
 * one upstream query. Upstreams are addresses, never names, so nothing here consults the machine's resolver.
 */
public final class Forwarder {

    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);
    /** What Drover asks upstreams for over UDP (DNS flag day 2020); a larger answer comes over TCP. */
    private static final int EDNS_PAYLOAD = 1232;

    private final List<Upstream> upstreams;
    private final List<SimpleResolver> resolvers = new ArrayList<>();
    private final ResponseCache cache;
    private final ConcurrentHashMap<ResponseCache.Key, CompletableFuture<Message>> inFlight = new ConcurrentHashMap<>();

    public Forwarder(List<Upstream> upstreams, Duration timeout, ResponseCache cache) {
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("a forwarder needs at least one upstream");
        }
        this.upstreams = List.copyOf(upstreams);
        this.cache = cache;
        for (Upstream upstream : upstreams) {
            SimpleResolver resolver = new SimpleResolver(upstream.address());
            if (upstream.place() != SocketPlace.HERE) {
                resolver.setIoClientFactory(new PlacedIoClients(upstream.place()));
            }
            resolver.setTimeout(timeout);
            resolver.setEDNS(0, EDNS_PAYLOAD, 0, List.of());
            resolvers.add(resolver);
        }
    }

    public List<Upstream> upstreams() {
        return upstreams;
    }

    /**
     * The answer to {@code question}: from the cache while fresh, else from the first upstream that answers. Never
     * completes exceptionally: SERVFAIL when no upstream answers. The message is shared: read it, do not change it.
     */
    public CompletableFuture<Message> resolve(Record question) {
        Message cached = cache.get(question);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        ResponseCache.Key key = ResponseCache.Key.of(question);
        CompletableFuture<Message> mine = new CompletableFuture<>();
        CompletableFuture<Message> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return running;
        }
        ask(question, 0).whenComplete((response, error) -> {
            inFlight.remove(key, mine);
            if (response != null) {
                cache.put(question, response);
                mine.complete(response);
            } else {
                mine.complete(serverFailure(question));
            }
        });
        return mine;
    }

    private CompletableFuture<Message> ask(Record question, int index) {
        Message query = Message.newQuery(question);
        return resolvers.get(index).sendAsync(query).toCompletableFuture().handle((response, error) -> {
            boolean failed = error != null || response.getRcode() == Rcode.SERVFAIL
                    || response.getRcode() == Rcode.REFUSED;
            if (!failed) {
                return CompletableFuture.completedFuture(response);
            }
            log.debug("upstream {} did not answer {}: {}", upstreams.get(index), question,
                    error != null ? error.toString() : Rcode.string(response.getRcode()));
            if (index + 1 < resolvers.size()) {
                return ask(question, index + 1);
            }
            return CompletableFuture.completedFuture(error != null ? null : response);
        }).thenCompose(f -> f);
    }

    private static Message serverFailure(Record question) {
        Message failure = Message.newQuery(question);
        failure.getHeader().setFlag(Flags.QR);
        failure.getHeader().setRcode(Rcode.SERVFAIL);
        return failure;
    }
}
