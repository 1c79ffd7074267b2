package io.drover.bench;

import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.api.client.DroverClient;
import io.drover.cli.Main;
import io.drover.lab.runtime.LabLauncher;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabState;
import io.drover.lab.runtime.LabStateStore;
import io.drover.model.ResourceKind;
import io.drover.model.codec.ResourceCodec;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * Cross-node pod-to-pod TCP throughput of Drover's data plane beside the same two-node topology built by hand with
 * iproute2 (the anchor, {@code handbuilt-lab.sh}: what flannel host-gw and flannel vxlan do), in routed and in VXLAN
 * mode, on the same machine in the same run; and how long a new pod takes to reach a pod of the other node.
 *
 * <ul>
 *   <li>Drover: two labs started as users start them, {@code drover lab up --nodes 2 --mode routed|vxlan} (the CLI
 *       as a process, with a lab directory of this run's own), a Network and one pod per node applied with
 *       {@code drover apply}. The client pod is on node-1, the server pod on node-2, as in the anchor.</li>
 *   <li>Anchor: {@code handbuilt-lab.sh up routed|vxlan} with a prefix of this run's own.</li>
 * </ul>
 *
 * All four topologies are up at once and take turns: per repetition routed (anchor, Drover), then VXLAN (anchor,
 * Drover), the order within a pair swapped every other repetition, so that both sides meet the same machine state;
 * each figure is the median over the repetitions. Every measurement is the same command in both: {@code iperf3 -s
 * -1} in the server pod's namespace and {@code iperf3 -c SERVER_IP -t SECONDS -J} in the client pod's namespace
 * (through {@code ip netns exec}, as {@code drover lab exec} and the anchor's {@code bench} do), one TCP stream;
 * the figure is {@code end.sum_received.bits_per_second}. One untimed one-second run per topology warms up first.
 *
 * <p>Then the time from applying a pod to its first successful cross-node connection: {@code PODS} new pods on
 * node-2 of each lab (created through the API, which is what {@code drover apply} does, without the CLI's JVM
 * start), the two labs taking turns pod by pod; the clock starts before the create request. From inside the new
 * pod's namespace, as soon as it exists, TCP connections to the echo server of the client pod on node-1 are tried
 * one after the other (each waits at most 50 ms; an immediate failure such as "network unreachable" is tried again
 * after 1 ms) until one reads back that pod's echo text. That needs the whole path: the pod's interface, address and
 * routes, node-2's forwarding and node-1's route back to the pod's block (a new block claimed on the way included).
 * The pods are kept, so later pods meet a fuller node.
 *
 * <p>Needs root and iperf3. Nothing is created outside namespaces named after this run ({@code drl-dpb-XXXX-*} for
 * the labs, {@code dpbXXXX[rx]*} for the anchor); all of it is removed at the end, on failure and on Ctrl-C. The
 * Drover processes run from a copy of the class path, so a rebuild during the run does not change them. The last
 * two lines are {@code dataplane.routed_ratio = R} and {@code dataplane.vxlan_ratio = R} (Drover / anchor; target:
 * R >= 0.97).
 *
 * <p>The anchor script is {@code $DROVER_BENCH_ANCHOR} when set, else {@code ../shared/anchors/handbuilt-lab.sh}
 * beside the repository (the shared anchor the other figures come from).
 *
 * <p>Usage: {@code bench/run dataplane [SECONDS] [PODS] [REPEATS]} (defaults 5, 100, 6).
 */
public final class DataplaneBenchmark {

    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** Relative to the repository root, where bench/run starts the benchmark. */
    private static final Path SHARED_ANCHOR = Path.of("../shared/anchors/handbuilt-lab.sh");
    private static final String ROUTED = LabLauncher.Options.ROUTED;
    private static final String VXLAN = LabLauncher.Options.VXLAN;
    private static final String NETWORK = "bench";
    private static final String SUBNET = "10.244.0.0/16";
    private static final int ECHO_PORT = 7000;
    private static final int IPERF_PORT = 5201;
    private static final String ANCHOR_SERVER_IP = "10.244.2.2";
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration REACH_DEADLINE = Duration.ofSeconds(30);
    private static final int CONNECT_TIMEOUT_MS = 50;
    /** A pod slower than this is named in the progress output, so that a tail can be explained. */
    private static final Duration SLOW = Duration.ofMillis(500);
    /** After this many pods in a row that never connect, the pod measurement stops (something is broken). */
    private static final int MAX_FAILURES_IN_A_ROW = 3;

    /** One measured path: a client pod namespace, a server pod namespace and the server's address. */
    private record Topology(String mode, boolean anchor, String clientNs, String serverNs, String serverIp) {
        String label() {
            return mode + (anchor ? "_anchor" : "");
        }
    }

    /** One iperf3 run: received throughput and the sender's retransmissions. */
    private record Throughput(double bitsPerSecond, long retransmits) {}

    private final String tag = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(4);
    private final Path work;
    private final Path labDir;
    private final List<String> cli;
    private final Path anchorScript;

    // What exists and must go at the end; guarded by this.
    private final List<String> labs = new ArrayList<>();
    private final List<String> anchors = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private boolean closed;

    private DataplaneBenchmark(Path work, Path anchorScript) throws IOException {
        this.work = work;
        this.labDir = work.resolve("labs");
        this.anchorScript = anchorScript;
        this.cli = BenchLabs.cliCommand(BenchLabs.snapshotClassPath(work.resolve("classpath")));
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int pods = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        if (seconds < 1 || seconds > 600 || pods < 0 || pods > 2000 || repeats < 1 || repeats > 100) {
            fail("usage: bench/run dataplane [SECONDS 1-600] [PODS 0-2000] [REPEATS 1-100]");
        }
        requireMachine();
        Path work = Files.createTempDirectory("drover-bench-dataplane-");
        Path anchor = anchorScript(work);
        DataplaneBenchmark bench = new DataplaneBenchmark(work, anchor);
        // Also when interrupted (Ctrl-C): no lab, namespace, process or file of the run outlives it.
        Thread hook = Thread.ofPlatform().unstarted(bench::cleanUp);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            bench.run(seconds, pods, repeats);
        } catch (Exception e) {
            if (bench.isClosed()) {
                // Interrupted (Ctrl-C, SIGTERM): the clean-up ended what this thread was waiting for.
                System.err.println("dataplane: interrupted; what the run made is removed");
                return;
            }
            throw e;
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
            fail("bench/run dataplane needs root: it makes network namespaces and starts labs");
        }
        for (String tool : List.of("iperf3", "ip", "bridge", "ss", "bash")) {
            if (Stream.of(PATH.split(":")).noneMatch(d -> Files.isExecutable(Path.of(d, tool)))) {
                fail(tool + " is missing: apt-get install -y " + switch (tool) {
                    case "iperf3" -> "iperf3";
                    case "bash" -> "bash";
                    default -> "iproute2";
                });
            }
        }
    }

    /** The shared anchor script, or the one {@code $DROVER_BENCH_ANCHOR} names. */
    private static Path anchorScript(Path work) throws IOException {
        String chosen = System.getenv("DROVER_BENCH_ANCHOR");
        Path script = chosen != null && !chosen.isBlank() ? Path.of(chosen) : SHARED_ANCHOR.toAbsolutePath().normalize();
        if (!Files.isReadable(script)) {
            Files.deleteIfExists(work);
            fail("the anchor script " + script + " is missing: set DROVER_BENCH_ANCHOR to the hand-built lab script"
                    + " (handbuilt-lab.sh, the same two-node topology built with iproute2)");
        }
        return script;
    }

    private static void fail(String message) {
        System.err.println("error: " + message);
        System.exit(2);
    }

    private static void progress(String line) {
        System.err.println("dataplane: " + line);
    }

    // ---- the run -------------------------------------------------------------------------------------------------

    private void run(int seconds, int pods, int repeats) throws Exception {
        System.out.printf("dataplane.seconds = %d%n", seconds);
        System.out.printf("dataplane.repeats = %d%n", repeats);
        System.out.printf("dataplane.pods = %d%n", pods);
        System.out.printf("dataplane.anchor_script = %s%n", anchorScript);
        System.out.printf("dataplane.cpus = %d%n", Runtime.getRuntime().availableProcessors());
        System.out.printf("dataplane.loadavg_start = %s%n", loadAverage());

        String lab = "dpb-" + tag;
        Map<String, String> labNames = Map.of(ROUTED, lab + "-r", VXLAN, lab + "-x");
        Map<String, Topology> drover = new LinkedHashMap<>();
        Map<String, Topology> anchor = new LinkedHashMap<>();
        for (String mode : List.of(ROUTED, VXLAN)) {
            anchor.put(mode, anchorUp(mode));
            drover.put(mode, droverUp(labNames.get(mode), mode));
        }
        List<Topology> all = List.of(anchor.get(ROUTED), drover.get(ROUTED), anchor.get(VXLAN), drover.get(VXLAN));
        for (Topology t : all) {
            System.out.printf("dataplane.%s_pod_mtu = %d%n", t.label(), mtu(t.clientNs()));
        }

        progress("warming up (one 1 s run per topology)");
        for (Topology t : all) {
            iperf(t, 1);
        }
        Map<Topology, List<Throughput>> results = new LinkedHashMap<>();
        all.forEach(t -> results.put(t, new ArrayList<>()));
        for (int r = 0; r < repeats; r++) {
            StringBuilder line = new StringBuilder("repetition " + (r + 1) + "/" + repeats + ":");
            for (String mode : List.of(ROUTED, VXLAN)) {
                List<Topology> pair = r % 2 == 0 ? List.of(anchor.get(mode), drover.get(mode))
                        : List.of(drover.get(mode), anchor.get(mode));
                for (Topology t : pair) {
                    Throughput got = iperf(t, seconds);
                    results.get(t).add(got);
                    line.append(String.format(Locale.ROOT, " %s %.2f", t.label(), got.bitsPerSecond() / 1e9));
                }
            }
            progress(line + " Gbit/s");
        }
        for (Topology t : all) {
            System.out.printf("dataplane.%s_path_mtu = %s  (the client pod's route to the server after the runs)%n",
                    t.label(), pathMtu(t));
            System.out.printf("dataplane.%s_samples_gbps = %s%n", t.label(), String.join(" ", results.get(t).stream()
                    .map(s -> String.format(Locale.ROOT, "%.2f", s.bitsPerSecond() / 1e9)).toList()));
            System.out.printf("dataplane.%s_retransmits_p50 = %.0f%n", t.label(),
                    BenchStats.median(results.get(t).stream().mapToLong(Throughput::retransmits).toArray()));
        }

        if (pods > 0) {
            reachLatency(labNames, drover, pods);
        }

        System.out.printf("dataplane.loadavg_end = %s%n", loadAverage());
        System.out.printf("dataplane.routed_pair_ratio_p50 = %.3f  (median of Drover / anchor per repetition)%n",
                pairRatio(results.get(drover.get(ROUTED)), results.get(anchor.get(ROUTED))));
        System.out.printf("dataplane.vxlan_pair_ratio_p50 = %.3f  (median of Drover / anchor per repetition)%n",
                pairRatio(results.get(drover.get(VXLAN)), results.get(anchor.get(VXLAN))));
        double[] gbps = all.stream().mapToDouble(t -> medianGbps(results.get(t))).toArray();
        System.out.printf("dataplane.routed_anchor_gbps = %.2f%n", gbps[0]);
        System.out.printf("dataplane.routed_gbps = %.2f%n", gbps[1]);
        System.out.printf("dataplane.vxlan_anchor_gbps = %.2f%n", gbps[2]);
        System.out.printf("dataplane.vxlan_gbps = %.2f%n", gbps[3]);
        System.out.printf("dataplane.routed_ratio = %.3f%n", gbps[1] / gbps[0]);
        System.out.printf("dataplane.vxlan_ratio = %.3f%n", gbps[3] / gbps[2]);
    }

    private static double medianGbps(List<Throughput> samples) {
        return median(samples.stream().mapToDouble(Throughput::bitsPerSecond).toArray()) / 1e9;
    }

    /** The median of Drover / anchor within each repetition (the two ran back to back). */
    private static double pairRatio(List<Throughput> drover, List<Throughput> anchor) {
        double[] ratios = new double[drover.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = drover.get(i).bitsPerSecond() / anchor.get(i).bitsPerSecond();
        }
        return median(ratios);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    // ---- the anchor ----------------------------------------------------------------------------------------------

    private Topology anchorUp(String mode) {
        String prefix = "dpb" + tag + mode.charAt(0);
        List<String> existing = BenchLabs.namespaces().stream().filter(n -> n.startsWith(prefix)).toList();
        if (!existing.isEmpty()) {
            throw new IllegalStateException("namespaces " + existing + " exist already; run again (another prefix)");
        }
        register(anchors, prefix);
        progress("anchor " + mode + ": " + anchorScript + " up " + mode + " (P=" + prefix + ")");
        Run r = run(List.of("bash", anchorScript.toString(), "up", mode), Map.of("P", prefix), CLI_TIMEOUT);
        if (r.exit() != 0) {
            throw new IllegalStateException("the anchor's 'up " + mode + "' failed (" + r.exit() + "): " + r.stdout()
                    + r.stderr());
        }
        return new Topology(mode, true, prefix + "p1", prefix + "p2", ANCHOR_SERVER_IP);
    }

    private void anchorDown(String prefix) {
        run(List.of("bash", anchorScript.toString(), "down"), Map.of("P", prefix), Duration.ofSeconds(60));
        // The script's own names, should 'down' have missed one.
        for (String suffix : List.of("f", "n1", "n2", "p1", "p2")) {
            if (Files.exists(Path.of("/run/netns", prefix + suffix))) {
                run(List.of("ip", "netns", "del", prefix + suffix), Map.of(), Duration.ofSeconds(30));
            }
        }
    }

    // ---- Drover --------------------------------------------------------------------------------------------------

    /** {@code drover lab up}, then {@code drover apply} of a Network and a client and server pod; waits until they talk. */
    private Topology droverUp(String lab, String mode) throws IOException {
        register(labs, lab);
        progress("drover " + mode + ": drover lab up --name " + lab + " --nodes 2 --mode " + mode);
        droverCli(List.of("lab", "up", "--name", lab, "--nodes", "2", "--mode", mode));
        URI server = serverOf(lab);
        Path file = work.resolve(lab + ".yaml");
        Files.writeString(file, """
                apiVersion: drover.io/v1
                kind: Network
                metadata: {name: %1$s}
                spec: {subnets: ["%2$s"]}
                ---
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: client}
                spec: {node: node-1, networks: [%1$s], ports: [{name: echo, port: %3$d}]}
                ---
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: server}
                spec: {node: node-2, networks: [%1$s], ports: [{name: echo, port: %3$d}]}
                """.formatted(NETWORK, SUBNET, ECHO_PORT));
        droverCli(List.of("apply", "-f", file.toString(), "--server", server.toString()));
        LabNames names = LabNames.of(lab);
        String serverIp;
        try (DroverClient client = new DroverClient(server)) {
            serverIp = awaitAddress(client, "server");
        }
        Topology t = new Topology(mode, false, names.podNamespace("default", "client"),
                names.podNamespace("default", "server"), serverIp);
        // Ready when the client pod reads the server pod's echo text across the nodes.
        try (LinuxKernel kernel = new LinuxKernel(Duration.ofSeconds(1))) {
            long start = System.nanoTime();
            Reach r = reach(kernel, NetNs.named(t.clientNs()), InetAddress.getByName(serverIp), "default/server", start);
            if (r.nanos() < 0) {
                throw new IllegalStateException("in lab " + lab + " the client pod does not reach the server pod ("
                        + serverIp + ":" + ECHO_PORT + ") within " + REACH_DEADLINE.toSeconds() + " s: " + r.story());
            }
        }
        return t;
    }

    private URI serverOf(String lab) {
        LabState state = new LabStateStore(labDir).load(lab)
                .orElseThrow(() -> new IllegalStateException("lab " + lab + " has no state in " + labDir));
        return URI.create(state.serverUrl());
    }

    private static String awaitAddress(DroverClient client, String pod) {
        long deadline = System.nanoTime() + REACH_DEADLINE.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Optional<String> ip = client.find(ResourceKind.POD, "default", pod).map(Pod.class::cast)
                    .map(Pod::status).flatMap(s -> s.addresses().stream().findFirst()).map(PodStatus.PodAddress::ip);
            if (ip.isPresent()) {
                return ip.get();
            }
            BenchLabs.sleep(20);
        }
        throw new IllegalStateException("pod " + pod + " got no address within " + REACH_DEADLINE.toSeconds() + " s");
    }

    private void droverCli(List<String> args) {
        List<String> command = new ArrayList<>(cli);
        command.addAll(args);
        Run r = run(command, Map.of(LabLauncher.LAB_DIR_ENV, labDir.toString()), CLI_TIMEOUT);
        if (r.exit() != 0) {
            throw new IllegalStateException("drover " + String.join(" ", args) + " failed (" + r.exit() + "): "
                    + r.stdout() + r.stderr());
        }
    }



    // ---- iperf3 --------------------------------------------------------------------------------------------------

    /** One iperf3 run from the client pod to the server pod, as the anchor script's {@code bench} runs it. */
    private Throughput iperf(Topology t, int seconds) {
        Process server = start(List.of("ip", "netns", "exec", t.serverNs(), "iperf3", "-s", "-1"));
        try {
            awaitListening(t.serverNs(), server);
            Run r = run(List.of("ip", "netns", "exec", t.clientNs(), "iperf3", "-c", t.serverIp(), "-t",
                    Integer.toString(seconds), "-J"), Map.of(), Duration.ofSeconds(seconds + 30L));
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
            JsonNode end = json.path("end");
            return new Throughput(end.path("sum_received").path("bits_per_second").asDouble(),
                    end.path("sum_sent").path("retransmits").asLong(0));
        } finally {
            stop(server);
        }
    }

    /** Polls {@code ss} in the server's namespace until iperf3 listens (at most 10 s). */
    private static void awaitListening(String ns, Process server) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - deadline < 0) {
            Run r = run(List.of("ip", "netns", "exec", ns, "ss", "-Hltn", "sport = :" + IPERF_PORT), Map.of(),
                    Duration.ofSeconds(10));
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

    private static int mtu(String ns) {
        Run r = run(List.of("ip", "-n", ns, "link", "show", "eth0"), Map.of(), Duration.ofSeconds(10));
        Matcher m = Pattern.compile(" mtu (\\d+) ").matcher(r.stdout());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The MTU the client pod's kernel uses towards the server: a learnt path MTU, else the interface's. */
    private static String pathMtu(Topology t) {
        Run r = run(List.of("ip", "-n", t.clientNs(), "route", "get", t.serverIp()), Map.of(), Duration.ofSeconds(10));
        Matcher m = Pattern.compile("\\bmtu (\\d+)").matcher(r.stdout());
        return m.find() ? m.group(1) + " (learnt: path MTU discovery)" : mtu(t.clientNs()) + " (the interface's)";
    }

    // ---- apply to first cross-node connection ---------------------------------------------------------------------

    private void reachLatency(Map<String, String> labNames, Map<String, Topology> drover, int pods) throws Exception {
        progress("apply -> first cross-node connection: " + pods + " pods on node-2 per lab");
        System.out.printf("dataplane.pod_reach_probe = tcp connect from the new pod (node-2) to the echo server of"
                + " pod client (node-1, port %d), each attempt <= %d ms, until the echo text is read%n",
                ECHO_PORT, CONNECT_TIMEOUT_MS);
        Map<String, long[]> samples = new LinkedHashMap<>();
        Map<String, Integer> failed = new LinkedHashMap<>();
        Map<String, DroverClient> clients = new LinkedHashMap<>();
        Map<String, InetAddress> targets = new LinkedHashMap<>();
        try (LinuxKernel kernel = new LinuxKernel(Duration.ofSeconds(1))) {
            for (String mode : drover.keySet()) {
                DroverClient client = new DroverClient(serverOf(labNames.get(mode)));
                clients.put(mode, client);
                targets.put(mode, InetAddress.getByName(awaitAddress(client, "client")));
                samples.put(mode, new long[0]);
                failed.put(mode, 0);
            }
            int inARow = 0;
            for (int i = 0; i < pods && inARow < MAX_FAILURES_IN_A_ROW; i++) {
                boolean anyFailed = false;
                for (String mode : drover.keySet()) {
                    String name = "reach-" + i;
                    LabNames names = LabNames.of(labNames.get(mode));
                    NetNs ns = NetNs.named(names.podNamespace("default", name));
                    long start = System.nanoTime();
                    clients.get(mode).create(Pod.of(ObjectMeta.named("default", name),
                            new PodSpec("node-2", null, List.of(NETWORK), List.of(), List.of())));
                    Reach reached = reach(kernel, ns, targets.get(mode), "default/client", start);
                    long took = reached.nanos();
                    if (took < 0) {
                        failed.merge(mode, 1, Integer::sum);
                        anyFailed = true;
                        progress(mode + ": pod " + name + " did not reach pod client within "
                                + REACH_DEADLINE.toSeconds() + " s: " + reached.story());
                    } else {
                        if (took > SLOW.toNanos()) {
                            progress(String.format(Locale.ROOT, "%s: pod %s took %.0f ms (pod %d of node-2): %s", mode,
                                    name, took / 1e6, i + 2, reached.story()));
                        }
                        long[] old = samples.get(mode);
                        long[] grown = Arrays.copyOf(old, old.length + 1);
                        grown[old.length] = took;
                        samples.put(mode, grown);
                    }
                }
                inARow = anyFailed ? inARow + 1 : 0;
                if ((i + 1) % 25 == 0) {
                    progress((i + 1) + "/" + pods + " pods");
                }
            }
        } finally {
            clients.values().forEach(DroverClient::close);
        }
        for (String mode : samples.keySet()) {
            long[] s = samples.get(mode);
            if (s.length > 0) {
                System.out.printf("dataplane.%s_pod_reach_p50_ms = %.1f%n", mode, BenchStats.median(s) / 1e6);
                System.out.printf("dataplane.%s_pod_reach_p99_ms = %.1f%n", mode, BenchStats.percentile(s, 0.99) / 1e6);
                System.out.printf("dataplane.%s_pod_reach_max_ms = %.1f%n", mode, BenchStats.percentile(s, 1.0) / 1e6);
                System.out.printf("dataplane.%s_pod_reach_slow = %d  (of %d pods over %d ms; their attempts are in the"
                        + " progress output)%n", mode, Arrays.stream(s).filter(n -> n > SLOW.toNanos()).count(), s.length,
                        SLOW.toMillis());
            }
            System.out.printf("dataplane.%s_pod_reach_failed = %d%n", mode, failed.get(mode));
        }
    }

    /**
     * How a pod first reached the other one: the nanoseconds from the start (or -1 when it did not within {@link
     * #REACH_DEADLINE}), and what the attempts before met, in order, e.g. {@code 0 ms no namespace x12, 41 ms Network
     * is unreachable x3, ...}, to explain a slow one.
     */
    private record Reach(long nanos, String story) {}

    /**
     * Connects from inside {@code from} to the echo server at {@code target} until it answers {@code expected}, for
     * at most {@link #REACH_DEADLINE} after {@code start} (a {@link System#nanoTime}). Each attempt waits at most
     * {@link #CONNECT_TIMEOUT_MS} for the connection and as long again for the answer, so that one lost packet costs
     * a new attempt rather than a retransmission timer.
     */
    private static Reach reach(LinuxKernel kernel, NetNs from, InetAddress target, String expected, long start) {
        long deadline = start + REACH_DEADLINE.toNanos();
        InetSocketAddress address = new InetSocketAddress(target, ECHO_PORT);
        StringBuilder story = new StringBuilder();
        String last = null;
        int times = 0;
        for (int attempt = 0; attempt < 1_000_000 && System.nanoTime() - deadline < 0; attempt++) {
            long at = System.nanoTime();
            String outcome = "no namespace";
            if (Files.exists(from.path())) {
                String stage = "namespace";
                try {
                    SocketChannel channel = kernel.inNamespace(from, SocketChannel::open);
                    try (channel) {
                        Socket socket = channel.socket();
                        stage = "connect";
                        socket.connect(address, CONNECT_TIMEOUT_MS);
                        stage = "answer";
                        socket.setSoTimeout(CONNECT_TIMEOUT_MS);
                        String answer = readLine(socket.getInputStream());
                        if (expected.equals(answer)) {
                            return new Reach(System.nanoTime() - start, story.append(times > 1 ? " x" + times : "")
                                    .append(story.isEmpty() ? "" : ", ").append((at - start) / 1_000_000)
                                    .append(" ms answered").toString());
                        }
                        outcome = "answer '" + answer + "'";
                    }
                } catch (java.net.SocketTimeoutException e) {
                    outcome = stage + " timed out";
                } catch (IOException | RuntimeException e) {
                    outcome = stage + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
                }
            }
            if (outcome.equals(last)) {
                times++;
            } else {
                story.append(times > 1 ? " x" + times : "").append(story.isEmpty() ? "" : ", ")
                        .append((at - start) / 1_000_000).append(" ms ").append(outcome);
                last = outcome;
                times = 1;
            }
            BenchLabs.sleep(1);
        }
        return new Reach(-1, story.append(times > 1 ? " x" + times : "").toString());
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while (line.size() < 1024 && (b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    // ---- statistics ----------------------------------------------------------------------------------------------


    private static double median(double[] samples) {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length == 0 ? Double.NaN : sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }


    // ---- what the run made, and removing it ----------------------------------------------------------------------

    private synchronized boolean isClosed() {
        return closed;
    }

    private synchronized <T> void register(List<T> list, T item) {
        if (closed) {
            throw new IllegalStateException("interrupted: cleaning up");
        }
        list.add(item);
    }

    private Process start(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("PATH", PATH);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("interrupted: cleaning up");
            }
            try {
                Process p = pb.start();
                processes.add(p);
                return p;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run " + command, e);
            }
        }
    }

    /** Ends a process this run started (iperf3 -s -1 ends by itself after its one test). */
    private void stop(Process p) {
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroy();
                if (!p.waitFor(2, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            processes.remove(p);
        }
    }

    /** Stops this run's processes, takes its labs down and removes the anchor's namespaces and the work directory. */
    private void cleanUp() {
        List<Process> running;
        List<String> labsUp;
        List<String> anchorsUp;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = List.copyOf(processes);
            labsUp = List.copyOf(labs);
            anchorsUp = List.copyOf(anchors);
        }
        for (Process p : running) {
            p.destroyForcibly();
        }
        for (Process p : List.copyOf(RUNNING)) {
            p.destroyForcibly(); // a command the run waits for (iperf3 -c, lab up, ...): bounded, but not worth waiting
        }
        for (String lab : labsUp) {
            List<String> command = new ArrayList<>(cli);
            command.addAll(List.of("lab", "down", "--name", lab));
            try {
                Run r = run(command, Map.of(LabLauncher.LAB_DIR_ENV, labDir.toString()), Duration.ofSeconds(90));
                if (r.exit() != 0 && BenchLabs.namespaces().stream().anyMatch(LabNames.of(lab)::owns)) {
                    System.err.println("warning: drover lab down --name " + lab + " failed: " + r.stdout() + r.stderr()
                            + " run it again with DROVER_LAB_DIR=" + labDir);
                }
            } catch (RuntimeException e) {
                System.err.println("warning: drover lab down --name " + lab + " failed: " + e.getMessage());
            }
        }
        for (String prefix : anchorsUp) {
            try {
                anchorDown(prefix);
            } catch (RuntimeException e) {
                System.err.println("warning: removing the anchor " + prefix + " failed: " + e.getMessage()
                        + "; remove the namespaces " + prefix + "* (ip netns del)");
            }
        }
        boolean leftovers = BenchLabs.namespaces().stream().anyMatch(n -> labsUp.stream().anyMatch(l -> LabNames.of(l).owns(n))
                || anchorsUp.stream().anyMatch(n::startsWith));
        if (leftovers) {
            System.err.println("warning: namespaces of this run are left; keeping " + work + " (the labs' state)");
            return;
        }
        try (Stream<Path> tree = Files.exists(work) ? Files.walk(work) : Stream.empty()) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("warning: cannot remove " + work + ": " + e.getMessage());
        }
    }

    // ---- processes -----------------------------------------------------------------------------------------------

    private record Run(int exit, String stdout, String stderr) {}

    /** Every process {@link #run} waits for now, so that the clean-up can end them (by their handles) on Ctrl-C. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    private static Run run(List<String> command, Map<String, String> env, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("PATH", PATH);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            RUNNING.add(p);
            try {
                return await(p, command, timeout);
            } finally {
                RUNNING.remove(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
    }

    private static Run await(Process p, List<String> command, Duration timeout) {
        try {
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> BenchLabs.readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> BenchLabs.readAll(p.getErrorStream()));
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command));
            }
            return new Run(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
