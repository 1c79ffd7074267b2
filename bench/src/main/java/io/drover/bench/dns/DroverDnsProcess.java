package io.drover.bench.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code drover dns} as its own process, as it is deployed beside an API server: it lists and watches the server over
 * REST and answers on a loopback port with the given number of threads. The JVM runs with the serial collector (no
 * concurrent GC threads competing with the workers on a small machine), the JIT's full tiers (a long-running server)
 * and a fixed heap; with a JFR file it records a profile of the run.
 */
final class DroverDnsProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final InetSocketAddress address;

    private DroverDnsProcess(Process process, Path log, InetSocketAddress address) {
        this.process = process;
        this.log = log;
        this.address = address;
    }

    /** @param jfr where to write a JFR profile, or null for none */
    static DroverDnsProcess start(String serverUrl, int port, int threads, Path work, Path jfr) throws IOException,
            InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-XX:+UseSerialGC", "-Xms512m", "-Xmx512m",
                "-DDROVER_LOG_LEVEL=WARN"));
        if (jfr != null) {
            command.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.drover.cli.Main", "dns", "--server",
                serverUrl, "--listen", "127.0.0.1:" + port, "--threads", Integer.toString(threads), "--ttl",
                Long.toString(DnsCatalog.TTL)));
        Path log = work.resolve("drover-dns.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        DroverDnsProcess dns = new DroverDnsProcess(p, log, new InetSocketAddress("127.0.0.1", port));
        try {
            Probe.awaitAnswer(dns.address, "dns-version." + DnsCatalog.DOMAIN + ".", Duration.ofSeconds(60), p,
                    dns::logText);
        } catch (RuntimeException | InterruptedException e) {
            dns.close();
            throw e;
        }
        return dns;
    }

    InetSocketAddress address() {
        return address;
    }

    long pid() {
        return process.pid();
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: the JVM's shutdown hook closes the server (and ends a JFR recording)
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
