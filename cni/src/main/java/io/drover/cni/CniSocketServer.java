package io.drover.cni;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Serves the drover-cni protocol on a unix socket: one virtual thread per connection reads one request frame, asks
 * the dispatcher (or any function of a request) for the answer, writes it, and closes. The agent can embed this as it
 * is, or read and write frames itself with {@link CniWire}.
 *
 * <p>A socket file left behind by a crashed agent is replaced; one that another process still answers on is not
 * (start fails). A peer that does not send its whole request within the read timeout is disconnected, so a stuck
 * client cannot pin a thread. The socket file is removed on {@link #close()}.
 */
public final class CniSocketServer implements AutoCloseable {

    private final Path socket;
    private final ServerSocketChannel server;
    private final Function<CniWire.Request, CniWire.Response> answer;
    private final Duration readTimeout;
    private final ScheduledExecutorService watchdog;
    private final Thread acceptor;
    private volatile boolean closed;

    private CniSocketServer(Path socket, ServerSocketChannel server,
            Function<CniWire.Request, CniWire.Response> answer, Duration readTimeout) {
        this.socket = socket;
        this.server = server;
        this.answer = answer;
        this.readTimeout = readTimeout;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "drover-cni-socket-watchdog");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = Thread.ofPlatform().daemon().name("drover-cni-socket " + socket).start(this::acceptLoop);
    }

    /** Serves {@code dispatcher} on {@code socket} (its directory is created), with a 60 s read timeout. */
    public static CniSocketServer start(Path socket, CniDispatcher dispatcher) throws IOException {
        return start(socket, dispatcher::dispatch, Duration.ofSeconds(CniWire.DEFAULT_TIMEOUT_SECONDS));
    }

    public static CniSocketServer start(Path socket, Function<CniWire.Request, CniWire.Response> answer,
            Duration readTimeout) throws IOException {
        Objects.requireNonNull(answer, "answer");
        Path parent = socket.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        removeStale(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket), 256);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + socket + ": " + e.getMessage(), e);
        }
        return new CniSocketServer(socket, server, answer, readTimeout);
    }

    public Path socket() {
        return socket;
    }

    private static void removeStale(Path socket) throws IOException {
        if (!Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        boolean answered;
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            answered = probe.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            answered = false;
        }
        if (answered) {
            throw new IOException("another process already serves " + socket
                    + "; stop it first (is an agent already running on this node?)");
        }
        Files.deleteIfExists(socket); // nobody answers: left behind by a process that died
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel connection;
            try {
                connection = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            Thread.ofVirtual().name("drover-cni-call").start(() -> serve(connection));
        }
    }

    private void serve(SocketChannel connection) {
        try (connection) {
            CniWire.Response response;
            try {
                CniWire.Request request = withDeadline(connection, () -> CniWire.readRequest(
                        Channels.newInputStream(connection)));
                response = answer.apply(request);
            } catch (CniWire.ProtocolException e) {
                // A peer that is not drover-cni, or a frame too large: say so, then drop the connection.
                CniError error = new CniError(CniError.IO_FAILURE, "bad request to the Drover node agent",
                        e.getMessage());
                response = new CniReply.Failure(error, CniVersion.CURRENT.text()).toResponse();
            }
            CniWire.Response out = response;
            withDeadline(connection, () -> {
                CniWire.writeResponse(Channels.newOutputStream(connection), out);
                return null;
            });
        } catch (IOException | RuntimeException e) {
            // The peer went away or timed out: there is nobody to answer.
        }
    }

    private interface IoAction<T> {
        T run() throws IOException;
    }

    /** Runs {@code action}, closing the connection (which makes it fail) if it takes longer than the timeout. */
    private <T> T withDeadline(SocketChannel connection, IoAction<T> action) throws IOException {
        ScheduledFuture<?> deadline = watchdog.schedule(() -> closeQuietly(connection), readTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            return action.run();
        } finally {
            deadline.cancel(false);
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        acceptor.interrupt();
        watchdog.shutdownNow();
        Files.deleteIfExists(socket);
    }
}
