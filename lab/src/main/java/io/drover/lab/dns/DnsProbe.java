package io.drover.lab.dns;

import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.NetNs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Optional;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * One DNS question over UDP from inside a network namespace, for {@code lab up} to see that a lab's DNS server
 * answers where pods will ask it.
 */
public final class DnsProbe {

    private final Kernel kernel;

    public DnsProbe(Kernel kernel) {
        this.kernel = kernel;
    }

    /** The reply, or empty when none came within {@code timeout}. */
    public Optional<Message> ask(String netns, InetSocketAddress server, String name, int type, Duration timeout) {
        Message query;
        try {
            query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        } catch (IOException e) {
            throw new IllegalArgumentException("'" + name + "' is not a DNS name", e);
        }
        try (DatagramChannel channel = kernel.inNamespace(NetNs.named(netns), DatagramChannel::open)) {
            channel.connect(server);
            channel.write(ByteBuffer.wrap(query.toWire()));
            channel.socket().setSoTimeout((int) Math.max(1, timeout.toMillis()));
            byte[] buffer = new byte[65535];
            // A blocking read with a timeout goes through the socket adapter's stream-free receive.
            java.net.DatagramPacket packet = new java.net.DatagramPacket(buffer, buffer.length);
            channel.socket().receive(packet);
            Message reply = new Message(java.util.Arrays.copyOf(buffer, packet.getLength()));
            return reply.getHeader().getID() == query.getHeader().getID() ? Optional.of(reply) : Optional.empty();
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // e.g. ICMP port unreachable: nothing listens yet
        }
    }
}
