package io.drover.bench.dns;

import io.drover.api.client.DroverClient;
import io.drover.model.ResourceKind;
import io.drover.model.service.ServiceEndpoints;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * How long an endpoint change takes from the API to DNS: a headless service's one endpoint is moved to a new address
 * through the API, and the service's name is asked over UDP (about every half millisecond) until the answer is the
 * new address. Timed from just before the write is sent, so the API's own write is part of it. A few changes first
 * are not counted: they warm the path (the first run of the code that applies a watch event is compiled then).
 */
final class Propagation {

    static final String NAMESPACE = "bench-prop";
    static final String SERVICE = "prop";
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofNanos(500_000);
    private static final int WARMUP_CHANGES = 10;

    /** The endpoint's address of change {@code i}: 10.201.0.1 and on. */
    static String address(int i) {
        return "10.201." + (i / 250) + "." + (1 + i % 250);
    }

    /**
     * The nanoseconds of each change; {@code writes} gets how long each API write itself took.
     */
    static long[] measure(DroverClient api, InetSocketAddress dns, int changes, long[] writes) throws Exception {
        Name name = Name.fromString(SERVICE + "." + NAMESPACE + ".svc." + DnsCatalog.DOMAIN + ".");
        long[] took = new long[changes];
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.connect(dns);
            channel.socket().setSoTimeout(20);
            for (int i = 1; i <= WARMUP_CHANGES + changes; i++) {
                int counted = i - WARMUP_CHANGES - 1;
                ServiceEndpoints current = (ServiceEndpoints) api.get(ResourceKind.SERVICE_ENDPOINTS, NAMESPACE, SERVICE);
                ServiceEndpoints next = new ServiceEndpoints(current.apiVersion(), current.kind(), current.metadata(),
                        DnsCatalog.endpoints(NAMESPACE, SERVICE, List.of(address(i))).endpoints());
                InetAddress wanted = InetAddress.getByName(address(i));
                long start = System.nanoTime();
                api.replace(next);
                long written = System.nanoTime() - start;
                while (!answers(channel, name, wanted)) {
                    if (System.nanoTime() - start > LIMIT.toNanos()) {
                        throw new IllegalStateException("DNS did not answer " + address(i) + " for " + name + " within "
                                + LIMIT + " of the change");
                    }
                    Thread.sleep(POLL);
                }
                if (counted >= 0) {
                    writes[counted] = written;
                    took[counted] = System.nanoTime() - start;
                }
            }
        }
        return took;
    }

    /** Whether DNS answers exactly {@code wanted} now. */
    private static boolean answers(DatagramChannel channel, Name name, InetAddress wanted) throws IOException {
        Message query = Message.newQuery(Record.newRecord(name, Type.A, DClass.IN));
        channel.write(ByteBuffer.wrap(query.toWire()));
        byte[] buffer = new byte[4096];
        java.net.DatagramPacket packet = new java.net.DatagramPacket(buffer, buffer.length);
        while (true) {
            try {
                channel.socket().receive(packet);
            } catch (SocketTimeoutException e) {
                return false;
            }
            Message reply = new Message(java.util.Arrays.copyOf(buffer, packet.getLength()));
            if (reply.getHeader().getID() != query.getHeader().getID()) {
                continue; // a late reply to an earlier poll
            }
            List<Record> answer = reply.getSection(Section.ANSWER);
            return answer.size() == 1 && answer.getFirst() instanceof ARecord a && a.getAddress().equals(wanted);
        }
    }
}
