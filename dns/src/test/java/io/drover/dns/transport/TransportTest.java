package io.drover.dns.transport;

import static io.drover.dns.Fixtures.clusterIp;
import static io.drover.dns.Fixtures.endpoints;
import static io.drover.dns.Fixtures.headless;
import static io.drover.dns.Fixtures.port;
import static io.drover.dns.Fixtures.query;
import static io.drover.dns.Fixtures.ready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.dns.Fixtures;
import io.drover.dns.net.CountingPlace;
import io.drover.dns.net.SocketPlace;
import io.drover.dns.query.QueryHandler;
import io.drover.model.service.ServiceEndpoint;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The UDP and TCP listeners on loopback, asked by dnsjava's resolver, a raw socket and dig. */
class TransportTest {

    private final Fixtures f = new Fixtures();
    private DnsTransports transports;

    @BeforeEach
    void start() {
        f.view.put(clusterIp("default", "kubernetes", "10.96.0.1", port("https", 443, "TCP")));
        f.view.put(headless("big", "many", false));
        List<ServiceEndpoint> list = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            list.add(ready("10.20.0." + i, null));
        }
        f.view.put(endpoints("big", "many", list.toArray(ServiceEndpoint[]::new)));
        transports = DnsTransports.bind(new InetSocketAddress("127.0.0.1", 0), new QueryHandler(f.answerer, f.view, null));
    }

    @AfterEach
    void stop() {
        transports.close();
    }

    private SimpleResolver resolver() {
        SimpleResolver r = new SimpleResolver(transports.address());
        r.setTimeout(Duration.ofSeconds(3));
        return r;
    }

    @Test
    void udpAndTcpAnswerTheSame() throws Exception {
        SimpleResolver udp = resolver();
        SimpleResolver tcp = resolver();
        tcp.setTCP(true);
        for (SimpleResolver r : List.of(udp, tcp)) {
            Message m = r.send(query("kubernetes.default.svc.cluster.local.", Type.A));
            assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(m.getSection(Section.ANSWER)).singleElement().satisfies(a -> assertThat(a.rdataToString()).isEqualTo("10.96.0.1"));
        }
    }

    @Test
    void aTruncatedUdpAnswerIsRetriedOverTcpInFull() throws Exception {
        // Without EDNS: 512 bytes, which 60 A records exceed.
        SimpleResolver ignoring = resolver();
        ignoring.setEDNS(-1, 0, 0, List.of());
        ignoring.setIgnoreTruncation(true);
        Message cut = ignoring.send(query("many.big.svc.cluster.local.", Type.A));
        assertThat(cut.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(cut.getSection(Section.ANSWER).size()).isLessThan(60);

        SimpleResolver retrying = resolver();
        retrying.setEDNS(-1, 0, 0, List.of());
        Message whole = retrying.send(query("many.big.svc.cluster.local.", Type.A)); // retries over TCP on TC
        assertThat(whole.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(whole.getSection(Section.ANSWER)).hasSize(60);
    }

    @Test
    void oneTcpConnectionCarriesSeveralQueries() throws Exception {
        try (Socket s = new Socket(transports.address().getAddress(), transports.address().getPort())) {
            s.setSoTimeout(3000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            for (String name : List.of("kubernetes.default.svc.cluster.local.", "dns-version.cluster.local.", "nope.cluster.local.")) {
                byte[] q = query(name, Type.ANY).toWire();
                out.writeShort(q.length);
                out.write(q);
                out.flush();
                byte[] reply = new byte[in.readUnsignedShort()];
                in.readFully(reply);
                assertThat(new Message(reply).getQuestion().getName().toString()).isEqualTo(name);
            }
            // Garbage that is not even a header closes the connection rather than being answered.
            out.writeShort(3);
            out.write(new byte[] {1, 2, 3});
            out.flush();
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void eachListenerMakesItsSocketsInItsPlaceAndAllAnswer() throws Exception {
        CountingPlace first = new CountingPlace();
        CountingPlace second = new CountingPlace();
        try (DnsTransports two = DnsTransports.bind(List.of(
                new Listener(new InetSocketAddress("127.0.0.1", 0), first, "first"),
                new Listener(new InetSocketAddress("127.0.0.2", 0), second, "second")),
                new QueryHandler(f.answerer, f.view, null), 1)) {
            assertThat(first.opened()).as("a UDP and a TCP socket").isEqualTo(2);
            assertThat(second.opened()).isEqualTo(2);
            assertThat(two.addresses()).hasSize(2);
            for (InetSocketAddress a : two.addresses()) {
                SimpleResolver r = new SimpleResolver(a);
                r.setTimeout(Duration.ofSeconds(3));
                assertThat(r.send(query("kubernetes.default.svc.cluster.local.", Type.A)).getSection(Section.ANSWER))
                        .as("answer on %s", a).hasSize(1);
                r.setTCP(true);
                assertThat(r.send(query("kubernetes.default.svc.cluster.local.", Type.A)).getSection(Section.ANSWER))
                        .as("answer over TCP on %s", a).hasSize(1);
            }
        }
    }

    @Test
    void everyThreadHasAUdpSocketOnTheSharedPortAndClientsAreAnsweredOnAll() throws Exception {
        CountingPlace place = new CountingPlace();
        try (DnsTransports three = DnsTransports.bind(List.of(new Listener(new InetSocketAddress("127.0.0.1", 0), place,
                "three")), new QueryHandler(f.answerer, f.view, null), 3)) {
            assertThat(place.opened()).as("three UDP sockets and a TCP one").isEqualTo(4);
            if (System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64")) {
                assertThat(three.transport()).as("the native transport this module ships for Linux x86-64").isEqualTo("epoll");
            }
            // Each client its own socket (source port), so the kernel spreads them over the three.
            for (int i = 0; i < 30; i++) {
                SimpleResolver r = new SimpleResolver(three.address());
                r.setTimeout(Duration.ofSeconds(3));
                assertThat(r.send(query("kubernetes.default.svc.cluster.local.", Type.A)).getSection(Section.ANSWER))
                        .hasSize(1);
            }
        }
    }

    @Test
    void whenOneListenerCannotListenNoneDoes() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DnsTransports.bind(List.of(
                        Listener.here(new InetSocketAddress("127.0.0.1", 0)),
                        new Listener(transports.address(), SocketPlace.HERE, "ns-x/127.0.0.1:" + transports.address().getPort())),
                        new QueryHandler(f.answerer, f.view, null), 1))
                .isInstanceOf(ListenException.class)
                .hasMessageContaining("cannot listen on ns-x/127.0.0.1:");
    }

    @Test
    void aTakenPortIsRefusedWithWhatToDo() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DnsTransports.bind(transports.address(),
                        new QueryHandler(f.answerer, f.view, null)))
                .isInstanceOf(ListenException.class)
                .hasMessageContaining("cannot listen on 127.0.0.1:" + transports.address().getPort() + " for DNS")
                .hasMessageContaining("choose another ADDR:PORT");
    }

    @Test
    void digGetsAnswersOverUdpAndTcpAndTruncationOverUdp() throws Exception {
        assumeTrue(Dig.installed(), "dig is not installed (apt-get install bind9-dnsutils)");
        Dig.Result udp = Dig.run(transports.address(), "+short", "kubernetes.default.svc.cluster.local", "A");
        assertThat(udp.out().strip()).isEqualTo("10.96.0.1");
        Dig.Result tcp = Dig.run(transports.address(), "+tcp", "+short", "_https._tcp.kubernetes.default.svc.cluster.local", "SRV");
        assertThat(tcp.out().strip()).isEqualTo("0 100 443 kubernetes.default.svc.cluster.local.");
        Dig.Result ptr = Dig.run(transports.address(), "+short", "-x", "10.96.0.1");
        assertThat(ptr.out().strip()).isEqualTo("kubernetes.default.svc.cluster.local.");
        Dig.Result truncated = Dig.run(transports.address(), "+ignore", "+noedns", "many.big.svc.cluster.local", "A");
        assertThat(truncated.out()).containsPattern("flags: qr aa tc rd;").contains("status: NOERROR");
        Dig.Result retried = Dig.run(transports.address(), "+noedns", "many.big.svc.cluster.local", "A");
        assertThat(retried.out()).contains("ANSWER: 60,").doesNotContain(" tc;");
        Dig.Result nx = Dig.run(transports.address(), "nope.default.svc.cluster.local", "A");
        assertThat(nx.out()).contains("status: NXDOMAIN").contains("AUTHORITY: 1,")
                .containsPattern("cluster\\.local\\.\\s+5\\s+IN\\s+SOA\\s+ns\\.dns\\.cluster\\.local\\.");
        Dig.Result refused = Dig.run(transports.address(), "example.com", "A");
        assertThat(refused.out()).contains("status: REFUSED");
    }
}
