package io.drover.bench.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * bind9's {@code named}, the anchor: authoritative for the catalog's zone on a loopback port, no recursion, the given
 * number of worker threads ({@code -n}), logging to a file. Its files live in a directory of their own under
 * {@code /var/cache/bind} (where Debian's AppArmor profile lets named read and write) and go when it stops. It answers
 * as Drover does: no authority section in positive answers, SRV targets' addresses in the additional section
 * ({@code minimal-responses no-auth}); no rndc channel, so it opens no other port.
 */
final class NamedServer implements AutoCloseable {

    private static final Path BIND_CACHE = Path.of("/var/cache/bind");

    private final Path dir;
    private final Process process;
    private final InetSocketAddress address;

    private NamedServer(Path dir, Process process, InetSocketAddress address) {
        this.dir = dir;
        this.process = process;
        this.address = address;
    }

    static NamedServer start(String zoneText, int port, int threads) throws IOException, InterruptedException {
        Path named = Path.of("/usr/sbin/named");
        if (!Files.isExecutable(named)) {
            throw new IllegalStateException("bind9's named is not installed; bench/run dns installs it (apt-get install"
                    + " bind9)");
        }
        Path base = Files.isDirectory(BIND_CACHE) ? BIND_CACHE : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = Files.createTempDirectory(base, "drover-bench-dns-");
        Files.writeString(dir.resolve("cluster.local.zone"), zoneText);
        Files.writeString(dir.resolve("named.conf"), """
                options {
                    directory "%s";
                    listen-on port %d { 127.0.0.1; };
                    listen-on-v6 { none; };
                    recursion no;
                    dnssec-validation no;
                    notify no;
                    minimal-responses no-auth;
                    pid-file none;
                    querylog no;
                };
                controls { };
                zone "cluster.local" { type primary; file "cluster.local.zone"; };
                """.formatted(dir, port));
        Process p = new ProcessBuilder(List.of(named.toString(), "-g", "-c", dir.resolve("named.conf").toString(),
                "-n", Integer.toString(threads)))
                .redirectErrorStream(true).redirectOutput(dir.resolve("named.log").toFile()).start();
        NamedServer server = new NamedServer(dir, p, new InetSocketAddress("127.0.0.1", port));
        try {
            Probe.awaitAnswer(server.address, "dns-version.cluster.local.", Duration.ofSeconds(20), p,
                    () -> tail(dir.resolve("named.log")));
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    InetSocketAddress address() {
        return address;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
