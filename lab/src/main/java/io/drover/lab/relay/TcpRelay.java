package io.drover.lab.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP relay: listens on this machine's loopback and hands each connection to the first of its targets that
 * accepts one, copying bytes both ways until either side closes. A target may be inside a network namespace: the
 * relay opens its socket there ({@link SocketOpener}), so that programs on this machine reach a lab member on the
 * lab's own addresses although the lab has no link to the host's network. Nothing is configured in any namespace:
 * the relay only opens sockets.
 *
 * <p>The lab uses one relay per lab with etcd: one forward per etcd member (the servers reach the members through
 * it), and with several servers an API front whose targets are the servers in order, read from a file at every
 * connection (a stopped server refuses, and the next one takes the connection, as behind a load balancer).
 *
 * <p>When no target takes a connection the client's connection is closed at once. Half-closes are passed on.
 */
public final class TcpRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TcpRelay.class);
    private static final Pattern TARGET = Pattern.compile("(?:([A-Za-z0-9_.-]+)/)?(\\[[0-9a-fA-F:]+]|[A-Za-z0-9_.-]+):([0-9]{1,5})");
    private static final Pattern FORWARD = Pattern.compile("([a-z0-9][a-z0-9-]*)=([0-9]{1,5})=(.+)");
    private static final int CONNECT_TIMEOUT_MS = 1000;
    private static final int BUFFER = 64 * 1024;

    /** Opens an unconnected socket in a namespace (null: the relay's own). */
    @FunctionalInterface
    public interface SocketOpener {
        SocketChannel open(String namespace) throws IOException;

        SocketOpener SELF = namespace -> {
            if (namespace != null) {
                throw new IOException("this relay opens sockets in its own namespace only, not in " + namespace);
            }
            return SocketChannel.open();
        };
    }

    /**
     * Where connections go.
     *
     * @param namespace the network namespace (a name under /run/netns) to connect from, or null for the relay's own
     */
    public record Target(String namespace, String host, int port) {
        public Target {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is out of range 1-65535");
            }
        }

        /** {@code [NAMESPACE/]HOST:PORT}, e.g. {@code drl-demo-fabric/172.31.0.201:2379} or {@code 127.0.0.1:7443}. */
        public static Target parse(String text) {
            Matcher m = TARGET.matcher(text.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + text + "' is not a relay target: write [NAMESPACE/]HOST:PORT, e.g."
                        + " drl-demo-fabric/172.31.0.201:2379");
            }
            String host = m.group(2);
            if (host.startsWith("[")) {
                host = host.substring(1, host.length() - 1);
            }
            return new Target(m.group(1), host, Integer.parseInt(m.group(3)));
        }

        @Override
        public String toString() {
            String h = host.contains(":") ? "[" + host + "]" : host;
            return (namespace == null ? "" : namespace + "/") + h + ":" + port;
        }
    }

    /**
     * One listener and where its connections go.
     *
     * @param listenPort  the loopback port, 0 for any free one
     * @param targets     the targets, tried in order; empty when {@code targetsFile} names them
     * @param targetsFile a file with one target per line, read again for every connection (so that targets can be
     *                    named after the relay started); null when {@code targets} are fixed
     */
    public record Forward(String name, int listenPort, List<Target> targets, Path targetsFile) {
        public Forward {
            targets = targets == null ? List.of() : List.copyOf(targets);
            if (targets.isEmpty() == (targetsFile == null)) {
                throw new IllegalArgumentException("forward " + name + " needs either targets or a targets file");
            }
        }

        /**
         * {@code NAME=PORT=TARGET[,TARGET...]} or {@code NAME=PORT=@FILE}, e.g.
         * {@code etcd-1=0=drl-demo-fabric/172.31.0.201:2379}.
         */
        public static Forward parse(String text) {
            Matcher m = FORWARD.matcher(text.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + text + "' is not a forward: write NAME=PORT=TARGET[,TARGET...]"
                        + " or NAME=PORT=@FILE (PORT 0 for any free port)");
            }
            int port = Integer.parseInt(m.group(2));
            if (port > 65535) {
                throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
            }
            String to = m.group(3);
            if (to.startsWith("@")) {
                return new Forward(m.group(1), port, List.of(), Path.of(to.substring(1)));
            }
            List<Target> targets = new ArrayList<>();
            for (String t : to.split(",")) {
                targets.add(Target.parse(t));
            }
            return new Forward(m.group(1), port, targets, null);
        }

        /** The targets now: the fixed ones, or those the file names (none when it is missing). */
        public List<Target> currentTargets() throws IOException {
            if (targetsFile == null) {
                return targets;
            }
            return readTargets(targetsFile);
        }
    }

    /** The targets of a targets file: one per line; blank lines and lines starting with '#' are skipped. */
    public static List<Target> readTargets(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<Target> targets = new ArrayList<>();
        for (String line : lines) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                targets.add(Target.parse(l));
            }
        }
        return targets;
    }

    /** Writes a targets file atomically (a reader never sees half of it). */
    public static void writeTargets(Path file, List<Target> targets) {
        StringBuilder text = new StringBuilder();
        targets.forEach(t -> text.append(t).append('\n'));
        writeAtomically(file, text.toString());
    }

    private final SocketOpener opener;
    private final InetAddress listenAddress;
    private final List<Forward> forwards;
    private final List<ServerSocketChannel> listeners = new ArrayList<>();
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private volatile boolean closed;

    public TcpRelay(SocketOpener opener, InetAddress listenAddress, List<Forward> forwards) {
        this.opener = opener;
        this.listenAddress = listenAddress;
        this.forwards = List.copyOf(forwards);
        if (forwards.stream().map(Forward::name).distinct().count() != forwards.size()) {
            throw new IllegalArgumentException("two forwards of one relay have the same name");
        }
    }

    /** Binds every listener and starts accepting; returns each forward's port by name. */
    public synchronized Map<String, Integer> start() {
        try {
            for (Forward forward : forwards) {
                ServerSocketChannel server = ServerSocketChannel.open();
                listeners.add(server);
                server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                server.bind(new InetSocketAddress(listenAddress, forward.listenPort()));
                int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
                ports.put(forward.name(), port);
                Thread.ofVirtual().name("relay-" + forward.name()).start(() -> accept(server, forward));
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot listen on " + listenAddress.getHostAddress() + ": " + e.getMessage(), e);
        }
        return Map.copyOf(ports);
    }

    /** Each forward's port by name, in forward order (after {@link #start()}). */
    public synchronized Map<String, Integer> ports() {
        return new LinkedHashMap<>(ports);
    }

    /** Writes {@code NAME PORT} lines (atomically), for the process that started the relay to read. */
    public void writePorts(Path file) {
        StringBuilder text = new StringBuilder();
        ports().forEach((name, port) -> text.append(name).append(' ').append(port).append('\n'));
        writeAtomically(file, text.toString());
    }

    /** Reads a ports file written by {@link #writePorts}; empty when it is not (completely) there yet. */
    public static Map<String, Integer> readPorts(Path file) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.strip().split(" ");
                if (parts.length == 2) {
                    ports.put(parts[0], Integer.parseInt(parts[1]));
                }
            }
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the relay's ports file " + file + ": " + e.getMessage(), e);
        }
        return ports;
    }

    private void accept(ServerSocketChannel server, Forward forward) {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("relay {}: accept failed: {}", forward.name(), e.toString());
                }
                return;
            }
            open.add(client);
            Thread.ofVirtual().name("relay-" + forward.name() + "-conn").start(() -> relay(client, forward));
        }
    }

    private void relay(SocketChannel client, Forward forward) {
        SocketChannel upstream = null;
        List<String> failures = new ArrayList<>();
        try {
            List<Target> targets = forward.currentTargets();
            for (Target target : targets) {
                SocketChannel candidate = null;
                try {
                    candidate = opener.open(target.namespace());
                    open.add(candidate);
                    candidate.socket().connect(new InetSocketAddress(InetAddress.getByName(target.host()), target.port()),
                            CONNECT_TIMEOUT_MS);
                    upstream = candidate;
                    break;
                } catch (IOException | RuntimeException e) {
                    failures.add(target + ": " + e.getMessage());
                    closeQuietly(candidate);
                }
            }
            if (targets.isEmpty()) {
                failures.add("no targets" + (forward.targetsFile() == null ? "" : " in " + forward.targetsFile()));
            }
        } catch (IOException | RuntimeException e) {
            failures.add(e.getMessage());
        }
        if (upstream == null) {
            log.debug("relay {}: no target took the connection ({})", forward.name(), String.join("; ", failures));
            closeQuietly(client);
            return;
        }
        SocketChannel up = upstream;
        try {
            // Small request-response exchanges (gRPC, HTTP) would otherwise wait on Nagle at every hop.
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            up.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            // a connection that closed already: the pumps find out
        }
        Thread back = Thread.ofVirtual().name("relay-" + forward.name() + "-back").start(() -> pump(up, client));
        pump(client, up);
        try {
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(client);
        closeQuietly(up);
    }

    /** Copies until {@code from} ends, then half-closes {@code to}; on an error closes both. */
    private void pump(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(SocketChannel channel) {
        if (channel == null) {
            return;
        }
        open.remove(channel);
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing left to do
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (ServerSocketChannel server : listeners) {
            try {
                server.close();
            } catch (IOException e) {
                // closing
            }
        }
        for (SocketChannel channel : List.copyOf(open)) {
            closeQuietly(channel);
        }
    }

    private static void writeAtomically(Path file, String text) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
