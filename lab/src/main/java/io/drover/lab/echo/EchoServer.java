package io.drover.lab.echo;

import com.sun.nio.sctp.MessageInfo;
import com.sun.nio.sctp.SctpChannel;
import com.sun.nio.sctp.SctpServerChannel;
import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.NetNs;
import io.drover.lab.net.Protocol;
import io.drover.lab.net.SctpSupport;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drover's built-in echo server, what lab pods run: it writes {@code <namespace>/<pod>} and a newline to every TCP
 * or SCTP connection as soon as it is accepted, and answers every UDP datagram with the same text. The probe
 * counts a connection only when it reads back the text of the pod it meant to reach, so a misrouted connection
 * that reaches some other pod is caught.
 *
 * <p>The server sockets are opened inside the pod's network namespace (through {@link Kernel#inNamespace}) and
 * belong to it for life, so one process can serve many pods; they bind to the wildcard address of both families
 * (an IPv6 socket that also accepts IPv4). TCP and UDP are served by virtual threads. SCTP channels are not
 * integrated with virtual threads (a blocked accept would pin a carrier thread), so each SCTP port gets a platform
 * thread; SCTP ports are skipped, with the reason in {@link #skipped()}, on machines without SCTP.
 */
public final class EchoServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EchoServer.class);
    /** How long a TCP or SCTP connection may stay open after the text was sent, waiting for the client to close. */
    private static final Duration LINGER = Duration.ofSeconds(10);

    private final String text;
    private final byte[] answer;
    private final List<EchoPort> serving;
    private final List<String> skipped;
    private final List<Listener> listeners;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<SocketChannel> connections = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private EchoServer(String text, List<EchoPort> serving, List<String> skipped, List<Listener> listeners) {
        this.text = text;
        this.answer = (text + "\n").getBytes(StandardCharsets.UTF_8);
        this.serving = List.copyOf(serving);
        this.skipped = List.copyOf(skipped);
        this.listeners = List.copyOf(listeners);
    }

    /** The text a pod's echo server sends: {@code <namespace>/<pod>}. */
    public static String textFor(String namespace, String pod) {
        return namespace + "/" + pod;
    }

    /** The echo text and ports of a pod: its declared ports, each on its protocol (TCP when unset). */
    public static List<EchoPort> portsOf(Pod pod) {
        List<EchoPort> ports = new ArrayList<>();
        for (PodPort p : pod.spec().ports()) {
            if (p.port() != null) {
                ports.add(new EchoPort(p.port(), Protocol.parse(p.effectiveProtocol())));
            }
        }
        return ports;
    }

    /** Starts serving inside {@code ns}. */
    public static EchoServer start(Kernel kernel, NetNs ns, String text, List<EchoPort> ports) {
        return start(text, ports, new Opener() {
            @Override
            public <T> T open(Callable<T> task) {
                return kernel.inNamespace(ns, task);
            }
        }, " in " + ns);
    }

    /** Starts serving in the namespace this process runs in (an echo server started inside the pod). */
    public static EchoServer startHere(String text, List<EchoPort> ports) {
        return start(text, ports, new Opener() {
            @Override
            public <T> T open(Callable<T> task) throws Exception {
                return task.call();
            }
        }, "");
    }

    /** Where sockets are created: the namespace they are created in is the one they serve. */
    private interface Opener {
        <T> T open(Callable<T> task) throws Exception;
    }

    private static EchoServer start(String text, List<EchoPort> ports, Opener opener, String where) {
        if (text.isEmpty() || text.contains("\n")) {
            throw new IllegalArgumentException("the echo text must be one non-empty line, not '" + text + "'");
        }
        List<EchoPort> serving = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<Listener> listeners = new ArrayList<>();
        try {
            for (EchoPort port : ports.stream().distinct().toList()) {
                if (port.protocol() == Protocol.SCTP) {
                    Optional<String> missing = SctpSupport.unavailableReason();
                    if (missing.isPresent()) {
                        skipped.add(port + ": " + missing.get());
                        continue;
                    }
                }
                try {
                    listeners.add(opener.open(() -> bind(port)));
                } catch (Exception e) {
                    throw new EchoServerException("cannot serve " + port + where + ": " + describe(e), e);
                }
                serving.add(port);
            }
        } catch (RuntimeException e) {
            listeners.forEach(l -> closeQuietly(l.channel()));
            throw e;
        }
        EchoServer server = new EchoServer(text, serving, skipped, listeners);
        server.serve();
        skipped.forEach(s -> log.warn("echo server{} skips {}", where, s));
        return server;
    }

    /** A bound server socket of one of the three kinds. */
    private sealed interface Listener {
        Channel channel();
    }

    private record TcpListener(ServerSocketChannel channel) implements Listener {}

    private record UdpListener(DatagramChannel channel) implements Listener {}

    private record SctpListener(SctpServerChannel channel) implements Listener {}

    private static Listener bind(EchoPort port) throws IOException {
        InetSocketAddress wildcard = new InetSocketAddress(port.port());
        return switch (port.protocol()) {
            case TCP -> {
                ServerSocketChannel channel = ServerSocketChannel.open();
                try {
                    channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    yield new TcpListener(channel.bind(wildcard, 512));
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
            }
            case UDP -> {
                DatagramChannel channel = DatagramChannel.open();
                try {
                    yield new UdpListener(channel.bind(wildcard));
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
            }
            case SCTP -> {
                SctpServerChannel channel = SctpServerChannel.open();
                try {
                    yield new SctpListener(channel.bind(wildcard, 512));
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
            }
        };
    }

    private void serve() {
        for (int i = 0; i < serving.size(); i++) {
            EchoPort port = serving.get(i);
            Thread thread = switch (listeners.get(i)) {
                case TcpListener(var tcp) -> Thread.ofVirtual().name("echo-" + port).start(() -> serveTcp(tcp));
                case UdpListener(var udp) -> Thread.ofVirtual().name("echo-" + port).start(() -> serveUdp(udp));
                case SctpListener(var sctp) ->
                        Thread.ofPlatform().daemon(true).name("echo-" + port).start(() -> serveSctp(sctp));
            };
            threads.add(thread);
        }
    }

    private void serveTcp(ServerSocketChannel server) {
        while (!closed) {
            SocketChannel connection;
            try {
                connection = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                pauseAfter("accepting a TCP connection", e);
                continue;
            }
            connections.add(connection);
            Thread.ofVirtual().name("echo-tcp-connection").start(() -> answerTcp(connection));
        }
    }

    /**
     * Sends the text, then half-closes and waits (bounded) for the client to close: closing at once with anything
     * unread from the client would reset the connection instead of ending it.
     */
    private void answerTcp(SocketChannel connection) {
        try (connection) {
            ByteBuffer buffer = ByteBuffer.wrap(answer);
            while (buffer.hasRemaining()) {
                connection.write(buffer);
            }
            connection.shutdownOutput();
            connection.socket().setSoTimeout((int) LINGER.toMillis());
            InputStream in = connection.socket().getInputStream();
            byte[] sink = new byte[4096];
            long deadline = System.nanoTime() + LINGER.toNanos();
            while (in.read(sink) >= 0 && System.nanoTime() < deadline) {
                // Discard whatever the client sends until it closes.
            }
        } catch (SocketTimeoutException | ClosedChannelException e) {
            // The client kept the connection open too long, or the server is closing: close it.
        } catch (IOException e) {
            log.debug("echo connection ended with {}", e.toString());
        } finally {
            connections.remove(connection);
        }
    }

    private void serveUdp(DatagramChannel channel) {
        ByteBuffer in = ByteBuffer.allocate(65536);
        while (!closed) {
            try {
                in.clear();
                SocketAddress sender = channel.receive(in);
                if (sender != null) {
                    channel.send(ByteBuffer.wrap(answer), sender);
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // A reply that cannot be sent (no route back, say) must not stop the server.
                pauseAfter("answering a UDP datagram", e);
            }
        }
    }

    private void serveSctp(SctpServerChannel server) {
        while (!closed) {
            try (SctpChannel association = server.accept()) {
                if (association != null) {
                    association.send(ByteBuffer.wrap(answer), MessageInfo.createOutgoing(null, 0));
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                pauseAfter("answering an SCTP association", e);
            }
        }
    }

    private void pauseAfter(String what, IOException e) {
        if (closed) {
            return;
        }
        log.warn("echo server '{}': {} failed: {}", text, what, e.toString());
        try {
            // Errors such as EMFILE repeat at once; a short pause keeps the loop from spinning.
            Thread.sleep(10);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    public String text() {
        return text;
    }

    /** The ports being served. */
    public List<EchoPort> serving() {
        return serving;
    }

    /** Ports not served and why, e.g. SCTP on a machine without SCTP support. */
    public List<String> skipped() {
        return skipped;
    }

    /** Stops serving: closes every socket, open connections included, and waits for the serving threads. */
    @Override
    public void close() {
        closed = true;
        listeners.forEach(l -> closeQuietly(l.channel()));
        connections.forEach(EchoServer::closeQuietly);
        for (Thread thread : threads) {
            try {
                if (!thread.join(Duration.ofSeconds(5))) {
                    log.warn("echo server '{}': thread {} did not stop", text, thread.getName());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing {}: {}", channel, e.toString());
        }
    }

    /** The message of an error, with its cause's when the kernel wrapper carries one (e.g. "Address in use"). */
    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += ": " + cause.getMessage();
        }
        return message;
    }
}
