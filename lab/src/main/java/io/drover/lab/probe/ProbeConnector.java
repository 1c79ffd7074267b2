package io.drover.lab.probe;

import com.sun.nio.sctp.MessageInfo;
import com.sun.nio.sctp.SctpChannel;
import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.NetNs;
import io.drover.lab.net.Protocol;
import io.drover.lab.probe.ProbeResult.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.ProtocolFamily;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One connection attempt from inside a namespace, reading back the server's one-line answer. Each protocol
 * follows what the Kubernetes network policy tests' probe ({@code agnhost connect}) does, so that Drover's matrices
 * mean what theirs mean: TCP and SCTP connect and count once established (here: once the echo text is read);
 * UDP sends a datagram on a connected socket and waits for the answer (a connected socket also hears an ICMP port
 * unreachable, which makes "refused" fast).
 */
class ProbeConnector {

    /** The longest answer read: an echo text is {@code <namespace>/<pod>}, far shorter. */
    private static final int MAX_ANSWER = 1024;
    /** UDP datagrams are sent this many times within the timeout, so that one lost datagram is not a block. */
    private static final int UDP_ATTEMPTS = 3;
    private static final byte[] UDP_PAYLOAD = "probe\n".getBytes(StandardCharsets.UTF_8);

    /**
     * @param text for {@link Outcome#CONNECTED} the line the server sent (without its newline); otherwise what
     *             happened, in words
     */
    record Answer(Outcome outcome, String text) {}

    private final Kernel kernel;

    ProbeConnector(Kernel kernel) {
        this.kernel = kernel;
    }

    Answer connect(NetNs client, Protocol protocol, InetAddress server, int port, Duration timeout) {
        InetSocketAddress target = new InetSocketAddress(server, port);
        try {
            return switch (protocol) {
                case TCP -> tcp(client, target, timeout);
                case UDP -> udp(client, target, timeout);
                case SCTP -> sctp(client, target, timeout);
            };
        } catch (SocketTimeoutException e) {
            return new Answer(Outcome.TIMED_OUT, "no answer within " + timeout.toMillis() + " ms");
        } catch (PortUnreachableException e) {
            return new Answer(Outcome.REFUSED, "port unreachable");
        } catch (ConnectException e) {
            return new Answer(refusedOrUnreachable(e), message(e));
        } catch (NoRouteToHostException e) {
            return new Answer(Outcome.UNREACHABLE, message(e));
        } catch (SocketException e) {
            return new Answer(refusedOrUnreachable(e), message(e));
        } catch (IOException e) {
            return new Answer(Outcome.FAILED, message(e));
        } catch (RuntimeException e) {
            // Kernel.inNamespace wraps what the task threw; unwrap socket errors so they are classified too.
            if (e.getCause() instanceof IOException io) {
                return classifyWrapped(io, timeout);
            }
            return new Answer(Outcome.FAILED, message(e));
        }
    }

    private Answer classifyWrapped(IOException io, Duration timeout) {
        return switch (io) {
            case SocketTimeoutException t -> new Answer(Outcome.TIMED_OUT, "no answer within " + timeout.toMillis() + " ms");
            case PortUnreachableException p -> new Answer(Outcome.REFUSED, "port unreachable");
            case NoRouteToHostException n -> new Answer(Outcome.UNREACHABLE, message(n));
            case SocketException s -> new Answer(refusedOrUnreachable(s), message(s));
            default -> new Answer(Outcome.FAILED, message(io));
        };
    }

    /**
     * The timeout starts once the socket exists: opening it waits for the namespace's thread, which may be busy
     * with other calls, and that wait says nothing about the network.
     */
    private static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

    private Answer tcp(NetNs client, InetSocketAddress target, Duration timeout) throws IOException {
        // Only the socket is created on the namespace's thread (which serialises the calls for its namespace);
        // connecting and reading then happen on this virtual thread.
        SocketChannel channel = kernel.inNamespace(client, () -> SocketChannel.open(family(target.getAddress())));
        try (channel) {
            long deadline = deadline(timeout);
            Socket socket = channel.socket();
            socket.connect(target, millisLeft(deadline));
            socket.setSoTimeout(millisLeft(deadline));
            return new Answer(Outcome.CONNECTED, readLine(socket.getInputStream()));
        }
    }

    private Answer udp(NetNs client, InetSocketAddress target, Duration timeout) throws IOException {
        DatagramChannel channel = kernel.inNamespace(client, () -> DatagramChannel.open(family(target.getAddress())));
        try (channel) {
            long deadline = deadline(timeout);
            channel.connect(target);
            DatagramSocket socket = channel.socket();
            byte[] buffer = new byte[MAX_ANSWER];
            long total = deadline - System.nanoTime();
            for (int attempt = 1; ; attempt++) {
                channel.write(ByteBuffer.wrap(UDP_PAYLOAD));
                long attemptEnd = attempt == UDP_ATTEMPTS ? deadline
                        : System.nanoTime() + total / UDP_ATTEMPTS;
                try {
                    socket.setSoTimeout(millisLeft(attemptEnd));
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    return new Answer(Outcome.CONNECTED, firstLine(packet.getData(), packet.getLength()));
                } catch (SocketTimeoutException e) {
                    if (attempt >= UDP_ATTEMPTS || deadline - System.nanoTime() <= 0) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * SCTP channels are not integrated with virtual threads, so the exchange is non-blocking, waiting in a selector
     * (which the virtual-thread scheduler compensates for) rather than in a blocking connect or receive.
     */
    private Answer sctp(NetNs client, InetSocketAddress target, Duration timeout) throws IOException {
        SctpChannel opened = kernel.inNamespace(client, SctpChannel::open);
        try (SctpChannel channel = opened; Selector selector = Selector.open()) {
            long deadline = deadline(timeout);
            channel.configureBlocking(false);
            SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT);
            if (!channel.connect(target)) {
                while (!channel.finishConnect()) {
                    awaitReady(selector, deadline);
                }
            }
            key.interestOps(SelectionKey.OP_READ);
            ByteBuffer buffer = ByteBuffer.allocate(MAX_ANSWER);
            while (true) {
                MessageInfo info = channel.receive(buffer, null, null);
                if (info != null && (info.isComplete() || !buffer.hasRemaining() || info.bytes() < 0)) {
                    buffer.flip();
                    byte[] bytes = new byte[buffer.remaining()];
                    buffer.get(bytes);
                    return new Answer(Outcome.CONNECTED, firstLine(bytes, bytes.length));
                }
                awaitReady(selector, deadline);
            }
        }
    }

    private static void awaitReady(Selector selector, long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("timed out");
        }
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
    }

    /** Reads up to the first newline (or the end of the stream), honouring the socket's read timeout. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (line.size() < MAX_ANSWER) {
            int b = in.read();
            if (b < 0 || b == '\n') {
                break;
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static String firstLine(byte[] data, int length) {
        String text = new String(data, 0, length, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static ProtocolFamily family(InetAddress address) {
        return address instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }

    private static int millisLeft(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("timed out");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    private static Outcome refusedOrUnreachable(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("refused")) {
            return Outcome.REFUSED;
        }
        if (m.contains("unreachable") || m.contains("no route")) {
            return Outcome.UNREACHABLE;
        }
        if (m.contains("timed out")) {
            return Outcome.TIMED_OUT;
        }
        return Outcome.FAILED;
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
