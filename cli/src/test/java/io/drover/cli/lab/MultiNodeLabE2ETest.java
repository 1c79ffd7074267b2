package io.drover.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.cli.CliHarness;
import io.drover.lab.probe.ReachabilityMatrix;
import io.drover.lab.probe.ServingCheck;
import io.drover.lab.runtime.LabLauncher;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabState;
import io.drover.model.pod.Pod;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pods on different nodes of a 3-node lab reach each other by their own addresses, for each of routed (host-gw) and
 * VXLAN mode on each of the embedded store and etcd: an all-pairs probe over two pods per node shows one network
 * connected across nodes and another isolated from it; the server's node sees the client pod's own address (no
 * NAT); in VXLAN mode the pods' MTU is the fabric's less the encapsulation; an established cross-node TCP connection
 * keeps flowing while its node's agent is stopped and started; a node cut off the underlay is unreachable and
 * reachable again once healed, with no step by hand. Root only.
 */
class MultiNodeLabE2ETest extends LabE2ETestBase {

    private static final Duration BLOCKED = Duration.ofMillis(500);
    private static final Duration HEALED = Duration.ofSeconds(20);
    private static final Duration CONVERGED = Duration.ofSeconds(20);

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"routed, embedded", "vxlan, embedded", "routed, etcd", "vxlan, etcd"})
    void podsOnEveryNodeReachEachOtherByTheirOwnAddresses(String mode, String store) throws Exception {
        List<String> up = new ArrayList<>(List.of("lab", "up", "--name", lab.lab(), "--nodes", "3", "--mode", mode,
                "--store", store));
        CliHarness.Result started = lab.drover(up.toArray(String[]::new));
        assertThat(started.exitCode()).as(started.err() + started.out()).isZero();

        StringBuilder manifest = new StringBuilder("""
                apiVersion: drover.io/v1
                kind: Network
                metadata: {name: blue}
                spec: {subnets: ["10.71.0.0/16"]}
                ---
                apiVersion: drover.io/v1
                kind: Network
                metadata: {name: red}
                spec: {subnets: ["10.72.0.0/16"]}
                ---
                {apiVersion: drover.io/v1, kind: Namespace, metadata: {name: x}}
                """);
        List<String> blue = new ArrayList<>();
        for (int node = 1; node <= 3; node++) {
            for (int i = 1; i <= 2; i++) {
                String name = "b" + node + i;
                blue.add(name);
                manifest.append("---\n{apiVersion: drover.io/v1, kind: Pod, metadata: {name: ").append(name)
                        .append(", namespace: x}, spec: {node: node-").append(node)
                        .append(", networks: [blue], ports: [{name: http, port: 80}]}}\n");
            }
        }
        manifest.append("""
                ---
                {apiVersion: drover.io/v1, kind: Pod, metadata: {name: r2, namespace: x},
                 spec: {node: node-2, networks: [red], ports: [{name: http, port: 80}]}}
                """);
        Path file = work.resolve("pods.yaml");
        Files.writeString(file, manifest);
        CliHarness.Result applied = lab.drover("apply", "-f", file.toString());
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        List<String> all = new ArrayList<>(blue);
        all.add("r2");
        LabNames names = LabNames.of(lab.lab());
        Map<String, Pod> pods = awaitServing(names, "x", all);

        // Each pod serves on its node as soon as its agent plumbed it; the other nodes learn its block through their
        // watches a moment later: the matrix must be complete within CONVERGED, and stay so.
        ReachabilityMatrix expected = ReachabilityMatrix.of(all.stream().map(p -> "x/" + p).toList(),
                (client, server) -> client.equals("x/r2") == server.equals("x/r2"));
        long deadline = System.nanoTime() + CONVERGED.toNanos();
        String last;
        while (true) {
            CliHarness.Result probe = lab.drover("probe", "--namespaces", "x", "--ports", "80", "--timeout-ms", "1000");
            assertThat(probe.exitCode()).as(probe.err()).isZero();
            String matrixText = probe.out().substring(probe.out().indexOf("from\\to"), probe.out().indexOf("\n\n"));
            last = probe.out();
            if (ReachabilityMatrix.parse(matrixText).diff(expected).isEmpty() || System.nanoTime() > deadline) {
                assertThat(ReachabilityMatrix.parse(matrixText).diff(expected).isEmpty()).as("probe matrix:\n" + last)
                        .isTrue();
                break;
            }
        }

        // Every node reaches its own pods from its namespace, as its agent's health checks do: the reply goes to the
        // pods' gateway, an address every node has and that lies in one node's block, and must stay on this node.
        for (Pod pod : pods.values()) {
            int node = Integer.parseInt(pod.spec().node().substring("node-".length()));
            assertThat(nodeConnects(names.nodeNamespace(node), PodSockets.ip(pod), 80))
                    .as("node-%d connects to its pod %s at %s:80", node, pod.name(), PodSockets.ip(pod)).isTrue();
        }

        // No NAT: the server pod on node-3 sees the client pod of node-1 by its own address.
        PodSockets sockets = new PodSockets(lab.kernel(), names);
        assertThat(sockets.peerSeenBy(pods.get("b11"), pods.get("b31"), 7001)).isEqualTo(PodSockets.ip(pods.get("b11")));

        if (mode.equals("vxlan")) {
            CliHarness.Result mtu = lab.drover("lab", "exec", "x/b11", "--", "ip", "-o", "link", "show", "dev", "eth0");
            assertThat(mtu.out()).contains("mtu 1450");
        }

        anEstablishedConnectionSurvivesAnAgentRestart(names, sockets, pods.get("b12"), pods.get("b22"));
        aFastPathFlowIsNotFloodedToTheOtherPodsOfItsBridge(names, sockets, pods.get("b11"), pods.get("b21"),
                pods.get("b22"));
        aCutNodeIsUnreachableUntilHealed(pods.get("b11"), pods.get("b21"));
    }

    private void anEstablishedConnectionSurvivesAnAgentRestart(LabNames names, PodSockets sockets, Pod client,
            Pod server) throws Exception {
        String role = LabLauncher.agentRole("node-1");
        long before = lab.store().load(lab.lab()).flatMap(s -> s.process(role)).orElseThrow().pid();
        try (ServerSocketChannel listener = sockets.listen(server, 7003);
                Socket connection = sockets.connect(client, PodSockets.ip(server), 7003);
                Socket accepted = listener.accept().socket()) {
            accepted.setSoTimeout(5000);
            assertThat(PodSockets.roundTrip(connection, accepted, "before")).isEqualTo("before");
            // Two pods of one network that no policy, service or published port concerns: the fast path carries
            // their connection, so neither node's conntrack holds it (the normal path tracks every connection).
            assertThat(trackedConnections(names.nodeNamespace(1), 7003)).isEmpty();
            assertThat(trackedConnections(names.nodeNamespace(2), 7003)).isEmpty();

            CliHarness.Result stop = lab.drover("lab", "node", "stop", "node-1");
            assertThat(stop.exitCode()).as(stop.err()).isZero();
            LabState.ProcessRecord stopped = lab.store().load(lab.lab()).flatMap(s -> s.process(role)).orElseThrow();
            assertThat(stopped.identity().isRunning()).isFalse();
            assertThat(PodSockets.roundTrip(connection, accepted, "agentless")).isEqualTo("agentless");

            CliHarness.Result start = lab.drover("lab", "node", "start", "node-1");
            assertThat(start.exitCode()).as(start.err() + start.out()).isZero();
            assertThat(lab.store().load(lab.lab()).flatMap(s -> s.process(role)).orElseThrow().pid()).isNotEqualTo(before);
            assertThat(PodSockets.roundTrip(connection, accepted, "after restart")).isEqualTo("after restart");
        }
    }

    /**
     * The receiving pod's own packets take the fast path too, so its bridge never sees it send and would forget its
     * MAC (here after 1 s) and flood its frames to every port; its MAC is pinned to its port instead, and a bystander
     * on the same bridge receives none of the flow.
     */
    private void aFastPathFlowIsNotFloodedToTheOtherPodsOfItsBridge(LabNames names, PodSockets sockets, Pod client,
            Pod server, Pod bystander) throws Exception {
        String node = names.nodeNamespace(2);
        run("ip", "netns", "exec", node, "ip", "link", "set", "dr-blue", "type", "bridge", "ageing_time", "100");
        try (ServerSocketChannel listener = sockets.listen(server, 7004);
                Socket connection = sockets.connect(client, PodSockets.ip(server), 7004);
                Socket accepted = listener.accept().socket()) {
            accepted.setSoTimeout(5000);
            assertThat(PodSockets.roundTrip(connection, accepted, "hello")).isEqualTo("hello");
            Thread.sleep(2_000); // what the bridge learned is forgotten by now
            String bystanderNs = sockets.namespaceOf(bystander).path().getFileName().toString();
            long before = Long.parseLong(run("ip", "netns", "exec", bystanderNs, "cat", "/sys/class/net/eth0/statistics/rx_bytes"));
            PodSockets.stream(connection, accepted, 20 << 20);
            long after = Long.parseLong(run("ip", "netns", "exec", bystanderNs, "cat", "/sys/class/net/eth0/statistics/rx_bytes"));
            assertThat(after - before).as("bytes the bystander %s received while 20 MiB went to %s on its bridge",
                    bystander.metadata().name(), server.metadata().name()).isLessThan(1 << 20);
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    /** Whether a TCP connection from a node's namespace to {@code ip:port} opens within 2 s. */
    private static boolean nodeConnects(String namespace, String ip, int port) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", namespace, "timeout", "2", "bash", "-c",
                "exec 3<>/dev/tcp/" + ip + "/" + port).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    /** The conntrack entries of TCP connections to {@code port} in a node's namespace, as conntrack lists them. */
    private static List<String> trackedConnections(String namespace, int port) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", namespace, "conntrack", "-L", "-p", "tcp", "--dport",
                String.valueOf(port)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("conntrack -L in " + namespace).isZero();
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    private void aCutNodeIsUnreachableUntilHealed(Pod client, Pod server) {
        ServingCheck check = new ServingCheck(lab.kernel());
        var from = new PodSockets(lab.kernel(), LabNames.of(lab.lab())).namespaceOf(client);
        InetAddress to = InetAddress.ofLiteral(PodSockets.ip(server));
        String expected = "x/" + server.metadata().name();
        await().atMost(HEALED).until(() -> check.connectFrom(from, to, 80, BLOCKED).text().equals(expected));

        CliHarness.Result cut = lab.drover("lab", "node", "cut", "node-2");
        assertThat(cut.exitCode()).as(cut.err()).isZero();
        assertThat(check.connectFrom(from, to, 80, BLOCKED).connected()).as("node-2's pod while cut").isFalse();

        CliHarness.Result heal = lab.drover("lab", "node", "heal", "node-2");
        assertThat(heal.exitCode()).as(heal.err()).isZero();
        await().atMost(HEALED).until(() -> check.connectFrom(from, to, 80, BLOCKED).text().equals(expected));
    }
}
