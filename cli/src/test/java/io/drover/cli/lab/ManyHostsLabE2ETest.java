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
 * namespace), and a lab on a three-member etcd with two servers that keeps working with a member and a server
 * stopped (cut and heal and agent restarts, in every mode and store: {@link MultiNodeLabE2ETest}). Root only: labs are network namespaces. Each test makes its own small lab; the base class removes it
 * whatever happens and checks that no namespace is left.
 */
class ManyHostsLabE2ETest extends LabE2ETestBase {

    private static final Duration CONVERGED = Duration.ofSeconds(20);

    /** (a) VXLAN over a routed underlay: every pod reaches every other, through the router, by its own address. */
    @Test
    void vxlanOverARoutedUnderlayReachesEveryNodeThroughTheRouter() throws Exception {
        String hostForwarding = lab.kernel().sysctl(NetNs.SELF, "net.ipv4.ip_forward");
        up("--nodes", "3", "--mode", "vxlan", "--underlay", "routed");
        LabNames names = LabNames.of(lab.lab());
        PodSockets sockets = new PodSockets(lab.kernel(), names);
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
        assertThat(sockets.peerSeenBy(byName.get("a1"), byName.get("a2"), 7001)).isEqualTo(PodSockets.ip(byName.get("a1")));
        assertThat(sockets.peerSeenBy(byName.get("a2"), byName.get("a3"), 7002)).isEqualTo(PodSockets.ip(byName.get("a2")));

        CliHarness.Result status = lab.drover("lab", "status", "--name", lab.lab());
        assertThat(status.out()).contains("underlay routed").contains("172.31.2.2/24");
    }

    /**
     * (b) A lab on three etcd members (inside the lab) with two servers: the probe passes, and keeps passing with a
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
}
