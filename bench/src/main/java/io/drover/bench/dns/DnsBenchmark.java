package io.drover.bench.dns;

import io.drover.api.client.DroverClient;
import io.drover.bench.BenchStats;
import io.drover.model.Resource;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.policy.PortReference;
import io.drover.model.service.Service;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import io.drover.model.tenant.Namespace;
import io.drover.server.DroverServer;
import io.drover.server.ServerOptions;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code bench/run dns}: Drover's DNS server against bind9 serving the same records, on this machine, in one run.
 *
 * <ol>
 *   <li>A generated catalog ({@link DnsCatalog}) goes into an API server (in this process, embedded store) and into
 *       a zone file. {@code drover dns} runs as its own process, fed by the server's list and watch over REST; bind9's
 *       {@code named} loads the zone file. Both listen on loopback ports and serve on the same number of threads
 *       ({@code --threads N}, {@code named -n N}); before anything is measured, both must answer a sample of names
 *       alike.</li>
 *   <li>Throughput: dnsperf with the same query file, duration, clients and outstanding queries against each, in
 *       turns (after a warm-up of each), several rounds; the median of each. {@code dns.qps_ratio} is Drover's over
 *       bind9's.</li>
 *   <li>Latency: dnsperf at a fixed rate (half the slower server's throughput, so that neither queues), every
 *       reply's latency; {@code dns.p99_ms} is Drover's 99th percentile, bind9's beside it.</li>
 *   <li>Propagation: {@link Propagation}, 100 endpoint changes; {@code dns.propagation_ms} is the 99th percentile.</li>
 * </ol>
 * Options: {@link DnsBenchOptions}.
 */
public final class DnsBenchmark {

    private static final int WARMUP_SECONDS = 5;
    private static final int LATENCY_SECONDS = 5;

    private DnsBenchmark() {}

    public static void main(String[] args) throws Exception {
        DnsBenchOptions options;
        try {
            options = DnsBenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        requireTool("dnsperf", "dnsperf");
        Path work = Files.createTempDirectory("drover-bench-dns-");
        List<AutoCloseable> running = new ArrayList<>();
        // Ctrl-C ends the JVM without unwinding main: the hook stops the DNS servers and removes the files anyway.
        Thread cleanup = new Thread(() -> closeAll(running, work), "drover-bench-dns-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            run(options, work, running);
        } finally {
            closeAll(running, work);
        }
    }

    private static void run(DnsBenchOptions o, Path work, List<AutoCloseable> running) throws Exception {
        System.out.printf("dns.machine = %d CPUs, load average %s%n", Runtime.getRuntime().availableProcessors(), load());
        DnsCatalog catalog = DnsCatalog.generate(o.namespaces(), o.services());
        DroverServer server = DroverServer.start(ServerOptions.embedded(work.resolve("server"), "127.0.0.1", 0));
        synchronized (running) {
            running.add(server);
        }
        URI url = URI.create("http://127.0.0.1:" + server.port());
        try (DroverClient api = new DroverClient(url)) {
            long start = System.nanoTime();
            for (Resource r : catalog.resources()) {
                api.create(r);
            }
            api.create(Namespace.of(ObjectMeta.named(Propagation.NAMESPACE), new Namespace.NamespaceSpec(null)));
            api.create(Service.of(ObjectMeta.named(Propagation.NAMESPACE, Propagation.SERVICE), ServiceSpec.builder()
                    .clusterIP(ServiceSpec.HEADLESS).ports(new ServicePort("http", "TCP", DnsCatalog.PORT,
                            PortReference.number(DnsCatalog.PORT), null, null)).build()));
            api.create(DnsCatalog.endpoints(Propagation.NAMESPACE, Propagation.SERVICE, List.of(Propagation.address(0))));
            System.out.printf("dns.catalog = %s, written through the API in %.1f s%n", catalog,
                    (System.nanoTime() - start) / 1e9);

            DroverDnsProcess drover = DroverDnsProcess.start(url.toString(), freePort(), o.threads(), work, o.jfr());
            synchronized (running) {
                running.add(drover);
            }
            NamedServer named = NamedServer.start(catalog.zoneFile(), freePort(), o.threads());
            synchronized (running) {
                running.add(named);
            }
            System.out.printf("dns.servers = drover dns (pid %d) on %s and named (pid %d) on %s, %d threads each"
                    + " (drover dns --threads %d, named -n %d)%n", drover.pid(), display(drover.address()), named.pid(),
                    display(named.address()), o.threads(), o.threads(), o.threads());
            checkSameAnswers(catalog, drover.address(), named.address());

            Path queries = work.resolve("queries.txt");
            Files.writeString(queries, catalog.queryFile());
            DnsPerf.Load load = new DnsPerf.Load(queries, o.seconds(), o.clients(), 1, 100);
            DnsPerf.Load warmup = new DnsPerf.Load(queries, WARMUP_SECONDS, o.clients(), 1, 100);
            DnsPerf.throughput(drover.address(), warmup);
            DnsPerf.throughput(named.address(), warmup);

            double[] droverQps = new double[o.rounds()];
            double[] bindQps = new double[o.rounds()];
            for (int r = 0; r < o.rounds(); r++) {
                // Alternate who goes first, so that a drift in the machine's load does not favour one.
                if (r % 2 == 0) {
                    droverQps[r] = measured(drover.address(), load, "drover");
                    bindQps[r] = measured(named.address(), load, "bind9");
                } else {
                    bindQps[r] = measured(named.address(), load, "bind9");
                    droverQps[r] = measured(drover.address(), load, "drover");
                }
            }
            double bind = BenchStats.median(bindQps);
            double ours = BenchStats.median(droverQps);

            int rate = (int) Math.max(1000, Math.min(bind, ours) / 2);
            DnsPerf.Load latencyLoad = new DnsPerf.Load(queries, LATENCY_SECONDS, o.clients(), 1, 100);
            DnsPerf.Latencies droverLatency = DnsPerf.latencies(drover.address(), latencyLoad, rate,
                    DnsCatalog::expectedRcode);
            DnsPerf.Latencies bindLatency = DnsPerf.latencies(named.address(), latencyLoad, rate,
                    DnsCatalog::expectedRcode);
            warnAboutWrongAnswers("drover", droverLatency);
            warnAboutWrongAnswers("bind9", bindLatency);

            long[] writes = new long[o.changes()];
            long[] propagation = Propagation.measure(api, drover.address(), o.changes(), writes);

            System.out.printf("dns.load = dnsperf -c %d -T 1 -q 100, %d s per run, %d rounds, %d queries in the file%n",
                    o.clients(), o.seconds(), o.rounds(), catalog.queryFile().lines().count());
            System.out.printf("dns.anchor.bind9_qps = %.0f  (runs: %s)%n", bind, runs(bindQps));
            System.out.printf("dns.drover_qps = %.0f  (runs: %s)%n", ours, runs(droverQps));
            System.out.printf("dns.anchor.bind9_p99_ms = %.3f  (at %d qps; p50 %.3f ms; %d replies, %d lost; %s)%n",
                    ms(BenchStats.percentile(bindLatency.nanos(), 0.99)), rate,
                    ms(BenchStats.percentile(bindLatency.nanos(), 0.50)), bindLatency.nanos().length, bindLatency.lost(),
                    bindLatency.rcodes());
            System.out.printf("dns.p99_ms = %.3f  (at %d qps; p50 %.3f ms; %d replies, %d lost; %s)%n",
                    ms(BenchStats.percentile(droverLatency.nanos(), 0.99)), rate,
                    ms(BenchStats.percentile(droverLatency.nanos(), 0.50)), droverLatency.nanos().length,
                    droverLatency.lost(), droverLatency.rcodes());
            System.out.printf("dns.propagation_p50_ms = %.1f  (of which the API write: p50 %.1f ms)%n",
                    ms(BenchStats.percentile(propagation, 0.50)), ms(BenchStats.percentile(writes, 0.50)));
            System.out.printf("dns.propagation_ms = %.1f  (p99 over %d endpoint changes, API write to DNS answer; target"
                    + " <= 100)%n", ms(BenchStats.percentile(propagation, 0.99)), o.changes());
            System.out.printf("dns.machine_after = load average %s%n", load());
            System.out.printf("dns.qps_ratio = %.3f  (Drover / bind9, %d threads each; target >= 1.0)%n", ours / bind,
                    o.threads());
        }
    }

    private static double measured(InetSocketAddress server, DnsPerf.Load load, String who) throws Exception {
        DnsPerf.Throughput t = DnsPerf.throughput(server, load);
        if (t.lost() > t.completed() / 100) {
            System.out.printf("dns.warning = %s lost %d of %d queries in a run%n", who, t.lost(), t.completed() + t.lost());
        }
        return t.qps();
    }

    private static void warnAboutWrongAnswers(String who, DnsPerf.Latencies latencies) {
        if (!latencies.wrong().isEmpty()) {
            int total = latencies.wrong().values().stream().mapToInt(Integer::intValue).sum();
            System.out.printf("dns.warning = %s answered %d replies with an rcode the catalog does not say, e.g. %s%n",
                    who, total, latencies.wrong().entrySet().stream().limit(5).toList());
        }
    }

    /** Both servers must give the same answer to each sample name before either is measured. */
    private static void checkSameAnswers(DnsCatalog catalog, InetSocketAddress drover, InetSocketAddress named)
            throws IOException {
        for (String[] q : catalog.samples()) {
            List<String> ours = Probe.summary(Probe.ask(drover, q[0], q[1], java.time.Duration.ofSeconds(2)));
            List<String> theirs = Probe.summary(Probe.ask(named, q[0], q[1], java.time.Duration.ofSeconds(2)));
            if (!ours.equals(theirs)) {
                throw new IllegalStateException("the two servers answer " + q[0] + " " + q[1] + " differently: Drover "
                        + ours + ", bind9 " + theirs + "; the zone file does not hold what Drover serves");
            }
        }
        System.out.printf("dns.check = both servers answer the %d sample names alike (A, headless A, endpoint A, SRV,"
                + " NXDOMAIN, TXT)%n", catalog.samples().size());
    }

    /** A port free for both UDP and TCP on loopback now. */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                int port = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException taken) {
                    // taken for TCP: try another
                }
            }
        }
        throw new IOException("no loopback port free for both UDP and TCP after 20 tries");
    }

    private static void requireTool(String program, String pkg) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return;
            }
        }
        throw new IllegalStateException(program + " is not installed; bench/run dns installs it (apt-get install " + pkg
                + ")");
    }

    private static void closeAll(List<AutoCloseable> running, Path work) {
        List<AutoCloseable> toClose;
        synchronized (running) {
            toClose = new ArrayList<>(running.reversed());
            running.clear();
        }
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("dns bench: stopping " + c.getClass().getSimpleName() + ": " + e);
            }
        }
        try (Stream<Path> paths = Files.walk(work)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // already gone
        }
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String runs(double[] qps) {
        List<String> out = new ArrayList<>();
        for (double q : qps) {
            out.add(String.format(Locale.ROOT, "%.0f", q));
        }
        return String.join(" ", out);
    }

    private static double ms(double nanos) {
        return nanos / 1e6;
    }

    private static String display(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
