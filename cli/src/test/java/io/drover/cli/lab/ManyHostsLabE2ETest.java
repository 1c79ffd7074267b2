package io.drover.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.kernel.NetNs;
import io.drover.cli.CliHarness;
import io.drover.lab.probe.ReachabilityMatrix;
import io.drover.lab.probe.ServingCheck;
import io.drover.lab.runtime.LabLauncher;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabState;
import io.drover.model.pod.Pod;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Labs of many hosts, through the CLI: a VXLAN overlay over a routed underlay (two segments joined by a router
 * namespace); a node cut off the underlay and healed; an established cross-node connection across an agent stop
 * and start; and a lab on a three-member etcd with two servers that keeps working with a member and a server
 * stopped. Root only: labs are network namespaces. Each test makes its own small lab; the base class removes it
 * whatever happens and checks that no namespace is left.
 */
class ManyHostsLabE2ETest extends LabE2ETestBase {

    private static final Duration BLOCKED = Duration.ofMillis(500);
    private static final Duration HEALED = Duration.ofSeconds(15);
    private static final Duration CONVERGED = Duration.ofSeconds(20);

    /** (a) VXLAN over a routed underlay: every pod reaches every other, through the router, by its own address. */
    @Test
    void vxlanOverARoutedUnderlayReachesEveryNodeThroughTheRouter() throws Exception {
        String hostForwarding = lab.kernel().sysctl(NetNs.SELF, "net.ipv4.ip_forward");
        up("--nodes", "3", "--mode", "vxlan", "--underlay", "routed");
        LabNames names = LabNames.of(lab.lab());
        assertThat(lab.namespaces()).contains(names.routerNamespace());
        assertThat(lab.kernel().sysctl(NetNs.named(names.routerNamespace()), "net.ipv4.ip_forward")).isEqualTo("1");
        assertThat(lab.kernel().sysctl(NetNs.SELF, "net.ipv4.ip_forward")).as("the host's forwarding").isEqualTo(hostForwarding);

        List<String> pods = applyPods("10.81.0.0/16", Map.of("a1", 1, "a2", 2, "a3", 3, "a4", 1));
        Map<String, Pod> byName = awaitServing(names, "x", pods);
        awaitAllPairsConnect(pods);

        // node-1 (172.31.1.1) and node-2 (172.31.2.2) are on different segments: no L2 adjacency, a route via the router.
        assertThat(lab.kernel().routes(NetNs.named(names.nodeNamespace(2)))).anyMatch(r -> r.destination().prefixLength() == 0
                && r.gateway() != null && r.gateway().getHostAddress().equals("172.31.2.254"));
        // The server pod sees the client pod's own address, across segments (no NAT anywhere on the way).
        assertThat(peerSeenBy(names, byName.get("a1"), byName.get("a2"), 7001)).isEqualTo(ip(byName.get("a1")));
        assertThat(peerSeenBy(names, byName.get("a2"), byName.get("a3"), 7002)).isEqualTo(ip(byName.get("a2")));

        CliHarness.Result status = lab.drover("lab", "status", "--name", lab.lab());
        assertThat(status.out()).contains("underlay routed").contains("172.31.2.2/24");
    }

    /** (b) A cut node's pods are unreachable from the others; healed, they are reachable again by themselves. */
    @Test
    void aCutNodeIsUnreachableUntilHealed() throws Exception {
        up("--nodes", "2", "--mode", "routed");
        LabNames names = LabNames.of(lab.lab());
        Map<String, Pod> pods = awaitServing(names, "x", applyPods("10.82.0.0/16", Map.of("c1", 1, "c2", 2)));
        NetNs c1 = podNs(names, pods.get("c1"));
        InetAddress c2 = InetAddress.ofLiteral(ip(pods.get("c2")));
        ServingCheck check = new ServingCheck(lab.kernel());
        assertThat(check.connectFrom(c1, c2, 80, Duration.ofSeconds(2)).text()).isEqualTo("x/c2");

        CliHarness.Result cut = lab.drover("lab", "node", "cut", "node-2");
        assertThat(cut.exitCode()).as(cut.err()).isZero();
        assertThat(cut.out()).contains("cut node-2 off the underlay");
        assertThat(lab.store().load(lab.lab()).orElseThrow().cut()).containsExactly("node-2");
        assertThat(check.connectFrom(c1, c2, 80, BLOCKED).connected()).as("node-2's pod while cut").isFalse();
        assertThat(lab.drover("lab", "status").out()).contains("cut (drover lab node heal node-2");

        CliHarness.Result heal = lab.drover("lab", "node", "heal", "2");
        assertThat(heal.exitCode()).as(heal.err()).isZero();
        await().atMost(HEALED).until(() -> check.connectFrom(c1, c2, 80, BLOCKED).connected());
        assertThat(lab.store().load(lab.lab()).orElseThrow().cut()).isEmpty();

        CliHarness.Result unknown = lab.drover("lab", "node", "cut", "node-7");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("has no node node-7: its nodes are node-1 to node-2");
    }

    /** (c) An established TCP connection between pods of two nodes survives the agent of one stopped and started. */
    @Test
    void anEstablishedCrossNodeConnectionSurvivesAnAgentStopAndStart() throws Exception {
        up("--nodes", "2", "--mode", "vxlan");
        LabNames names = LabNames.of(lab.lab());
        Map<String, Pod> pods = awaitServing(names, "x", applyPods("10.83.0.0/16", Map.of("s1", 1, "s2", 2)));
        String role = LabLauncher.agentRole("node-1");
        long before = lab.store().load(lab.lab()).flatMap(s -> s.process(role)).orElseThrow().pid();

        try (ServerSocketChannel server = listen(names, pods.get("s2"), 7003);
                Socket client = connect(podNs(names, pods.get("s1")), ip(pods.get("s2")), 7003);
                Socket accepted = server.accept().socket()) {
            accepted.setSoTimeout(5000);
            assertThat(((InetSocketAddress) accepted.getRemoteSocketAddress()).getAddress().getHostAddress())
                    .isEqualTo(ip(pods.get("s1")));
            assertThat(roundTrip(client, accepted, "before")).isEqualTo("before");

            CliHarness.Result stop = lab.drover("lab", "node", "stop", "node-1");
            assertThat(stop.exitCode()).as(stop.err()).isZero();
            LabState.ProcessRecord stopped = lab.store().load(lab.lab()).flatMap(s -> s.process(role)).orElseThrow();
            assertThat(stopped.stopped()).isTrue();
            assertThat(stopped.identity().isRunning()).isFalse();
            assertThat(lab.drover("lab", "status").out()).contains("agent stopped (drover lab node start node-1");
            assertThat(roundTrip(client, accepted, "agentless")).isEqualTo("agentless");

            CliHarness.Result start = lab.drover("lab", "node", "start", "node-1");
            assertThat(start.exitCode()).as(start.err() + start.out()).isZero();
            LabState.ProcessRecord again = lab.store().load(lab.lab()).flatMap(s -> s.process(role)).orElseThrow();
            assertThat(again.pid()).isNotEqualTo(before);
            assertThat(again.stopped()).isFalse();
            assertThat(again.identity().isRunning()).isTrue();
            assertThat(roundTrip(client, accepted, "after restart")).isEqualTo("after restart");
        }
        awaitServing(names, "x", List.of("s1", "s2"));
    }

    /**
     * (d) A lab on three etcd members (inside the lab) with two servers: the probe passes, and keeps passing with a
     * member stopped; new pods are still placed and plumbed; with server-1 stopped too the CLI uses server-2.
     */
    @Test
    void aLabOnThreeEtcdMembersSurvivesAStoppedMemberAndServer() throws Exception {
        Assumptions.assumeTrue(CliHarness.run("server", "--help").out().contains("--etcd-endpoints"),
                "drover server has no --store etcd yet: a lab on etcd cannot start its servers");
        Assumptions.assumeTrue(Files.isExecutable(LabLauncher.DEFAULT_ETCD) || System.getenv(LabLauncher.ETCD_ENV) != null,
                "needs the etcd binary (apt-get install etcd-server)");
        up("--nodes", "3", "--mode", "vxlan", "--store", "etcd", "--etcd-members", "3", "--servers", "2");
        LabNames names = LabNames.of(lab.lab());
        LabState state = lab.store().load(lab.lab()).orElseThrow();
        assertThat(state.effectiveTopology().etcd()).extracting(LabState.EtcdMember::clientUrl).containsExactly(
                "http://172.31.0.201:2379", "http://172.31.0.202:2379", "http://172.31.0.203:2379");
        assertThat(state.servers()).hasSize(2);
        // The members run inside the lab, in its fabric namespace.
        for (int i = 1; i <= 3; i++) {
            assertThat(state.process("etcd-" + i).orElseThrow().namespace()).isEqualTo(names.fabricNamespace());
        }

        List<String> pods = new ArrayList<>(applyPods("10.84.0.0/16", Map.of("e1", 1, "e2", 2, "e3", 3)));
        awaitServing(names, "x", pods);
        awaitAllPairsConnect(pods);

        CliHarness.Result stop = lab.drover("lab", "etcd", "stop", "etcd-1");
        assertThat(stop.exitCode()).as(stop.err()).isZero();
        assertThat(stop.out()).contains("2 of 3 members run: a majority");
        assertAllPairsConnect(pods);
        applyPlaced("e4");
        pods.add("e4");
        awaitServing(names, "x", pods);
        awaitAllPairsConnect(pods);

        CliHarness.Result serverStop = lab.drover("lab", "server", "stop", "1");
        assertThat(serverStop.exitCode()).as(serverStop.err()).isZero();
        applyPlaced("e5");
        pods.add("e5");
        awaitServing(names, "x", pods);
        awaitAllPairsConnect(pods);
        CliHarness.Result status = lab.drover("lab", "status");
        assertThat(status.out()).contains("store etcd (3 members)").containsPattern("etcd-1 .* stopped")
                .containsPattern("server-1 .* stopped").containsPattern("server-2 .* up, leader");

        CliHarness.Result start = lab.drover("lab", "etcd", "start", "1");
        assertThat(start.exitCode()).as(start.err()).isZero();
        assertThat(start.out()).contains("rejoined the cluster");

        CliHarness.Result down = lab.drover("lab", "down", "--name", lab.lab());
        assertThat(down.exitCode()).as(down.err()).isZero();
        assertThat(down.out()).contains("stopped etcd-2", "stopped relay", "lab " + lab.lab() + " removed");
        assertThat(lab.namespaces()).isEmpty();
        assertThat(lab.store().labDir(lab.lab())).doesNotExist();
        for (LabState.ProcessRecord p : state.processes()) {
            assertThat(p.identity().isRunning()).as(p.role() + " after lab down").isFalse();
        }
    }

    private void up(String... options) {
        List<String> args = new ArrayList<>(List.of("lab", "up", "--name", lab.lab()));
        args.addAll(List.of(options));
        CliHarness.Result up = lab.drover(args.toArray(String[]::new));
        assertThat(up.exitCode()).as(up.err() + up.out()).isZero();
    }

    /** Network blue on {@code subnet}, namespace x, and one echo pod per entry on the node numbered. */
    private List<String> applyPods(String subnet, Map<String, Integer> nodes) throws Exception {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: drover.io/v1
                kind: Network
                metadata: {name: blue}
                spec: {subnets: ["%s"]}
                ---
                {apiVersion: drover.io/v1, kind: Namespace, metadata: {name: x}}
                """.formatted(subnet));
        List<String> names = nodes.keySet().stream().sorted().toList();
        for (String name : names) {
            yaml.append("---\n{apiVersion: drover.io/v1, kind: Pod, metadata: {name: ").append(name)
                    .append(", namespace: x}, spec: {node: node-").append(nodes.get(name))
                    .append(", networks: [blue], ports: [{name: http, port: 80}]}}\n");
        }
        apply(yaml.toString());
        return names;
    }

    /** A pod that names no node: the lab's (leading) server places it. */
    private void applyPlaced(String name) throws Exception {
        apply("{apiVersion: drover.io/v1, kind: Pod, metadata: {name: " + name + ", namespace: x},"
                + " spec: {networks: [blue], ports: [{name: http, port: 80}]}}\n");
    }

    private void apply(String yaml) throws Exception {
        Path file = Files.createTempFile(work, "pods", ".yaml");
        Files.writeString(file, yaml);
        CliHarness.Result applied = lab.drover("apply", "-f", file.toString());
        assertThat(applied.exitCode()).as(applied.err()).isZero();
    }

    /** The probe over namespace x on port 80 shows every pod reaching every other, now. */
    private void assertAllPairsConnect(List<String> pods) {
        String failure = allPairsConnect(pods);
        if (failure != null) {
            throw new AssertionError(failure + "\n" + diagnostics());
        }
    }

    /**
     * The probe shows every pod reaching every other within {@link #CONVERGED}: a new pod serves on its own node as
     * soon as its agent plumbed it, while the other nodes learn its block (and it theirs) through their watches.
     */
    private void awaitAllPairsConnect(List<String> pods) {
        long deadline = System.nanoTime() + CONVERGED.toNanos();
        String failure;
        while ((failure = allPairsConnect(pods)) != null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not converged after " + CONVERGED.toSeconds() + " s: " + failure + "\n"
                        + diagnostics());
            }
        }
    }

    /** Null when every pod reaches every other, else the probe's output. */
    private String allPairsConnect(List<String> pods) {
        CliHarness.Result probe = lab.drover("probe", "--namespaces", "x", "--ports", "80", "--timeout-ms", "1000");
        assertThat(probe.exitCode()).as(probe.err()).isZero();
        String matrix = probe.out().substring(probe.out().indexOf("from\\to"), probe.out().indexOf("\n\n"));
        ReachabilityMatrix expected = ReachabilityMatrix.of(pods.stream().map(p -> "x/" + p).toList(), (a, b) -> true);
        return ReachabilityMatrix.parse(matrix).diff(expected).isEmpty() ? null : "probe matrix:\n" + probe.out();
    }

    /** The lab's status and the end of its agents' logs, for a failure message. */
    private String diagnostics() {
        StringBuilder text = new StringBuilder(lab.drover("lab", "status").out());
        LabState state = lab.store().load(lab.lab()).orElseThrow();
        for (LabState.ProcessRecord p : state.processes()) {
            if (p.role().startsWith("agent-") || LabLauncher.isServerRole(p.role())) {
                try {
                    List<String> lines = Files.readAllLines(Path.of(p.log()));
                    text.append("\n--- ").append(p.log()).append(" (last 40 lines)\n")
                            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
                } catch (java.io.IOException e) {
                    text.append("\n--- ").append(p.log()).append(": ").append(e);
                }
            }
        }
        return text.toString();
    }

    private static String ip(Pod pod) {
        return pod.status().addresses().getFirst().ip();
    }

    private static NetNs podNs(LabNames names, Pod pod) {
        return NetNs.named(names.podNamespace(pod.metadata().namespace(), pod.metadata().name()));
    }

    /** A listener opened inside a pod's namespace (the test's own, beside the pod's echo server). */
    private ServerSocketChannel listen(LabNames names, Pod pod, int port) {
        return lab.kernel().inNamespace(podNs(names, pod), () -> {
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(port));
            return server;
        });
    }

    /** A TCP connection opened inside {@code ns} (the socket is made there; connecting may happen anywhere). */
    private Socket connect(NetNs ns, String ip, int port) throws Exception {
        SocketChannel channel = lab.kernel().inNamespace(ns, SocketChannel::open);
        Socket socket = channel.socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.ofLiteral(ip), port), 2000);
            socket.setSoTimeout(5000);
        } catch (Exception e) {
            channel.close();
            throw e;
        }
        return socket;
    }

    /** The address {@code server}'s namespace sees a connection from {@code client}'s namespace come from. */
    private String peerSeenBy(LabNames names, Pod client, Pod server, int port) throws Exception {
        try (ServerSocketChannel listener = listen(names, server, port);
                Socket socket = connect(podNs(names, client), ip(server), port);
                SocketChannel accepted = listener.accept()) {
            return ((InetSocketAddress) accepted.getRemoteAddress()).getAddress().getHostAddress();
        }
    }

    /** A line from the client to the accepted side and back. */
    private static String roundTrip(Socket client, Socket accepted, String line) throws Exception {
        send(client, line);
        String got = receive(accepted);
        send(accepted, got);
        return receive(client);
    }

    private static void send(Socket socket, String line) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String receive(Socket socket) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8), 1);
        StringBuilder got = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            got.append((char) c);
        }
        return got.toString();
    }
}
