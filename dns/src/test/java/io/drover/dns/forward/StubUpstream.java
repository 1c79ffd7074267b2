package io.drover.dns.forward;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A tiny upstream resolver on loopback for forwarding tests: A records from a map (TTL {@value #TTL}), NXDOMAIN
 * with an SOA (negative TTL {@value #NEGATIVE_TTL}) for anything else. Counts the queries it gets.
 */
public final class StubUpstream implements AutoCloseable {

    public static final long TTL = 60;
    public static final long NEGATIVE_TTL = 10;

    private final DatagramSocket socket;
    private final Map<String, String> addresses;
    private final Thread loop;
    public final AtomicInteger queries = new AtomicInteger();

    public StubUpstream(Map<String, String> addresses) throws SocketException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.addresses = Map.copyOf(addresses);
        this.loop = Thread.ofVirtual().name("stub-upstream").start(this::serve);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void serve() {
        byte[] buffer = new byte[65535];
        while (!socket.isClosed()) {
            try {
                DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                socket.receive(in);
                queries.incrementAndGet();
                Message query = new Message(java.util.Arrays.copyOf(in.getData(), in.getLength()));
                byte[] out = answer(query).toWire(512);
                socket.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
            } catch (IOException e) {
                // closed, or a query the stub cannot read: nothing to answer
            }
        }
    }

    private Message answer(Message query) throws IOException {
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        reply.getHeader().setFlag(Flags.RA);
        reply.getHeader().setFlag(Flags.RD);
        Record q = query.getQuestion();
        reply.addRecord(q, Section.QUESTION);
        String ip = addresses.get(q.getName().toString().toLowerCase());
        if (ip != null && q.getType() == Type.A) {
            reply.addRecord(new ARecord(q.getName(), DClass.IN, TTL, InetAddress.getByName(ip)), Section.ANSWER);
        } else if (ip == null) {
            reply.getHeader().setRcode(Rcode.NXDOMAIN);
            reply.addRecord(new SOARecord(Name.root, DClass.IN, 30, Name.fromString("a.root-servers.net."),
                    Name.fromString("nstld.verisign-grs.com."), 1, 1800, 900, 604800, NEGATIVE_TTL), Section.AUTHORITY);
        }
        return reply;
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        loop.join(2000);
    }
}
