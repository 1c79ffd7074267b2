package io.drover.bench;

import io.drover.agent.desired.DesiredCrossNode;
import io.drover.agent.desired.DesiredNode;
import io.drover.agent.desired.ServiceCalculator;
import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.agent.reconcile.Reconciler;
import io.drover.agent.reconcile.SyncResult;
import io.drover.agent.rules.BridgeNetwork;
import io.drover.agent.rules.ServiceNodeConfig;
import io.drover.agent.rules.ServiceRules;
import io.drover.model.net.Cidr;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoints;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The services benchmark (issue 5): how long the agent takes to program 10,000 services of 10 endpoints, to add one
 * more (five times, one after another: the median), and whether connections to a service slow down when 10,000 are
 * installed. Beside it, as an anchor cited (not
 * measured here): kube-proxy's nftables mode, about 9 minutes for 10,000 services and 141 ms to add one.
 *
 * <p>Everything runs through the agent's own path: the store's {@link Service} and {@link ServiceEndpoints} objects,
 * {@link ServiceCalculator} (one instance, as the agent keeps one), a {@link DesiredNode}, the {@link Reconciler} and
 * {@link LinuxKernel}, in throwaway namespaces ({@link ServicesLab}). A sync is timed from the store objects to the
 * kernel's acknowledgement, then checked: the kernel's endpoint map must hold every endpoint, the added service must
 * answer, and every connection of the rate measurement must succeed, so that no figure comes from a broken table.
 *
 * <p>Usage: {@code bench/run services [SERVICES] [ENDPOINTS] [SECONDS] [ROUNDS]} (defaults 10000 10 5 2); smaller
 * sizes make quick runs.
 */
public final class ServicesBenchmark {

    private static final ServiceNodeConfig CONFIG = new ServiceNodeConfig(List.of(Cidr.parse("10.96.0.0/12")),
            List.of(), List.of());
    private static final int SOCKET_BATCH = 256;
    private static final int CONNECT_TIMEOUT_MS = 1000;
    /** How many times one more service is added and timed. */
    private static final int ADDED = 5;

    private final LinuxKernel kernel;
    private final ServicesLab lab;
    private final ServiceCalculator calculator = new ServiceCalculator();
    private Reconciler reconciler;

    private ServicesBenchmark(LinuxKernel kernel, ServicesLab lab) {
        this.kernel = kernel;
        this.lab = lab;
        this.reconciler = new Reconciler(kernel);
    }

    public static void main(String[] args) throws Exception {
        int services = intArg(args, 0, 10_000);
        int endpoints = intArg(args, 1, 10);
        int seconds = intArg(args, 2, 5);
        int rounds = intArg(args, 3, 2);
        if (services < 11 || endpoints < 1 || endpoints > 250 || seconds < 1 || rounds < 1) {
            fail("usage: bench/run services [SERVICES >= 11] [ENDPOINTS 1-250] [SECONDS >= 1] [ROUNDS >= 1]");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            fail("the services benchmark makes network namespaces: run it as root");
        }
        String prefix = "drvsvcb-" + ProcessHandle.current().pid() + "-";
        try (LinuxKernel kernel = new LinuxKernel(); ServicesLab lab = new ServicesLab(kernel, prefix)) {
            new ServicesBenchmark(kernel, lab).run(services, endpoints, seconds, rounds);
        }
    }

    private void run(int count, int endpoints, int seconds, int rounds) throws IOException {
        List<String> pods = new ArrayList<>();
        for (int i = 1; i <= endpoints; i++) {
            pods.add("10.180.0." + i);
        }
        progress("building the lab: a node, a client pod and " + endpoints + " endpoint pods");
        lab.build(pods);
        ServicesCatalog.Entry target = ServicesCatalog.served("target", ServicesCatalog.clusterIp(count - 1), pods);
        List<ServicesCatalog.Entry> added = new ArrayList<>();
        for (int i = 0; i < ADDED; i++) {
            added.add(ServicesCatalog.served("added-" + i, ServicesCatalog.clusterIp(count + i), pods));
        }
        progress("making " + (count - 1) + " filler services of " + endpoints + " endpoints (store objects)");
        List<ServicesCatalog.Entry> all = new ArrayList<>();
        for (int i = 0; i < count - 1; i++) {
            all.add(ServicesCatalog.filler(i, endpoints));
        }
        all.add(target);
        List<ServicesCatalog.Entry> few = new ArrayList<>(all.subList(0, 9));
        few.add(target);
        List<ServicesCatalog.Entry> more = new ArrayList<>(all);

        System.out.printf("services.cpus = %d%n", Runtime.getRuntime().availableProcessors());
        System.out.printf("services.size = %d services x %d endpoints (TCP, ClusterIP, random)%n", count, endpoints);

        // Cold: no table at all, as on a node's first start with services already in the store.
        progress("cold sync: " + count + " services into a node without a table");
        double cold = sync(all) / 1e9;
        checkEndpoints((long) count * endpoints);
        // The usual case: the agent runs (its table exists, without services) and the services arrive.
        progress("back to no services, then " + count + " services again");
        sync(List.of());
        checkEndpoints(0);
        reconciler = new Reconciler(kernel); // a fresh agent: it reads the table once, then writes elements
        sync(List.of());
        long warmCpu = processCpuNanos();
        double warm = sync(all) / 1e9;
        double warmCpuSeconds = (processCpuNanos() - warmCpu) / 1e9;
        checkEndpoints((long) count * endpoints);
        // One more service, several times (each one more than the last): compute what changed, write its elements.
        // A single addition measures the JIT's first pass over paths the large syncs did not take as much as the work.
        progress("adding one service, " + ADDED + " times");
        sync(all); // nothing to do: equal rules, the kernel untouched
        double[] addOne = new double[ADDED];
        double[] addOneCpu = new double[ADDED];
        for (int i = 0; i < ADDED; i++) {
            more.add(added.get(i));
            long cpu = processCpuNanos();
            addOne[i] = sync(more) / 1e6;
            addOneCpu[i] = (processCpuNanos() - cpu) / 1e6;
        }
        checkEndpoints((long) (count + ADDED) * endpoints);
        Rate check = rate(added.getFirst().clusterIp(), 5_000, 50);
        if (check.ok() != 50) {
            fail("the added service answered " + check.ok() + " of 50 connections: " + check.firstFailure());
        }

        progress("connection rate to " + target.clusterIp() + ":80, " + seconds + " s each, " + rounds
                + " rounds of " + more.size() + " then 10 services installed");
        double big = 0;
        double small = 0;
        List<String> samples = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            sync(more);
            Rate withMany = rate(target.clusterIp(), seconds * 1000L, Integer.MAX_VALUE);
            sync(few);
            checkEndpoints(10L * endpoints);
            Rate withFew = rate(target.clusterIp(), seconds * 1000L, Integer.MAX_VALUE);
            for (Rate rate : List.of(withMany, withFew)) {
                if (rate.failed() > 0) {
                    fail(rate.failed() + " of " + (rate.ok() + rate.failed()) + " connections failed, the first: "
                            + rate.firstFailure());
                }
            }
            big += withMany.perSecond();
            small += withFew.perSecond();
            samples.add(String.format(Locale.ROOT, "%.0f/%.0f", withMany.perSecond(), withFew.perSecond()));
        }

        System.out.printf(Locale.ROOT, "services.sync_10k_seconds = %.3f  (%d services x %d endpoints, from the store"
                + " objects to the kernel's ack, into the agent's table without services: element changes through"
                + " netlink)%n", warm, count, endpoints);
        System.out.printf(Locale.ROOT, "services.sync_10k_cold_seconds = %.3f  (the same into a node without the table:"
                + " the whole table through one nft -f)%n", cold);
        System.out.printf(Locale.ROOT, "services.add_one_ms = %.1f  (median of %d additions of one more service when"
                + " %d to %d exist, each from the store objects to the kernel's ack; each: %s)%n", BenchStats.median(addOne),
                ADDED, count, count + ADDED - 1, joined(addOne));
        // CPU beside wall time: on a machine others load, the wall time waits for the CPU too; the CPU time does not.
        System.out.printf(Locale.ROOT, "services.add_one_cpu_ms = %.2f  (median CPU time of the process's Java threads"
                + " during each addition, the kernel's work for them included, GC and JIT not; each: %s)%n",
                BenchStats.median(addOneCpu), joined(addOneCpu));
        System.out.printf(Locale.ROOT, "services.sync_10k_cpu_seconds = %.3f  (the same for the sync_10k sync)%n",
                warmCpuSeconds);
        System.out.printf(Locale.ROOT, "services.scale_ratio = %.3f  (TCP connects per second to one service with %d"
                + " installed / with 10 installed; per round %s)%n", big / small, more.size(), String.join(" ", samples));
        System.out.println("services.anchor = kube-proxy nftables mode: about 9 minutes for 10,000 services, 141 ms to"
                + " add one (cited from its KEP and blog, not measured here)");
        System.out.println("services.targets = sync_10k_seconds <= 2, add_one_ms <= 20, scale_ratio >= 0.95");
    }

    private static String joined(double[] samples) {
        return java.util.Arrays.stream(samples).mapToObj(v -> String.format(Locale.ROOT, "%.2f", v))
                .collect(Collectors.joining(" "));
    }

    /**
     * The CPU time of the process's Java threads so far (the sync thread and the namespace threads doing its netlink
     * work, user and system: the kernel's work for their syscalls included; not the JVM's GC and JIT threads), in
     * nanoseconds: the process's own CPU clock counts in 10 ms ticks here, too coarse for one addition.
     */
    private static long processCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : threads.getAllThreadIds()) {
            sum += Math.max(0, threads.getThreadCpuTime(id)); // -1: the thread ended meanwhile
        }
        return sum;
    }

    /** One sync of the agent's path for these services; answers its nanoseconds. Fails the run on any error. */
    private long sync(List<ServicesCatalog.Entry> entries) {
        List<Service> services = new ArrayList<>(entries.size());
        List<ServiceEndpoints> endpoints = new ArrayList<>(entries.size());
        entries.forEach(e -> {
            services.add(e.service());
            endpoints.add(e.endpoints());
        });
        long start = System.nanoTime();
        ServiceRules rules = calculator.calculate(ServicesCatalog.NODE, CONFIG, services, endpoints);
        SyncResult result = reconciler.sync(node(rules));
        long took = System.nanoTime() - start;
        if (!result.ok()) {
            fail("sync of " + entries.size() + " services failed: " + result.errors());
        }
        return took;
    }

    private DesiredNode node(ServiceRules services) {
        return new DesiredNode(ServicesCatalog.NODE, lab.node(), List.of(), List.of(), List.of(), Map.of(),
                List.of(new BridgeNetwork("pods", ServicesLab.BRIDGE, List.of(Cidr.parse("10.0.0.0/8")), false)),
                List.of(), List.of(), null, List.of(), DesiredCrossNode.NONE, null, services);
    }

    /** The kernel's endpoint map holds exactly this many elements (nft lists each as two concatenations). */
    private void checkEndpoints(long expected) {
        String json = ServicesLab.run("ip", "netns", "exec", lab.node().path().getFileName().toString(), "nft", "-j",
                "list", "map", "inet", "drover", "service_endpoints4");
        long concats = json.split("\"concat\"", -1).length - 1;
        if (concats != 2 * expected) {
            fail("the kernel's service_endpoints4 holds " + concats / 2 + " elements, not " + expected);
        }
    }

    private record Rate(int ok, int failed, double perSecond, String firstFailure) {}

    /**
     * TCP connections to {@code address:80} one after another from the client pod, for {@code millis} or
     * {@code limit} connections, whichever comes first; each is closed at once with a reset (no TIME_WAIT).
     */
    private Rate rate(String address, long millis, int limit) throws IOException {
        // The syncs before leave garbage behind; collected now, not during the measurement.
        System.gc();
        InetSocketAddress to = new InetSocketAddress(address, 80);
        int ok = 0;
        int failed = 0;
        String firstFailure = null;
        long start = System.nanoTime();
        long deadline = start + millis * 1_000_000L;
        while (System.nanoTime() < deadline && ok + failed < limit) {
            for (SocketChannel channel : lab.clientSockets(Math.min(SOCKET_BATCH, limit - ok - failed))) {
                try (channel) {
                    channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                    if (System.nanoTime() >= deadline) {
                        continue;
                    }
                    channel.socket().connect(to, CONNECT_TIMEOUT_MS);
                    ok++;
                } catch (IOException e) {
                    failed++;
                    firstFailure = firstFailure != null ? firstFailure : e.toString();
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Rate(ok, failed, ok / seconds, firstFailure);
    }

    private static int intArg(String[] args, int i, int fallback) {
        if (args.length <= i) {
            return fallback;
        }
        try {
            return Integer.parseInt(args[i]);
        } catch (NumberFormatException e) {
            fail("'" + args[i] + "' is not a number; usage: bench/run services [SERVICES] [ENDPOINTS] [SECONDS] [ROUNDS]");
            return fallback;
        }
    }

    private static void progress(String line) {
        System.err.println("# " + line);
    }

    private static void fail(String message) {
        throw new IllegalStateException("services benchmark: " + message);
    }
}
