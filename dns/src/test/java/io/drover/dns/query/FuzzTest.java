package io.drover.dns.query;

import static io.drover.dns.Fixtures.clusterIp;
import static io.drover.dns.Fixtures.endpoints;
import static io.drover.dns.Fixtures.headless;
import static io.drover.dns.Fixtures.port;
import static io.drover.dns.Fixtures.query;
import static io.drover.dns.Fixtures.ready;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.dns.Fixtures;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Thousands of random and mutated packets into the packet handler (seeded: a failure reproduces): every one gets no
 * reply or a reply that parses, fits its transport, carries the query's id and never the answer to a malformed
 * query as if it were well formed; no exception escapes.
 */
class FuzzTest {

    private static final long SEED = 0x6472_6f76_6572L;
    private static final int RANDOM_PACKETS = 4_000;
    private static final int MUTATED_PACKETS = 8_000;

    private final Fixtures f = new Fixtures();
    private final QueryHandler handler = new QueryHandler(f.answerer, f.view, null);

    private List<byte[]> seeds() {
        f.view.put(clusterIp("default", "kubernetes", "10.96.0.1", port("https", 443, "TCP")));
        f.view.put(headless("default", "pets", false, port("http", 80, "TCP")));
        f.view.put(endpoints("default", "pets", ready("10.1.0.1", null), ready("10.1.0.2", null)));
        List<byte[]> seeds = new ArrayList<>();
        for (String name : List.of("kubernetes.default.svc.cluster.local.", "_https._tcp.kubernetes.default.svc.cluster.local.",
                "pets.default.svc.cluster.local.", "1.0.96.10.in-addr.arpa.", "example.com.", "dns-version.cluster.local.")) {
            for (int type : new int[] {Type.A, Type.AAAA, Type.SRV, Type.PTR, Type.TXT, Type.ANY}) {
                Message q = query(name, type);
                seeds.add(q.toWire());
                q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
                seeds.add(q.toWire());
            }
        }
        return seeds;
    }

    @Test
    void randomAndMutatedPacketsGetAValidReplyOrNone() throws Exception {
        List<byte[]> seeds = seeds();
        Random random = new Random(SEED);
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i = 0; i < RANDOM_PACKETS + MUTATED_PACKETS && System.nanoTime() < deadline; i++) {
            byte[] packet = i < RANDOM_PACKETS ? randomPacket(random) : mutate(seeds.get(random.nextInt(seeds.size())), random);
            Transport transport = random.nextBoolean() ? Transport.UDP : Transport.TCP;
            byte[] reply = handler.handle(packet, transport).get(5, TimeUnit.SECONDS);
            outcomes.merge(check(packet, reply, transport), 1, Integer::sum);
        }
        System.out.println("DNS fuzz outcomes: " + outcomes);
        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(RANDOM_PACKETS + MUTATED_PACKETS);
        assertThat(outcomes).containsKeys(Outcome.DROPPED, Outcome.FORMERR, Outcome.ANSWERED);
    }

    private enum Outcome { DROPPED, FORMERR, ANSWERED, OTHER_ERROR }

    private static Outcome check(byte[] packet, byte[] reply, Transport transport) throws Exception {
        if (reply == null) {
            return Outcome.DROPPED;
        }
        assertThat(packet.length).as("a packet shorter than a header gets no reply").isGreaterThanOrEqualTo(12);
        assertThat(reply.length).isLessThanOrEqualTo(transport == Transport.TCP ? 65535 : 65535);
        Message m = new Message(reply);
        assertThat(m.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(m.getHeader().getID()).isEqualTo(((packet[0] & 0xff) << 8) | (packet[1] & 0xff));
        assertThat(packet[2] & 0x80).as("a response (QR set) is never answered").isZero();
        int rcode = m.getRcode();
        if (rcode == Rcode.FORMERR) {
            return Outcome.FORMERR;
        }
        if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
            Message query = new Message(packet); // an answer means the query parsed
            assertThat(m.getQuestion()).isEqualTo(query.getQuestion());
            return Outcome.ANSWERED;
        }
        assertThat(rcode).isIn(Rcode.NOTIMP, Rcode.REFUSED, Rcode.BADVERS, Rcode.SERVFAIL);
        assertThat(rcode).as("no failure of our own").isNotEqualTo(Rcode.SERVFAIL);
        return Outcome.OTHER_ERROR;
    }

    private static byte[] randomPacket(Random random) {
        byte[] packet = new byte[random.nextInt(600)];
        random.nextBytes(packet);
        if (packet.length > 2 && random.nextBoolean()) {
            packet[2] &= 0x7f; // a query more often than not, to get past the first check
        }
        return packet;
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] packet = seed.clone();
        switch (random.nextInt(5)) {
            case 0 -> { // flip bits
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    packet[random.nextInt(packet.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> packet = java.util.Arrays.copyOf(packet, random.nextInt(packet.length + 1)); // truncate
            case 2 -> { // append garbage
                byte[] longer = java.util.Arrays.copyOf(packet, packet.length + 1 + random.nextInt(64));
                for (int i = packet.length; i < longer.length; i++) {
                    longer[i] = (byte) random.nextInt(256);
                }
                packet = longer;
            }
            case 3 -> { // counts
                int at = 4 + 2 * random.nextInt(4);
                packet[at] = (byte) random.nextInt(256);
                packet[at + 1] = (byte) random.nextInt(256);
            }
            default -> { // a compression pointer somewhere in the name
                int at = 12 + random.nextInt(Math.max(1, packet.length - 13));
                if (at + 1 < packet.length) {
                    packet[at] = (byte) (0xc0 | random.nextInt(64));
                    packet[at + 1] = (byte) random.nextInt(256);
                }
            }
        }
        if (packet.length > 2) {
            packet[2] &= 0x7f;
        }
        return packet;
    }
}
