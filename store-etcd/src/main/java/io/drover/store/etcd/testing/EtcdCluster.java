package io.drover.store.etcd.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * A new etcd cluster of one or three (or any number of) members on 127.0.0.1, on free ports, in a temporary
 * directory that {@link #close()} deletes (as does the JVM shutdown hook, should the test not get to close it).
 */
public final class EtcdCluster implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;

    private final Path baseDir;
    private final List<EtcdProcess> members;

    private EtcdCluster(Path baseDir, List<EtcdProcess> members) {
        this.baseDir = baseDir;
        this.members = members;
    }

    /** Starts a plain-HTTP cluster of {@code size} members and waits until every member serves. */
    public static EtcdCluster start(int size) {
        return start(size, config -> config);
    }

    /**
     * Starts a cluster of {@code size} members, each configured by {@code customize} (e.g. to add client TLS,
     * whose members then serve {@code https}), and waits until every member serves.
     */
    public static EtcdCluster start(int size, UnaryOperator<EtcdProcess.Config> customize) {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster needs at least one member, not " + size);
        }
        Path baseDir = createBaseDir();
        EtcdProcess.deleteAtExit(baseDir);
        try {
            IllegalStateException last = null;
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                try {
                    return new EtcdCluster(baseDir, startMembers(baseDir, size, attempt, customize));
                } catch (IllegalStateException e) {
                    // Most likely another process took one of the free ports between finding and binding it.
                    last = e;
                }
            }
            throw last;
        } catch (RuntimeException e) {
            EtcdProcess.deleteRecursively(baseDir);
            EtcdProcess.keepAtExit(baseDir);
            throw e;
        }
    }

    private static List<EtcdProcess> startMembers(Path baseDir, int size, int attempt,
            UnaryOperator<EtcdProcess.Config> customize) {
        List<EtcdProcess.Config> configs = new ArrayList<>();
        int[] ports = freePorts(3 * size);
        for (int i = 0; i < size; i++) {
            String name = "m" + i;
            Path dataDir = baseDir.resolve(name + "-" + attempt);
            EtcdProcess.Config config = EtcdProcess.Config.singleMember(name, dataDir,
                            URI.create("http://127.0.0.1:" + ports[3 * i]), URI.create("http://127.0.0.1:" + ports[3 * i + 1]))
                    .withMetricsUrl(URI.create("http://127.0.0.1:" + ports[3 * i + 2]))
                    .deletingDataDirOnClose();
            configs.add(customize.apply(config));
        }
        String initialCluster = configs.stream().map(c -> c.name() + "=" + c.peerUrl())
                .collect(Collectors.joining(","));
        String token = "drover-" + UUID.randomUUID();
        List<EtcdProcess> started = new ArrayList<>();
        try {
            for (EtcdProcess.Config config : configs) {
                EtcdProcess.Config member = config.inCluster(initialCluster, token);
                if (member.tls() != null) {
                    member = withScheme(member, "https");
                }
                started.add(EtcdProcess.launch(member));
            }
            for (EtcdProcess member : started) {
                member.awaitReady(READY_TIMEOUT);
            }
            return List.copyOf(started);
        } catch (RuntimeException e) {
            started.forEach(EtcdProcess::close);
            throw e;
        }
    }

    private static EtcdProcess.Config withScheme(EtcdProcess.Config c, String scheme) {
        URI client = URI.create(scheme + "://" + c.clientUrl().getHost() + ":" + c.clientUrl().getPort());
        return new EtcdProcess.Config(c.name(), c.dataDir(), client, c.peerUrl(), c.metricsUrl(), c.initialCluster(),
                c.clusterToken(), c.tls(), c.heartbeat(), c.electionTimeout(), c.executable(), c.logFile(),
                c.deleteDataDirOnClose());
    }

    /** A fresh directory, in memory (/dev/shm) when there is one: etcd fsyncs every commit. */
    private static Path createBaseDir() {
        Path shm = Path.of("/dev/shm");
        try {
            if (Files.isDirectory(shm) && Files.isWritable(shm)) {
                return Files.createTempDirectory(shm, "drover-etcd-");
            }
            return Files.createTempDirectory("drover-etcd-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for etcd", e);
        }
    }

    /** Ports free right now on 127.0.0.1 (all held open together, so they are distinct). */
    private static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, loopback);
                socket.setReuseAddress(true);
                sockets.add(socket);
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free ports on 127.0.0.1", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Only a probe.
                }
            }
        }
    }

    public List<EtcdProcess> members() {
        return members;
    }

    public EtcdProcess member(int index) {
        return members.get(index);
    }

    /** Every member's client URL. */
    public List<URI> clientUrls() {
        return members.stream().map(EtcdProcess::clientUrl).toList();
    }

    /** The client URLs as etcd's tools write them: comma-separated. */
    public String endpoints() {
        return clientUrls().stream().map(URI::toString).collect(Collectors.joining(","));
    }

    /** Kills every member (by its own PID) and deletes the cluster's directory. Idempotent. */
    @Override
    public void close() {
        for (EtcdProcess member : members) {
            member.close();
        }
        EtcdProcess.deleteRecursively(baseDir);
        EtcdProcess.keepAtExit(baseDir);
    }

    @Override
    public String toString() {
        return "etcd cluster " + endpoints();
    }
}
