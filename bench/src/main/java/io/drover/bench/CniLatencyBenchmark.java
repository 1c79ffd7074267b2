package io.drover.bench;

import io.drover.agent.NodeAgent;
import io.drover.agent.cni.CniAgent;
import io.drover.agent.cni.CniService;
import io.drover.agent.desired.ManagedPodNamespaces;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.api.registry.StoreResourceRegistry;
import io.drover.cni.DroverCniExecutable;
import io.drover.controllers.Controllers;
import io.drover.controllers.ipam.IpamPodAddressing;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * CNI ADD and DEL latency of Drover beside the reference plugins (bridge + host-local, containernetworking-plugins),
 * on the same machine in the same run: {@code PODS} containers (default 200) attached one after the other, then
 * detached one after the other, through each plugin as a runtime runs it.
 *
 * <ul>
 *   <li>Drover: the real drover-cni executable talking to an in-process node agent on the Linux kernel, with the
 *       server's pieces in-process too (SQLite store, registry, IPAM controller), so an ADD includes the store
 *       writes, IPAM's allocation and the agent's sync.</li>
 *   <li>Reference: /usr/lib/cni/bridge with host-local IPAM (its dataDir in a temporary directory), bridge with a
 *       gateway and hairpin mode, as Drover's.</li>
 * </ul>
 *
 * Both plugins run inside their own throwaway node namespace through {@code ip netns exec}, so both pay the same
 * launch cost (printed as {@code cni.launch_p50_ms}); container namespaces are made before the clock starts.
 * Untimed ADD and DEL pairs warm both up first: 300 by default ({@code -Ddrover.bench.warmup=N}, through
 * {@code DROVER_BENCH_JAVA_OPTS}), over 10 containers of their own so that the measured node is no busier for them.
 * The agent is a long-running process and what a runtime meets is its steady state; its first few hundred calls
 * still run partly interpreted while the JIT compiles the path (with 10 warm-up pairs an ADD took about 4 ms more).
 * Needs root. Everything it makes (namespaces {@code drvt-bench-*}, files) is removed at the end, also on failure.
 * The last line is {@code cni.add_p50_ratio = R} (Drover / reference; target: R <= 1.0).
 */
public final class CniLatencyBenchmark {

    private static final Path REFERENCE = Path.of("/usr/lib/cni");
    private static final String PATH = "/usr/sbin:/usr/bin:/sbin:/bin";
    /** Containers of the warm-up, each attached and detached in turn. */
    private static final int WARMUP = 10;
    /** Warm-up ADD and DEL pairs per plugin. */
    private static final int WARMUP_CALLS = Integer.getInteger("drover.bench.warmup", 300);

    private record Samples(long[] addNanos, long[] delNanos) {}

    private final String prefix =
            "drvt-bench-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(4) + "-";
    private final Path work;

    private CniLatencyBenchmark(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        int pods = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        requireMachine();
        Path work = Files.createTempDirectory("drover-bench-cni-");
        CniLatencyBenchmark bench = new CniLatencyBenchmark(work);
        // Also when interrupted (Ctrl-C): no namespace, bridge or file of the run outlives it.
        Thread hook = Thread.ofPlatform().unstarted(bench::cleanUp);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            bench.run(pods);
        } finally {
            bench.cleanUp();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already (interrupted): the hook has cleaned up too
            }
        }
    }

    private static void requireMachine() throws IOException {
        String status = Files.readString(Path.of("/proc/self/status"));
        if (status.lines().noneMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"))) {
            fail("bench/run cni-latency needs root: it makes network namespaces, bridges and veth pairs");
        }
        for (String plugin : List.of("bridge", "host-local")) {
            if (!Files.isExecutable(REFERENCE.resolve(plugin))) {
                fail("the reference plugin " + REFERENCE.resolve(plugin) + " is missing: apt-get install -y"
                        + " containernetworking-plugins");
            }
        }
    }

    private static void fail(String message) {
        System.err.println("error: " + message);
        System.exit(2);
    }

    private void run(int pods) throws Exception {
        System.out.printf("cni.pods = %d%n", pods);
        System.out.printf("cni.warmup_pairs = %d  (untimed ADD and DEL pairs per plugin first: -Ddrover.bench.warmup=N)%n", WARMUP_CALLS);
        double launch = median(launchCost(50));
        Path droverPlugins = DroverCniExecutable.install(work.resolve("plugins"), DroverCniExecutable.TYPE).getParent();
        String droverNode = namespace("drover-node");
        try (SqliteKeyValueStore store = SqliteKeyValueStore.open(work.resolve("store"));
                LinuxKernel kernel = new LinuxKernel()) {
            // As a server: the registry of the API (here the agent's) addresses pods in their create, the controllers'
            // needs no addressing (see DroverServer).
            StoreResourceRegistry plain = new StoreResourceRegistry(store);
            StoreResourceRegistry registry = plain.withPodAddressing(IpamPodAddressing.on(store, plain));
            registry.ensureDefaults();
            registry.create(Network.of(ObjectMeta.named("bench"), NetworkSpec.of("10.200.0.0/16")));
            try (Controllers controllers = Controllers.start(store, plain);
                    CniAgent agent = CniAgent.start("bench-node", registry, kernel,
                            new ManagedPodNamespaces(prefix, NetNs.named(droverNode)), work.resolve("agent.sock"),
                            CniAgent.AGENT_OPTIONS, CniService.Options.DEFAULTS)) {
                Plugin drover = new Plugin("drover", droverNode, droverPlugins, "drover",
                        "{\"cniVersion\":\"1.0.0\",\"name\":\"bench\",\"type\":\"drover\",\"socket\":\""
                                + agent.socket() + "\"}");
                Plugin reference = new Plugin("reference", namespace("ref-node"), REFERENCE, "bridge",
                        "{\"cniVersion\":\"1.0.0\",\"name\":\"refbench\",\"type\":\"bridge\",\"bridge\":"
                                + "\"cni-bench0\",\"isGateway\":true,\"ipMasq\":false,\"hairpinMode\":true,\"ipam\":"
                                + "{\"type\":\"host-local\",\"subnet\":\"10.201.0.0/16\",\"dataDir\":\""
                                + work.resolve("host-local") + "\"}}");
                List<Plugin> both = List.of(drover, reference);
                Map<Plugin, Samples> samples = measure(both, pods, () -> {
                    // With every container attached: what one sync of the node costs the agent now (the ADD path
                    // waits for two).
                    long[] syncs = new long[5];
                    for (int i = 0; i < syncs.length; i++) {
                        agent.agent().requestSync();
                        awaitSynced(agent.agent());
                        syncs[i] = agent.agent().lastResult().orElseThrow().took().toNanos();
                    }
                    System.out.printf("cni.drover.node_sync_ms = %.2f  (one sync of the agent with %d containers"
                            + " attached)%n", median(syncs) / 1e6, pods);
                });
                report(drover.name(), samples.get(drover));
                report(reference.name(), samples.get(reference));
                System.out.printf("cni.launch_p50_ms = %.2f  (ip netns exec <node> true: paid by both)%n", launch / 1e6);
                System.out.printf("cni.del_p50_ratio = %.2f%n",
                        median(samples.get(drover).delNanos()) / median(samples.get(reference).delNanos()));
                System.out.printf("cni.add_p50_ratio = %.2f%n",
                        median(samples.get(drover).addNanos()) / median(samples.get(reference).addNanos()));
            }
        }
    }

    /** A plugin under test: its node namespace, where its executable is, its type and its configuration. */
    private record Plugin(String name, String node, Path plugins, String type, String config) {}

    // ---- the measurement -----------------------------------------------------------------------------------------

    /**
     * Warms every plugin up, then attaches {@code pods} containers to each, one after the other, and detaches them
     * again. The plugins take turns call by call, so that both meet the machine in the same state (other load, the
     * number of containers already attached).
     */
    private Map<Plugin, Samples> measure(List<Plugin> plugins, int pods, Runnable whileAttached) {
        Map<Plugin, List<String>> containers = new LinkedHashMap<>();
        for (Plugin p : plugins) {
            List<String> mine = new ArrayList<>();
            for (int i = 0; i < WARMUP + pods; i++) {
                mine.add(namespace(p.name() + "-c" + i));
            }
            containers.put(p, mine);
        }
        for (int i = 0; i < WARMUP_CALLS; i++) {
            for (Plugin p : plugins) {
                call(p, "ADD", "warm" + i, containers.get(p).get(i % WARMUP));
                call(p, "DEL", "warm" + i, containers.get(p).get(i % WARMUP));
            }
        }
        Map<Plugin, Samples> out = new LinkedHashMap<>();
        plugins.forEach(p -> out.put(p, new Samples(new long[pods], new long[pods])));
        for (int i = 0; i < pods; i++) {
            for (Plugin p : plugins) {
                out.get(p).addNanos()[i] = call(p, "ADD", "bench" + i, containers.get(p).get(WARMUP + i));
            }
        }
        whileAttached.run();
        for (int i = 0; i < pods; i++) {
            for (Plugin p : plugins) {
                out.get(p).delNanos()[i] = call(p, "DEL", "bench" + i, containers.get(p).get(WARMUP + i));
            }
        }
        return out;
    }

    /** One CNI call, as a runtime on the node makes it; its duration in nanoseconds. Fails the run if it fails. */
    private long call(Plugin plugin, String command, String containerId, String container) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", containerId);
        env.put("CNI_NETNS", "/run/netns/" + container);
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", plugin.plugins().toString());
        env.put("PATH", PATH);
        long start = System.nanoTime();
        Run r = run(List.of("ip", "netns", "exec", plugin.node(), plugin.plugins().resolve(plugin.type()).toString()), env,
                plugin.config().getBytes(StandardCharsets.UTF_8));
        long took = System.nanoTime() - start;
        if (r.exit() != 0) {
            throw new IllegalStateException(plugin.name() + " " + command + " of " + containerId + " failed (" + r.exit()
                    + "): " + r.stdout() + r.stderr());
        }
        return took;
    }

    private static void awaitSynced(NodeAgent agent) {
        try {
            if (!agent.awaitSynced(Duration.ofSeconds(30))) {
                throw new IllegalStateException("the agent did not sync within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private long[] launchCost(int times) {
        String node = namespace("launch");
        long[] out = new long[times];
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            run(List.of("ip", "netns", "exec", node, "true"), Map.of("PATH", PATH), new byte[0]);
            out[i] = System.nanoTime() - start;
        }
        return out;
    }

    private static void report(String name, Samples s) {
        System.out.printf("cni.%s.add_p50_ms = %.2f%n", name, median(s.addNanos()) / 1e6);
        System.out.printf("cni.%s.add_p99_ms = %.2f%n", name, percentile(s.addNanos(), 0.99) / 1e6);
        System.out.printf("cni.%s.del_p50_ms = %.2f%n", name, median(s.delNanos()) / 1e6);
        System.out.printf("cni.%s.del_p99_ms = %.2f%n", name, percentile(s.delNanos(), 0.99) / 1e6);
    }

    private static double median(long[] samples) {
        return percentile(samples, 0.5);
    }

    /** The nearest-rank percentile. */
    private static double percentile(long[] samples, double p) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    // ---- namespaces and processes --------------------------------------------------------------------------------

    private String namespace(String suffix) {
        String name = prefix + suffix;
        Run r = run(List.of("ip", "netns", "add", name), Map.of("PATH", PATH), new byte[0]);
        if (r.exit() != 0) {
            throw new IllegalStateException("ip netns add " + name + ": " + r.stderr());
        }
        return name;
    }

    /** Removes every namespace of this run and the work directory, whatever state the run ended in. Idempotent. */
    private synchronized void cleanUp() {
        try (Stream<Path> files = Files.exists(Path.of("/run/netns")) ? Files.list(Path.of("/run/netns")) : Stream.empty()) {
            for (String name : files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList()) {
                run(List.of("ip", "netns", "del", name), Map.of("PATH", PATH), new byte[0]);
            }
            if (Files.exists(work)) {
                try (Stream<Path> tree = Files.walk(work)) {
                    for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("warning: cleaning up after the benchmark failed: " + e.getMessage()
                    + "; remove the namespaces " + prefix + "* (ip netns del) and " + work + " by hand");
        }
    }

    private record Run(int exit, String stdout, String stderr) {}

    private static Run run(List<String> command, Map<String, String> env, byte[] stdin) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (var in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException e) {
                // the program did not read its stdin
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            return new Run(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
