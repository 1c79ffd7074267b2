package io.drover.store.etcd.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One etcd member run as a child process of this JVM: Debian's {@code /usr/bin/etcd} (package
 * {@code etcd-server}, 3.4) by default. For tests, and for the lab, which starts members on its own addresses.
 *
 * <p>The process is only ever stopped through its own {@link Process} handle (its PID), never by name. A JVM
 * shutdown hook kills the members still running when the JVM exits (also when a test fails or is interrupted)
 * and deletes the data directories of those configured with {@link Config#deleteDataDirOnClose()}.
 */
public final class EtcdProcess implements AutoCloseable {
    public static final Path DEFAULT_EXECUTABLE = Path.of("/usr/bin/etcd");
    /** Overrides {@link #DEFAULT_EXECUTABLE} (a system property, or the environment variable DROVER_ETCD). */
    public static final String EXECUTABLE_PROPERTY = "drover.etcd";

    private static final Set<EtcdProcess> RUNNING = ConcurrentHashMap.newKeySet();
    /** Directories the shutdown hook deletes after killing the members (e.g. a whole test cluster's). */
    private static final Set<Path> DELETE_AT_EXIT = ConcurrentHashMap.newKeySet();
    private static final Thread SHUTDOWN_HOOK = new Thread(EtcdProcess::killAllAtExit, "drover-etcd-cleanup");
    private static volatile boolean hookInstalled;

    /**
     * TLS on the client URL: etcd serves {@code certFile}/{@code keyFile}; with a {@code trustedCaFile} it also
     * requires clients to present a certificate signed by that CA ({@code --client-cert-auth}).
     */
    public record ClientTls(Path certFile, Path keyFile, Path trustedCaFile) {
        public ClientTls {
            Objects.requireNonNull(certFile, "certFile");
            Objects.requireNonNull(keyFile, "keyFile");
        }
    }

    /**
     * How to run one member.
     *
     * @param name                 the member's name, unique in its cluster
     * @param dataDir              its data directory (created when missing)
     * @param clientUrl            where clients connect ({@code http://} or, with {@code tls}, {@code https://})
     * @param peerUrl              where the other members connect ({@code http://})
     * @param metricsUrl           plain-HTTP {@code /health} and {@code /metrics} (also with client TLS); null for none,
     *                             and then readiness is only "the client port accepts connections"
     * @param initialCluster       every member of a new cluster as {@code name=peerUrl,...}; for one member, itself
     * @param clusterToken         tells apart clusters started on the same addresses
     * @param tls                  client TLS, or null
     * @param heartbeat            Raft heartbeat interval; lease TTLs are at least 15 heartbeats (rounded up to seconds)
     * @param electionTimeout      Raft election timeout (10 heartbeats is etcd's ratio)
     * @param executable           the etcd binary
     * @param logFile              where the member's output goes (appended)
     * @param deleteDataDirOnClose whether {@link #close()} (and the shutdown hook) delete the data directory
     */
    public record Config(
            String name,
            Path dataDir,
            URI clientUrl,
            URI peerUrl,
            URI metricsUrl,
            String initialCluster,
            String clusterToken,
            ClientTls tls,
            Duration heartbeat,
            Duration electionTimeout,
            Path executable,
            Path logFile,
            boolean deleteDataDirOnClose) {

        public Config {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(clientUrl, "clientUrl");
            Objects.requireNonNull(peerUrl, "peerUrl");
            Objects.requireNonNull(initialCluster, "initialCluster");
            Objects.requireNonNull(clusterToken, "clusterToken");
            Objects.requireNonNull(heartbeat, "heartbeat");
            Objects.requireNonNull(electionTimeout, "electionTimeout");
            Objects.requireNonNull(executable, "executable");
            Objects.requireNonNull(logFile, "logFile");
            if (electionTimeout.compareTo(heartbeat.multipliedBy(5)) < 0) {
                throw new IllegalArgumentException("the election timeout " + electionTimeout
                        + " should be at least 5 heartbeats (" + heartbeat + "); etcd uses 10");
            }
        }

        /**
         * A single-member cluster: heartbeat 50 ms and election timeout 500 ms (fast elections and 1 s leases on
         * one machine), output to {@code <dataDir>.log}, the data directory kept on close.
         */
        public static Config singleMember(String name, Path dataDir, URI clientUrl, URI peerUrl) {
            return new Config(name, dataDir, clientUrl, peerUrl, null, name + "=" + peerUrl, "drover-etcd", null,
                    Duration.ofMillis(50), Duration.ofMillis(500), defaultExecutable(),
                    dataDir.resolveSibling(dataDir.getFileName() + ".log"), false);
        }

        /** This member as one of a new cluster of several; {@code initialCluster} is {@code name=peerUrl,...}. */
        public Config inCluster(String initialCluster, String clusterToken) {
            return new Config(name, dataDir, clientUrl, peerUrl, metricsUrl, initialCluster, clusterToken, tls,
                    heartbeat, electionTimeout, executable, logFile, deleteDataDirOnClose);
        }

        public Config withMetricsUrl(URI metricsUrl) {
            return new Config(name, dataDir, clientUrl, peerUrl, metricsUrl, initialCluster, clusterToken, tls,
                    heartbeat, electionTimeout, executable, logFile, deleteDataDirOnClose);
        }

        public Config withTls(ClientTls tls) {
            return new Config(name, dataDir, clientUrl, peerUrl, metricsUrl, initialCluster, clusterToken, tls,
                    heartbeat, electionTimeout, executable, logFile, deleteDataDirOnClose);
        }

        public Config withTiming(Duration heartbeat, Duration electionTimeout) {
            return new Config(name, dataDir, clientUrl, peerUrl, metricsUrl, initialCluster, clusterToken, tls,
                    heartbeat, electionTimeout, executable, logFile, deleteDataDirOnClose);
        }

        public Config withLogFile(Path logFile) {
            return new Config(name, dataDir, clientUrl, peerUrl, metricsUrl, initialCluster, clusterToken, tls,
                    heartbeat, electionTimeout, executable, logFile, deleteDataDirOnClose);
        }

        public Config deletingDataDirOnClose() {
            return new Config(name, dataDir, clientUrl, peerUrl, metricsUrl, initialCluster, clusterToken, tls,
                    heartbeat, electionTimeout, executable, logFile, true);
        }

        /** The etcd command line. */
        public List<String> command() {
            List<String> command = new ArrayList<>(List.of(
                    executable.toString(),
                    "--name", name,
                    "--data-dir", dataDir.toString(),
                    "--listen-client-urls", clientUrl.toString(),
                    "--advertise-client-urls", clientUrl.toString(),
                    "--listen-peer-urls", peerUrl.toString(),
                    "--initial-advertise-peer-urls", peerUrl.toString(),
                    "--initial-cluster", initialCluster,
                    "--initial-cluster-state", "new",
                    "--initial-cluster-token", clusterToken,
                    "--heartbeat-interval", Long.toString(heartbeat.toMillis()),
                    "--election-timeout", Long.toString(electionTimeout.toMillis()),
                    "--logger", "zap",
                    "--log-outputs", "stderr"));
            if (metricsUrl != null) {
                command.addAll(List.of("--listen-metrics-urls", metricsUrl.toString()));
            }
            if (tls != null) {
                command.addAll(List.of("--cert-file", tls.certFile().toString(), "--key-file", tls.keyFile().toString()));
                if (tls.trustedCaFile() != null) {
                    command.addAll(List.of("--trusted-ca-file", tls.trustedCaFile().toString(), "--client-cert-auth"));
                }
            }
            return command;
        }
    }

    private final Config config;
    private volatile Process process;
    private volatile boolean closed;

    private EtcdProcess(Config config) {
        this.config = config;
    }

    /** Starts the member and waits until it serves (a leader is elected), at most {@code timeout}. */
    public static EtcdProcess start(Config config, Duration timeout) {
        EtcdProcess etcd = launch(config);
        try {
            etcd.awaitReady(timeout);
            return etcd;
        } catch (RuntimeException e) {
            etcd.close();
            throw e;
        }
    }

    /**
     * Starts the member without waiting: the members of a new cluster must all be started before any can elect
     * a leader. Then {@link #awaitReady} each.
     */
    public static EtcdProcess launch(Config config) {
        EtcdProcess etcd = new EtcdProcess(config);
        etcd.spawn();
        return etcd;
    }

    public Config config() {
        return config;
    }

    public URI clientUrl() {
        return config.clientUrl();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /**
     * Waits until the member answers {@code /health} with {@code "health":"true"} (it has a leader), or, without
     * a metrics URL, until its client port accepts connections.
     *
     * @throws IllegalStateException when it exits or is not ready in time; the message carries the end of its log
     */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build()) {
            while (true) {
                Process p = process;
                if (p == null || !p.isAlive()) {
                    throw new IllegalStateException("etcd member " + config.name() + " exited"
                            + (p == null ? "" : " with status " + p.exitValue()) + " before serving; its log "
                            + config.logFile() + " ends with:\n" + logTail());
                }
                if (ready(http)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("etcd member " + config.name() + " did not become ready within "
                            + timeout.toMillis() + " ms; its log " + config.logFile() + " ends with:\n" + logTail());
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for etcd member " + config.name(), e);
        }
    }

    private boolean ready(HttpClient http) throws InterruptedException {
        if (config.metricsUrl() == null) {
            try (var socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(config.clientUrl().getHost(), config.clientUrl().getPort()),
                        500);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(config.metricsUrl().resolve("/health")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().replace(" ", "").contains("\"health\":\"true\"");
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills the member at once (SIGKILL to its own PID), as a crash would; its data directory stays. */
    public void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("etcd member " + config.name() + " (pid " + p.pid()
                        + ") did not exit within 10 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(this);
    }

    /** Starts the member again on its data directory (after {@link #kill()}), and waits until it is ready. */
    public void restart(Duration timeout) {
        if (closed) {
            throw new IllegalStateException("etcd member " + config.name() + " is closed");
        }
        kill();
        spawn();
        awaitReady(timeout);
    }

    /** Kills the member, and deletes its data directory when so configured. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        kill();
        if (config.deleteDataDirOnClose()) {
            deleteRecursively(config.dataDir());
        }
    }

    /** The last lines of the member's output, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(config.logFile(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        Process p = process;
        return "etcd " + config.name() + " at " + config.clientUrl() + (p == null ? "" : " (pid " + p.pid() + ")");
    }

    private synchronized void spawn() {
        Path executable = config.executable();
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("etcd is not installed at " + executable + ": install Debian's etcd-server "
                    + "package (apt-get install etcd-server), or name the binary with -D" + EXECUTABLE_PROPERTY
                    + "=/path/to/etcd");
        }
        try {
            Files.createDirectories(config.dataDir());
            Path logDir = config.logFile().toAbsolutePath().getParent();
            if (logDir != null) {
                Files.createDirectories(logDir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directories of etcd member " + config.name(), e);
        }
        ProcessBuilder builder = new ProcessBuilder(config.command())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(config.logFile().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = builder.environment();
        // etcd also reads ETCD_* variables; inherited ones would mix another configuration into this one.
        env.keySet().removeIf(k -> k.startsWith("ETCD_"));
        String arch = unsupportedArch();
        if (arch != null) {
            env.put("ETCD_UNSUPPORTED_ARCH", arch);
        }
        installShutdownHook();
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start etcd member " + config.name() + " (" + executable + ")", e);
        }
        RUNNING.add(this);
    }

    /** etcd 3.4 refuses to run on architectures other than amd64 and ppc64le unless told this variable. */
    private static String unsupportedArch() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64", "ppc64le" -> null;
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }

    static Path defaultExecutable() {
        String configured = System.getProperty(EXECUTABLE_PROPERTY, System.getenv("DROVER_ETCD"));
        return configured == null || configured.isBlank() ? DEFAULT_EXECUTABLE : Path.of(configured);
    }

    private static void installShutdownHook() {
        if (hookInstalled) {
            return;
        }
        synchronized (EtcdProcess.class) {
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(SHUTDOWN_HOOK);
                hookInstalled = true;
            }
        }
    }

    private static void killAllAtExit() {
        for (EtcdProcess etcd : List.copyOf(RUNNING)) {
            try {
                etcd.close();
            } catch (RuntimeException e) {
                // Best effort: the JVM is exiting.
            }
        }
        for (Path dir : List.copyOf(DELETE_AT_EXIT)) {
            try {
                deleteRecursively(dir);
            } catch (RuntimeException e) {
                // Best effort.
            }
        }
    }

    /** Has the shutdown hook delete {@code dir} too (after killing the members), unless {@link #keepAtExit}. */
    static void deleteAtExit(Path dir) {
        installShutdownHook();
        DELETE_AT_EXIT.add(dir);
    }

    static void keepAtExit(Path dir) {
        DELETE_AT_EXIT.remove(dir);
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
