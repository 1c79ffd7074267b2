package io.drover.bench;

import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.api.client.DroverClient;
import io.drover.lab.runtime.LabLauncher;
import io.drover.lab.runtime.LabNames;
import io.drover.model.ResourceKind;
import io.drover.model.codec.ResourceCodec;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodStatus;
import io.drover.model.policy.NetworkPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * NetworkPolicy benchmark (issue 7), three parts, each beside an anchor measured in the same run:
 *
 * <ol>
 *   <li><b>Convergence</b> ({@code policy.converge_p50_ms}, {@code policy.converge_p99_ms}): a 3-node lab ({@code
 *       drover lab up --nodes 3}); a client pod and a server pod on every node, in namespaces {@code conv-c} and
 *       {@code conv-s}; the servers are isolated for ingress (policy {@code deny}, podSelector {@code {}}). Each
 *       iteration creates a policy allowing {@code conv-c} into the servers (and deletes it again): the time from the
 *       API's answer to the create until every one of the 9 client/server pairs (3 servers, one per node, each
 *       reached from every node) connects. A switch to <i>allowed</i> is seen at once (the handshake completes);
 *       the {@link ConnectProber} starts a new attempt per pair every {@value #PROBE_INTERVAL_MS} ms, so that is the
 *       resolution. The delete is measured too ({@code policy.revoke_*}): blocked SYNs are dropped, so the switch is
 *       when the first attempt that no longer connects started. Anchor: the same measurement for a plain label
 *       change that flips the same verdict, namespace {@code conv-c} gaining and losing the label that a standing
 *       policy ({@code open}) admits; the two alternate, the order swapped every iteration. The API's round trip
 *       for the create is printed too.</li>
 *   <li><b>Throughput</b> ({@code policy.throughput_ratio}): two 2-node routed labs up at once, one without any
 *       policy, one with {@code TPUT_POLICIES} NetworkPolicies of {@code CIDRS} ipBlock peers each (half ingress,
 *       half egress, all selecting both pods, so each node holds them all: {@code TPUT_POLICIES x CIDRS} peer set
 *       elements, by default 1,000 x 10) and one more that allows the measured pair, which is thus isolated in both directions. iperf3 from the
 *       client pod (node-1) to the server pod (node-2), one TCP stream, {@code SECONDS} per run, the two labs taking
 *       turns (order swapped every repetition) as {@code bench/run dataplane} does; the figure is the median of the
 *       per-repetition ratios (with / without).</li>
 *   <li><b>Simulation</b> ({@code policy.sim_1000_nodes_ms}): see {@link PolicySimulation}.</li>
 * </ol>
 *
 * <p>Parts 1 and 2 need root, iproute2, nftables and iperf3. Nothing is created outside namespaces named after this
 * run ({@code drl-pb-XXXX-*}), and each lab is taken down when its part ends, on failure and on Ctrl-C.
 *
 * <p>Usage: {@code bench/run policy [--only converge,throughput,sim] [--iterations N] [--seconds S] [--repeats R]
 * [--tput-policies N] [--cidrs N] [--sim-nodes N] [--sim-pods N] [--sim-policies N] [--sim-namespaces N]
 * [--sim-repeats N] [--sim-limit SECONDS]}.
 */
public final class PolicyBenchmark {

    static final int PROBE_INTERVAL_MS = 2;
    private static final Duration PROBE_EXPIRY = Duration.ofMillis(100);
    private static final Duration PROBE_QUIET = Duration.ofMillis(150);
    private static final Duration SWITCH_LIMIT = Duration.ofSeconds(20);
    private static final Duration READY_LIMIT = Duration.ofSeconds(60);
    private static final int WARMUP = 3;
    private static final int ECHO_PORT = 7000;
    private static final int IPERF_PORT = 5201;
    private static final String NETWORK = "bench";
    private static final String SUBNET = "10.244.0.0/16";
    private static final String CLIENTS = "conv-c";
    private static final String SERVERS = "conv-s";
    private static final String TPUT = "tput";

    record Options(Set<String> parts, int iterations, int seconds, int repeats, int tputPolicies, int cidrs,
            PolicySimulation.Sizes sim) {}

    private final String tag = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(4);
    private final BenchLabs labs;
    private final Map<String, String> summary = new LinkedHashMap<>();

    private PolicyBenchmark(BenchLabs labs) {
        this.labs = labs;
    }

    public static void main(String[] args) throws Exception {
        Options options = parse(args);
        if (options.parts().contains("converge") || options.parts().contains("throughput")) {
            requireMachine(options.parts().contains("throughput"));
        }
        Path work = Files.createTempDirectory("drover-bench-policy-");
        BenchLabs labs = new BenchLabs(work);
        PolicyBenchmark bench = new PolicyBenchmark(labs);
        // Also when interrupted (Ctrl-C): no lab, namespace, process or file of the run outlives it.
        Thread hook = Thread.ofPlatform().unstarted(labs::cleanUp);
        Runtime.getRuntime().addShutdownHook(hook);
        long start = System.nanoTime();
        try {
            bench.run(options);
            System.out.printf(Locale.ROOT, "policy.run_seconds = %.0f%n", (System.nanoTime() - start) / 1e9);
            bench.summary.forEach((k, v) -> System.out.println(k + " = " + v));
        } catch (Exception e) {
            if (labs.isClosed()) {
                System.err.println("policy: interrupted; what the run made is removed");
                return;
            }
            throw e;
        } finally {
            labs.cleanUp();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already (interrupted): the hook has cleaned up too
            }
        }
    }

    private static Options parse(String[] args) {
        Set<String> parts = new LinkedHashSet<>(List.of("converge", "throughput", "sim"));
        Map<String, Integer> n = new LinkedHashMap<>();
        n.put("--iterations", 40);
        n.put("--seconds", 5);
        n.put("--repeats", 10);
        n.put("--tput-policies", 1000);
        n.put("--cidrs", 10);
        n.put("--sim-nodes", 1000);
        n.put("--sim-pods", 50_000);
        n.put("--sim-policies", 1000);
        n.put("--sim-namespaces", 50);
        n.put("--sim-repeats", 5);
        n.put("--sim-limit", 60);
        String usage = "usage: bench/run policy [--only converge,throughput,sim]"
                + n.keySet().stream().map(k -> " [" + k + " N]").reduce("", String::concat);
        BenchArguments parsed;
        try {
            parsed = BenchArguments.parse(args, n, Set.of("--only"), usage);
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return null;
        }
        if (parsed.help()) {
            System.out.println(usage + "\n" + BenchArguments.defaultsText(n, "--sim-limit in seconds"));
            System.exit(0);
        }
        n = parsed.numbers();
        String only = parsed.texts().get("--only");
        if (only != null) {
            parts = new LinkedHashSet<>(List.of(only.split(",")));
            if (!Set.of("converge", "throughput", "sim").containsAll(parts)) {
                fail(usage);
            }
        }
        if (n.get("--iterations") < 1 || n.get("--iterations") > 1000 || n.get("--seconds") < 1
                || n.get("--seconds") > 600 || n.get("--repeats") < 1 || n.get("--repeats") > 100
                || n.get("--tput-policies") < 1 || n.get("--tput-policies") > 20_000 || n.get("--cidrs") < 1
                || n.get("--cidrs") > 100 || n.get("--sim-limit") < 1 || n.get("--sim-limit") > 3600
                || n.get("--sim-repeats") < 1 || n.get("--sim-repeats") > 100 || n.get("--sim-nodes") > 10_000
                || n.get("--sim-pods") > 500_000 || n.get("--sim-policies") > 100_000) {
            fail("a size is out of range (iterations 1-1000, seconds 1-600, repeats 1-100, tput-policies 1-20000,"
                    + " cidrs 1-100, sim-nodes <= 10000, sim-pods <= 500000, sim-policies <= 100000, sim-repeats"
                    + " 1-100, sim-limit 1-3600 s)");
        }
        PolicySimulation.Sizes sim;
        try {
            sim = new PolicySimulation.Sizes(n.get("--sim-nodes"), n.get("--sim-pods"), n.get("--sim-policies"),
                    n.get("--sim-namespaces"), n.get("--sim-repeats"), Duration.ofSeconds(n.get("--sim-limit")));
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return null;
        }
        return new Options(parts, n.get("--iterations"), n.get("--seconds"), n.get("--repeats"),
                n.get("--tput-policies"), n.get("--cidrs"), sim);
    }

    private static void requireMachine(boolean iperf) throws IOException {
        String status = Files.readString(Path.of("/proc/self/status"));
        if (status.lines().noneMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"))) {
            fail("bench/run policy needs root for its lab parts (they make network namespaces and start labs);"
                    + " --only sim runs without");
        }
        for (String tool : iperf ? List.of("iperf3", "ip", "nft") : List.of("ip", "nft")) {
            if (Stream.of(BenchLabs.PATH.split(":")).noneMatch(d -> Files.isExecutable(Path.of(d, tool)))) {
                fail(tool + " is missing: apt-get install -y " + switch (tool) {
                    case "iperf3" -> "iperf3";
                    case "nft" -> "nftables";
                    default -> "iproute2";
                });
            }
        }
    }

    private static void fail(String message) {
        System.err.println("error: " + message);
        System.exit(2);
    }

    private static void progress(String line) {
        System.err.println("policy: " + line);
    }

    private void run(Options options) throws Exception {
        System.out.printf("policy.cpus = %d%n", Runtime.getRuntime().availableProcessors());
        System.out.printf("policy.loadavg_start = %s%n", loadAverage());
        if (options.parts().contains("converge")) {
            converge(options.iterations());
        }
        if (options.parts().contains("throughput")) {
            throughput(options.seconds(), options.repeats(), options.tputPolicies(), options.cidrs());
        }
        if (options.parts().contains("sim")) {
            PolicySimulation.Result r = new PolicySimulation(options.sim(), labs.work()).run();
            summary.put("policy.sim_" + options.sim().nodes() + "_nodes_ms", r.summary());
        }
        System.out.printf("policy.loadavg_end = %s%n", loadAverage());
    }

    // ---- 1. convergence -------------------------------------------------------------------------------------------

    private void converge(int iterations) throws Exception {
        String lab = "pb-" + tag + "-c";
        progress("convergence: drover lab up --name " + lab + " --nodes 3");
        labs.up(lab, List.of("--nodes", "3", "--mode", LabLauncher.Options.ROUTED));
        try {
            StringBuilder manifest = new StringBuilder(network());
            manifest.append(namespace(CLIENTS)).append(namespace(SERVERS));
            for (int node = 1; node <= 3; node++) {
                manifest.append(pod(CLIENTS, "c" + node, node, Map.of("role", "client")));
                manifest.append(pod(SERVERS, "s" + node, node, Map.of("role", "server")));
            }
            apply(lab, manifest.toString());
            LabNames names = LabNames.of(lab);
            try (DroverClient client = new DroverClient(labs.server(lab));
                    LinuxKernel kernel = new LinuxKernel(Duration.ofSeconds(1))) {
                List<ConnectProber.Pair> pairs = new ArrayList<>();
                for (int from = 1; from <= 3; from++) {
                    for (int to = 1; to <= 3; to++) {
                        pairs.add(new ConnectProber.Pair("c" + from + "->s" + to,
                                NetNs.named(names.podNamespace(CLIENTS, "c" + from)),
                                new InetSocketAddress(InetAddress.getByName(awaitAddress(client, SERVERS, "s" + to)),
                                        ECHO_PORT), LabNames.nodeName(to)));
                    }
                }
                try (ConnectProber prober = new ConnectProber(kernel, pairs, Duration.ofMillis(PROBE_INTERVAL_MS),
                        PROBE_EXPIRY)) {
                    requireAll("every client pod reaches every server pod", prober.awaitAllowed(READY_LIMIT), prober);
                    apply(lab, policy(SERVERS, "deny", "{}", null) + policy(SERVERS, "open", "{}",
                            "{\"namespaceSelector\":{\"matchLabels\":{\"probe\":\"open\"}}}"));
                    requireAll("the servers are isolated", prober.awaitBlocked(PROBE_QUIET, READY_LIMIT), prober);
                    measureConvergence(client, prober, iterations);
                }
            }
        } finally {
            progress("convergence: drover lab down --name " + lab);
            labs.down(lab);
        }
    }

    /** One switch of the pairs' verdict: the write's round trip and, per pair, when the switch was seen. */
    private record Switch(long sentAt, long ackedAt, long[] seenAt) {
        long latest() {
            return Arrays.stream(seenAt).max().orElseThrow();
        }

        /** From the API's answer to the last pair switching; a switch seen before the answer counts as 0. */
        long afterAck() {
            return Math.max(0, latest() - ackedAt);
        }
    }

    private interface Write {
        void run() throws Exception;
    }

    private Switch change(ConnectProber prober, boolean allow, Write write) throws Exception {
        CountDownLatch probing = new CountDownLatch(1);
        try (ExecutorService one = Executors.newSingleThreadExecutor()) {
            Future<long[]> seen = one.submit(() -> {
                probing.countDown();
                return allow ? prober.awaitAllowed(SWITCH_LIMIT) : prober.awaitBlocked(PROBE_QUIET, SWITCH_LIMIT);
            });
            probing.await();
            Thread.sleep(PROBE_INTERVAL_MS * 2L); // the first attempts are out: a switch before the write would show
            long sent = System.nanoTime();
            write.run();
            long acked = System.nanoTime();
            long[] at = seen.get();
            requireAll((allow ? "allowed" : "blocked") + " after the change", at, prober);
            return new Switch(sent, acked, at);
        }
    }

    private void measureConvergence(DroverClient client, ConnectProber prober, int iterations) throws Exception {
        List<Switch> applied = new ArrayList<>();
        List<Switch> deleted = new ArrayList<>();
        List<Switch> labelled = new ArrayList<>();
        List<Switch> unlabelled = new ArrayList<>();
        progress("convergence: " + WARMUP + " untimed + " + iterations + " iterations (policy create/delete and"
                + " namespace label on/off, alternating)");
        for (int i = -WARMUP; i < iterations; i++) {
            String name = "allow-" + (i + WARMUP);
            NetworkPolicy allow = decodePolicy(policy(SERVERS, name, "{}",
                    "{\"namespaceSelector\":{\"matchLabels\":{\"kubernetes.io/metadata.name\":\"" + CLIENTS + "\"}}}"));
            Write create = () -> client.create(allow);
            Write delete = () -> client.delete(ResourceKind.NETWORK_POLICY, SERVERS, name);
            Write label = () -> client.patch(ResourceKind.NAMESPACE, null, CLIENTS,
                    ResourceCodec.json().readTree("{\"metadata\":{\"labels\":{\"probe\":\"open\"}}}"));
            Write unlabel = () -> client.patch(ResourceKind.NAMESPACE, null, CLIENTS,
                    ResourceCodec.json().readTree("{\"metadata\":{\"labels\":{\"probe\":null}}}"));
            boolean policyFirst = (i & 1) == 0;
            for (int turn = 0; turn < 2; turn++) {
                if (policyFirst == (turn == 0)) {
                    Switch a = change(prober, true, create);
                    Switch d = change(prober, false, delete);
                    if (i >= 0) {
                        applied.add(a);
                        deleted.add(d);
                    }
                } else {
                    Switch a = change(prober, true, label);
                    Switch d = change(prober, false, unlabel);
                    if (i >= 0) {
                        labelled.add(a);
                        unlabelled.add(d);
                    }
                }
            }
            if (i >= 0 && (i + 1) % 10 == 0) {
                progress(String.format(Locale.ROOT, "convergence: %d/%d: policy p50 %.1f ms, label p50 %.1f ms",
                        i + 1, iterations, BenchStats.median(afterAck(applied)) / 1e6,
                        BenchStats.median(afterAck(labelled)) / 1e6));
            }
        }
        long[] converge = afterAck(applied);
        long[] label = afterAck(labelled);
        System.out.printf("policy.converge_iterations = %d%n", iterations);
        System.out.printf("policy.converge_probe = tcp connect from a client pod on each of the 3 nodes to a server pod"
                + " on each (port %d, 9 pairs); per pair a new attempt every %d ms; no answer within %d ms is"
                + " blocked%n", ECHO_PORT, PROBE_INTERVAL_MS, PROBE_EXPIRY.toMillis());
        System.out.printf("policy.converge_samples_ms = %s%n", BenchStats.millis(converge));
        System.out.printf("policy.converge_node_p50_ms = %s  (per server node: when its 3 pairs had all switched)%n",
                perNode(applied, prober));
        System.out.printf(Locale.ROOT, "policy.api_ack_p50_ms = %.1f  (the create's round trip; converge counts from"
                + " its answer)%n", BenchStats.median(applied.stream().mapToLong(s -> s.ackedAt() - s.sentAt())
                .toArray()) / 1e6);
        printPercentiles("policy.revoke", afterAck(deleted), "policy delete -> every pair blocked");
        printPercentiles("policy.anchor_label", label, "namespace label added -> every pair allowed (standing policy)");
        printPercentiles("policy.anchor_label_revoke", afterAck(unlabelled), "namespace label removed -> every pair"
                + " blocked");
        printPercentiles("policy.converge", converge, "policy create -> every pair allowed, from the API's answer");
        double ratio = BenchStats.percentile(converge, 0.99) / BenchStats.percentile(label, 0.99);
        double ratio50 = BenchStats.median(converge) / BenchStats.median(label);
        System.out.printf(Locale.ROOT, "policy.converge_ratio_p50 = %.2f  (converge p50 / anchor_label p50)%n", ratio50);
        System.out.printf(Locale.ROOT, "policy.converge_ratio = %.2f  (converge p99 / anchor_label p99)%n", ratio);
        summary.put("policy.converge_p50_ms", String.format(Locale.ROOT, "%.1f  (anchor label change p50 %.1f, ratio"
                + " %.2f)", BenchStats.median(converge) / 1e6, BenchStats.median(label) / 1e6, ratio50));
        summary.put("policy.converge_p99_ms", String.format(Locale.ROOT, "%.1f  (target <= 100; anchor label change"
                + " p99 %.1f, ratio %.2f)", BenchStats.percentile(converge, 0.99) / 1e6,
                BenchStats.percentile(label, 0.99) / 1e6, ratio));
    }

    private static long[] afterAck(List<Switch> switches) {
        return switches.stream().mapToLong(Switch::afterAck).toArray();
    }

    private static String perNode(List<Switch> switches, ConnectProber prober) {
        Map<String, List<Integer>> byNode = new LinkedHashMap<>();
        List<ConnectProber.Pair> pairs = prober.pairs();
        for (int i = 0; i < pairs.size(); i++) {
            byNode.computeIfAbsent(pairs.get(i).node(), n -> new ArrayList<>()).add(i);
        }
        List<String> out = new ArrayList<>();
        byNode.forEach((node, indexes) -> {
            long[] samples = switches.stream().mapToLong(s -> Math.max(0,
                    indexes.stream().mapToLong(i -> s.seenAt()[i]).max().orElseThrow() - s.ackedAt())).toArray();
            out.add(String.format(Locale.ROOT, "%s %.1f", node, BenchStats.median(samples) / 1e6));
        });
        return String.join(", ", out);
    }

    private static void printPercentiles(String name, long[] nanos, String what) {
        System.out.printf(Locale.ROOT, "%s_p50_ms = %.1f  (%s)%n", name, BenchStats.median(nanos) / 1e6, what);
        System.out.printf(Locale.ROOT, "%s_p99_ms = %.1f%n", name, BenchStats.percentile(nanos, 0.99) / 1e6);
    }

    private static void requireAll(String what, long[] at, ConnectProber prober) {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < at.length; i++) {
            if (at[i] < 0) {
                missing.add(prober.pairs().get(i).label());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("expected " + what + ", but not so for " + missing);
        }
    }

    // ---- 2. throughput --------------------------------------------------------------------------------------------

    /** One measured path: the client and server pods' namespaces and the server's address. */
    private record Topology(String label, String lab, String clientNs, String serverNs, String serverIp) {}

    private void throughput(int seconds, int repeats, int policies, int cidrs) throws Exception {
        String none = "pb-" + tag + "-n";
        String full = "pb-" + tag + "-f";
        try {
            Topology plain = throughputLab(none, "none");
            Topology policed = throughputLab(full, "full");
            installPolicies(full, policed, policies, cidrs);
            System.out.printf("policy.tput_policies = %d  (%d with %d ipBlock peers each, half ingress, half egress,"
                    + " selecting both pods, and 1 allowing the pair)%n", policies + 1, policies, cidrs);
            List<Topology> both = List.of(plain, policed);
            progress("throughput: warming up (one 1 s run per lab)");
            for (Topology t : both) {
                iperf(t, 1);
            }
            Map<Topology, List<Double>> results = new LinkedHashMap<>();
            both.forEach(t -> results.put(t, new ArrayList<>()));
            for (int r = 0; r < repeats; r++) {
                List<Topology> order = r % 2 == 0 ? both : both.reversed();
                StringBuilder line = new StringBuilder("throughput: repetition " + (r + 1) + "/" + repeats + ":");
                for (Topology t : order) {
                    double bps = iperf(t, seconds);
                    results.get(t).add(bps);
                    line.append(String.format(Locale.ROOT, " %s %.2f", t.label(), bps / 1e9));
                }
                progress(line + " Gbit/s");
            }
            double[] ratios = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                ratios[r] = results.get(policed).get(r) / results.get(plain).get(r);
            }
            for (Topology t : both) {
                System.out.printf("policy.tput_%s_samples_gbps = %s%n", t.label(), String.join(" ", results.get(t).stream()
                        .map(b -> String.format(Locale.ROOT, "%.2f", b / 1e9)).toList()));
            }
            double noneGbps = BenchStats.median(results.get(plain).stream().mapToDouble(d -> d).toArray()) / 1e9;
            double fullGbps = BenchStats.median(results.get(policed).stream().mapToDouble(d -> d).toArray()) / 1e9;
            System.out.printf(Locale.ROOT, "policy.tput_none_gbps = %.2f  (anchor: no policy)%n", noneGbps);
            System.out.printf(Locale.ROOT, "policy.tput_full_gbps = %.2f%n", fullGbps);
            System.out.printf(Locale.ROOT, "policy.tput_ratio_of_medians = %.3f%n", fullGbps / noneGbps);
            double ratio = BenchStats.median(ratios);
            System.out.printf(Locale.ROOT, "policy.throughput_ratio = %.3f  (median of full / none per repetition)%n",
                    ratio);
            summary.put("policy.throughput_ratio", String.format(Locale.ROOT, "%.3f  (target >= 0.95; %.2f Gbit/s"
                    + " with %d policies, %.2f without)", ratio, fullGbps, policies, noneGbps));
        } finally {
            progress("throughput: drover lab down --name " + none + ", " + full);
            labs.down(none);
            labs.down(full);
        }
    }

    /** A 2-node routed lab with a client pod on node-1 and a server pod on node-2 that talk to each other. */
    private Topology throughputLab(String lab, String label) throws Exception {
        progress("throughput: drover lab up --name " + lab + " --nodes 2 --mode routed");
        labs.up(lab, List.of("--nodes", "2", "--mode", LabLauncher.Options.ROUTED));
        apply(lab, network() + namespace(TPUT) + pod(TPUT, "client", 1, Map.of("app", "client"))
                + pod(TPUT, "server", 2, Map.of("app", "server")));
        LabNames names = LabNames.of(lab);
        try (DroverClient client = new DroverClient(labs.server(lab))) {
            String serverIp = awaitAddress(client, TPUT, "server");
            Topology t = new Topology(label, lab, names.podNamespace(TPUT, "client"), names.podNamespace(TPUT, "server"),
                    serverIp);
            awaitReach(t);
            return t;
        }
    }

    private void awaitReach(Topology t) throws IOException {
        try (LinuxKernel kernel = new LinuxKernel(Duration.ofSeconds(1));
                ConnectProber prober = new ConnectProber(kernel, List.of(new ConnectProber.Pair("client->server",
                        NetNs.named(t.clientNs()), new InetSocketAddress(InetAddress.getByName(t.serverIp()), ECHO_PORT),
                        LabNames.nodeName(2))), Duration.ofMillis(10), PROBE_EXPIRY)) {
            requireAll("the client pod reaches the server pod in lab " + t.lab(), prober.awaitAllowed(READY_LIMIT),
                    prober);
        }
    }

    /**
     * The pair's allowing policy first (so that the pair never loses its path), then the fillers through the API
     * from a few clients at once; waits until both nodes' tables hold every filler's peer set element.
     */
    private void installPolicies(String lab, Topology t, int fillers, int cidrs) throws Exception {
        progress("throughput: creating " + (fillers + 1) + " policies in lab " + lab);
        long start = System.nanoTime();
        try (DroverClient client = new DroverClient(labs.server(lab))) {
            client.create(decodePolicy("""
                    {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"allow-pair","namespace":"%1$s"},
                     "spec":{"podSelector":{},"policyTypes":["Ingress","Egress"],
                      "ingress":[{"from":[{"podSelector":{"matchLabels":{"app":"client"}}}],"ports":[{"port":%2$d},{"port":%3$d}]}],
                      "egress":[{"to":[{"podSelector":{"matchLabels":{"app":"server"}}}],"ports":[{"port":%2$d},{"port":%3$d}]}]}}"""
                    .formatted(TPUT, IPERF_PORT, ECHO_PORT)));
            AtomicInteger next = new AtomicInteger();
            try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
                List<Future<?>> futures = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    futures.add(pool.submit(() -> {
                        int j;
                        while ((j = next.getAndIncrement()) < fillers) {
                            client.create(decodePolicy(filler(j, cidrs)));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            }
        }
        long written = System.nanoTime();
        long expected = (long) fillers * cidrs;
        LabNames names = LabNames.of(lab);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        for (int node = 1; node <= 2; node++) {
            NodeTable table = NodeTable.EMPTY;
            while (System.nanoTime() - deadline < 0
                    && (table = nodeTable(names.nodeNamespace(node))).fillerElements() < expected) {
                BenchLabs.sleep(500);
            }
            String pod = node == 1 ? "client" : "server";
            if (table.fillerElements() < expected || !table.chains().containsAll(List.of(
                    "pod." + TPUT + "." + pod + ".in", "pod." + TPUT + "." + pod + ".out"))) {
                throw new IllegalStateException("node-" + node + " of lab " + lab + " holds " + table.fillerElements()
                        + " of the " + expected + " filler peer set elements and the pod chains " + table.chains()
                        + " after 10 minutes");
            }
            System.out.printf("policy.tput_node%d_peer_elements = %d  (in the fillers' peer sets of its table; %d peer"
                    + " sets; pod chains %s)%n", node, table.fillerElements(), table.fillerSets(), table.chains());
        }
        System.out.printf(Locale.ROOT, "policy.tput_install_s = %.1f  (creating the policies: %.1f s; until both nodes"
                + " hold every element)%n", (System.nanoTime() - start) / 1e9, (written - start) / 1e9);
        awaitReach(t);
    }

    /** Filler j: podSelector {} (both pods), ingress (even j) or egress (odd j) from/to {@code cidrs} disjoint /30s. */
    private static String filler(int j, int cidrs) {
        List<String> blocks = new ArrayList<>();
        for (int i = 0; i < cidrs; i++) {
            long n = (long) j * cidrs + i;
            long a = (100L << 24 | 64L << 16) + n * 8; // 100.64.0.0/10 on, every other /29: never adjacent
            blocks.add("{\"ipBlock\":{\"cidr\":\"" + (a >>> 24 & 255) + "." + (a >>> 16 & 255) + "." + (a >>> 8 & 255)
                    + "." + (a & 255) + "/30\"}}");
        }
        boolean ingress = j % 2 == 0;
        return """
                {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"fill-%d","namespace":"%s"},
                 "spec":{"podSelector":{},"policyTypes":["%s"],"%s":[{"%s":[%s],"ports":[{"port":%d}]}]}}"""
                .formatted(j, TPUT, ingress ? "Ingress" : "Egress", ingress ? "ingress" : "egress",
                        ingress ? "from" : "to", String.join(",", blocks), 9000 + j % 100);
    }

    /** What a node's table holds of the fillers: their peer sets and elements, and the pod chains. */
    private record NodeTable(long fillerSets, long fillerElements, List<String> chains) {
        static final NodeTable EMPTY = new NodeTable(0, 0, List.of());
    }

    /** Reads a node's table ({@code nft -j list table inet drover}). */
    private static NodeTable nodeTable(String nodeNs) {
        BenchLabs.Run r = BenchLabs.run(List.of("ip", "netns", "exec", nodeNs, "nft", "-j", "list", "table", "inet",
                "drover"), Map.of(), Duration.ofSeconds(60));
        if (r.exit() != 0) {
            return NodeTable.EMPTY;
        }
        long sets = 0;
        long elements = 0;
        List<String> chains = new ArrayList<>();
        for (JsonNode item : ResourceCodec.json().readTree(r.stdout()).path("nftables")) {
            JsonNode set = item.path("set");
            if (set.path("name").asString("").startsWith("np." + TPUT + ".fill-")) {
                sets++;
                elements += set.path("elem").size();
            }
            String chain = item.path("chain").path("name").asString("");
            if (chain.startsWith("pod.")) {
                chains.add(chain);
            }
        }
        return new NodeTable(sets, elements, chains);
    }

    /** One iperf3 run from the client pod to the server pod, as {@code bench/run dataplane} runs it. */
    private double iperf(Topology t, int seconds) {
        Process server = labs.start(List.of("ip", "netns", "exec", t.serverNs(), "iperf3", "-s", "-1"));
        try {
            awaitListening(t.serverNs(), server);
            BenchLabs.Run r = BenchLabs.run(List.of("ip", "netns", "exec", t.clientNs(), "iperf3", "-c", t.serverIp(),
                    "-t", Integer.toString(seconds), "-J"), Map.of(), Duration.ofSeconds(seconds + 30L));
            JsonNode json;
            try {
                json = ResourceCodec.json().readTree(r.stdout());
            } catch (RuntimeException e) {
                throw new IllegalStateException("iperf3 in " + t.label() + " printed no JSON (" + r.exit() + "): "
                        + r.stdout() + r.stderr());
            }
            if (r.exit() != 0 || json.has("error")) {
                throw new IllegalStateException("iperf3 in " + t.label() + " failed (" + r.exit() + "): "
                        + json.path("error").asString(r.stderr()));
            }
            return json.path("end").path("sum_received").path("bits_per_second").asDouble();
        } finally {
            labs.stop(server);
        }
    }

    /** Polls {@code ss} in the server's namespace until iperf3 listens (at most 10 s). */
    private static void awaitListening(String ns, Process server) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - deadline < 0) {
            BenchLabs.Run r = BenchLabs.run(List.of("ip", "netns", "exec", ns, "ss", "-Hltn", "sport = :" + IPERF_PORT),
                    Map.of(), Duration.ofSeconds(10));
            if (r.exit() == 0 && !r.stdout().isBlank()) {
                return;
            }
            if (!server.isAlive()) {
                throw new IllegalStateException("iperf3 -s in " + ns + " exited (" + server.exitValue() + ")");
            }
            BenchLabs.sleep(10);
        }
        throw new IllegalStateException("iperf3 -s in " + ns + " does not listen after 10 s");
    }

    // ---- manifests -------------------------------------------------------------------------------------------------

    private void apply(String lab, String manifest) throws IOException {
        Path file = Files.createTempFile(labs.work(), lab + "-", ".yaml");
        Files.writeString(file, manifest);
        labs.droverCli(List.of("apply", "-f", file.toString(), "--server", labs.server(lab).toString()));
    }

    private static String network() {
        return """
                apiVersion: drover.io/v1
                kind: Network
                metadata: {name: %s}
                spec: {subnets: ["%s"]}
                ---
                """.formatted(NETWORK, SUBNET);
    }

    private static String namespace(String name) {
        return """
                apiVersion: drover.io/v1
                kind: Namespace
                metadata: {name: %s}
                ---
                """.formatted(name);
    }

    private static String pod(String namespace, String name, int node, Map<String, String> labels) {
        String labelText = labels.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .reduce((a, b) -> a + ", " + b).orElse("");
        return """
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: %s, namespace: %s, labels: {%s}}
                spec: {node: %s, networks: [%s], ports: [{name: echo, port: %d}]}
                ---
                """.formatted(name, namespace, labelText, LabNames.nodeName(node), NETWORK, ECHO_PORT);
    }

    /** A policy selecting {@code podSelector} for ingress, allowing {@code peer} (none: nothing) on the echo port. */
    private static String policy(String namespace, String name, String podSelector, String peer) {
        String ingress = peer == null ? "" : ", \"ingress\": [{\"from\": [" + peer + "], \"ports\": [{\"port\": "
                + ECHO_PORT + "}]}]";
        return """
                {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "%s", "namespace": "%s"},
                 "spec": {"podSelector": %s, "policyTypes": ["Ingress"]%s}}
                ---
                """.formatted(name, namespace, podSelector, ingress);
    }

    private static NetworkPolicy decodePolicy(String json) {
        String document = json.strip();
        if (document.endsWith("---")) {
            document = document.substring(0, document.length() - 3);
        }
        return ResourceCodec.fromJson(document.getBytes(StandardCharsets.UTF_8), ResourceKind.NETWORK_POLICY);
    }

    private static String awaitAddress(DroverClient client, String namespace, String pod) {
        long deadline = System.nanoTime() + READY_LIMIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Optional<String> ip = client.find(ResourceKind.POD, namespace, pod).map(Pod.class::cast)
                    .map(Pod::status).flatMap(s -> s.addresses().stream().findFirst()).map(PodStatus.PodAddress::ip);
            if (ip.isPresent()) {
                return ip.get();
            }
            BenchLabs.sleep(20);
        }
        throw new IllegalStateException("pod " + namespace + "/" + pod + " got no address within "
                + READY_LIMIT.toSeconds() + " s");
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
