package io.drover.dns.forward;

import static io.drover.dns.Fixtures.externalName;
import static io.drover.dns.Fixtures.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.dns.Fixtures;
import io.drover.dns.net.CountingPlace;
import io.drover.dns.query.QueryHandler;
import io.drover.dns.query.Transport;
import io.drover.dns.transport.DnsTransports;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** Names outside the cluster go to an upstream started here on loopback (never the machine's resolver). */
class ForwardingTest {

    private final Fixtures f = new Fixtures();
    private StubUpstream upstream;

    @BeforeEach
    void start() throws Exception {
        upstream = new StubUpstream(Map.of("example.com.", "192.0.2.10", "db.example.org.", "192.0.2.20"));
    }

    @AfterEach
    void stop() throws Exception {
        upstream.close();
    }

    private QueryHandler handler(List<InetSocketAddress> upstreams) {
        Forwarder forwarder = new Forwarder(upstreams.stream().map(Upstream::here).toList(), Duration.ofMillis(500),
                new ResponseCache(100));
        return new QueryHandler(f.answerer, f.view, forwarder);
    }

    private static Message ask(QueryHandler h, String name, int type) throws Exception {
        return new Message(h.handle(query(name, type).toWire(), Transport.UDP).get());
    }

    @Test
    void outsideNamesAreForwardedThenServedFromTheCache() throws Exception {
        QueryHandler h = handler(List.of(upstream.address()));
        Message first = ask(h, "Example.COM.", Type.A);
        assertThat(first.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(first.getHeader().getFlag(Flags.RA)).isTrue();
        assertThat(first.getHeader().getFlag(Flags.AA)).isFalse();
        assertThat(first.getQuestion().getName().toString()).isEqualTo("Example.COM.");
        assertThat(first.getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> assertThat(r.rdataToString()).isEqualTo("192.0.2.10"));
        Message second = ask(h, "example.com.", Type.A);
        assertThat(second.getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> assertThat(r.getTTL()).isBetween(StubUpstream.TTL - 2, StubUpstream.TTL));
        assertThat(upstream.queries.get()).as("the second came from the cache").isEqualTo(1);

        Message nx = ask(h, "missing.example.", Type.A);
        assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        ask(h, "missing.example.", Type.A);
        assertThat(upstream.queries.get()).as("NXDOMAIN is cached too").isEqualTo(2);
        // The cluster's own names never go upstream.
        assertThat(ask(h, "dns-version.cluster.local.", Type.TXT).getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(upstream.queries.get()).isEqualTo(2);
    }

    @Test
    void aDeadUpstreamIsSkippedAndNoneAnsweringIsServfail() throws Exception {
        InetSocketAddress dead;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            dead = (InetSocketAddress) s.getLocalSocketAddress(); // closed below: nothing listens there
        }
        Message viaSecond = ask(handler(List.of(dead, upstream.address())), "example.com.", Type.A);
        assertThat(viaSecond.getSection(Section.ANSWER)).hasSize(1);
        Message failed = ask(handler(List.of(dead)), "example.com.", Type.A);
        assertThat(failed.getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void anExternalNameIsFollowedUpstream() throws Exception {
        f.view.put(externalName("shop", "db", "db.example.org"));
        Message m = ask(handler(List.of(upstream.address())), "db.shop.svc.cluster.local.", Type.A);
        assertThat(m.getSection(Section.ANSWER)).extracting(r -> Type.string(r.getType()) + " " + r.rdataToString())
                .containsExactly("CNAME db.example.org.", "A 192.0.2.20");
    }

    @Test
    void anUpstreamInAPlaceIsAskedFromThere() throws Exception {
        CountingPlace place = new CountingPlace();
        Forwarder forwarder = new Forwarder(List.of(new Upstream(upstream.address(), place, "lab/" + upstream.address())),
                Duration.ofMillis(500), new ResponseCache(100));
        Message answer = new Message(new QueryHandler(f.answerer, f.view, forwarder)
                .handle(query("example.com.", Type.A).toWire(), Transport.UDP).get());
        assertThat(answer.getSection(Section.ANSWER)).hasSize(1);
        assertThat(place.opened()).as("the UDP query's socket").isEqualTo(1);
    }

    @Test
    void forwardingWorksThroughTheListeners() throws Exception {
        try (DnsTransports t = DnsTransports.bind(new InetSocketAddress("127.0.0.1", 0), handler(List.of(upstream.address())))) {
            SimpleResolver r = new SimpleResolver(t.address());
            r.setTimeout(Duration.ofSeconds(3));
            assertThat(r.send(query("example.com.", Type.A)).getSection(Section.ANSWER)).hasSize(1);
            r.setTCP(true);
            assertThat(r.send(query("example.com.", Type.A)).getSection(Section.ANSWER)).hasSize(1);
        }
    }
}
