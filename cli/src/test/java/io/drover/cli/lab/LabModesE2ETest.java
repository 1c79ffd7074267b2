package io.drover.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.NetNs;
import io.drover.api.client.DroverClient;
import io.drover.cli.CliHarness;
import io.drover.lab.probe.ServingCheck;
import io.drover.lab.runtime.LabLauncher;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabProcesses;
import io.drover.lab.runtime.LabState;
import io.drover.model.ResourceKind;
import io.drover.model.node.Node;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodStatus.PodAddress;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A real lab through the CLI, for what {@link LabE2ETest} leaves out: the host and none network modes beside the
 * default bridge mode (container mode is covered there), a pod on several networks (one interface per network,
 * reaching both, while the networks stay isolated from each other), and a node agent killed with SIGKILL and
 * started again while a TCP connection between two pods is open: the connection keeps carrying data and the new
 * agent adopts the data plane instead of rebuilding it. Root only: labs are network namespaces.
 */
class LabModesE2ETest extends LabE2ETestBase {

    private static final Duration BLOCKED = Duration.ofMillis(500);

    @Test
    void hostModeSharesTheNodeAndNoneModeHasOnlyLoopback() throws Exception {
        up();
        apply("""
                apiVersion: drover.io/v1
                kind: Network
                metadata: {name: blue}
                spec: {subnets: ["10.63.0.0/24"]}
                ---
                {apiVersion: drover.io/v1, kind: Namespace, metadata: {name: e2e}}
                ---
                {apiVersion: drover.io/v1, kind: Pod, metadata: {name: br1, namespace: e2e},
                 spec: {node: node-1, networks: [blue], ports: [{name: http, port: 80}]}}
                ---
                {apiVersion: drover.io/v1, kind: Pod, metadata: {name: br2, namespace: e2e},
                 spec: {node: node-1, ports: [{name: http, port: 80}], networks: [blue]}}
                ---
                {apiVersion: drover.io/v1, kind: Pod, metadata: {name: onhost, namespace: e2e},
                 spec: {node: node-1, networkMode: host}}
                ---
                {apiVersion: drover.io/v1, kind: Pod, metadata: {name: alone, namespace: e2e},
                 spec: {node: node-1, networkMode: none, ports: [{name: http, port: 80}]}}
                """);
        LabNames names = LabNames.of(lab.lab());
        Map<String, Pod> pods = awaitServing(names, "e2e", List.of("br1", "br2"));
        String br1 = pods.get("br1").status().addresses().getFirst().ip();

        // Bridge (the default): the pod's own namespace, its address on eth0, not the node's.
        CliHarness.Result bridged = lab.drover("lab", "exec", "e2e/br2", "--", "ip", "-4", "-o", "address");
        assertThat(bridged.exitCode()).as(bridged.err()).isZero();
        assertThat(bridged.out()).contains(" eth0 ").contains(" " + pods.get("br2").status().addresses().getFirst().ip() + "/24 ")
                .doesNotContain("172.31.0.");

        // Host: the pod runs in its node's namespace, so it sees the node's underlay address.
        CliHarness.Result host = lab.drover("lab", "exec", "e2e/onhost", "--", "ip", "-4", "-o", "address");
        assertThat(host.exitCode()).as(host.err()).isZero();
        assertThat(host.out()).contains(" 172.31.0.1/24 ");

        // None: a namespace of its own (the agent makes it) with only its loopback, up, and its echo server on it.
        NetNs alone = NetNs.named(names.podNamespace("e2e", "alone"));
        ServingCheck check = new ServingCheck(lab.kernel());
        await().atMost(READY).until(() -> Files.exists(Path.of("/run/netns", names.podNamespace("e2e", "alone")))
                && check.connectFrom(alone, InetAddress.ofLiteral("127.0.0.1"), 80, BLOCKED)
                        .equals(new ServingCheck.Exchange(true, "e2e/alone")));
        CliHarness.Result links = lab.drover("lab", "exec", "e2e/alone", "--", "ip", "-o", "link");
        assertThat(links.exitCode()).as(links.err()).isZero();
        List<String> interfaces = links.out().lines().map(l -> l.split(":")[1].trim()).toList();
        assertThat(interfaces).as(links.out()).containsExactly("lo");
        CliHarness.Result addresses = lab.drover("lab", "exec", "e2e/alone", "--", "ip", "-4", "-o", "address");
        assertThat(addresses.out().lines().toList()).as(addresses.out()).allMatch(l -> l.contains(" lo "));
        // It cannot reach a pod; a bridge pod on the same node can (so the check itself would see a connection).
        assertThat(check.connectFrom(alone, InetAddress.ofLiteral(br1), 80, BLOCKED).connected()).isFalse();
        assertThat(check.connectFrom(NetNs.named(names.podNamespace("e2e", "br2")), InetAddress.ofLiteral(br1), 80, BLOCKED))
                .isEqualTo(new ServingCheck.Exchange(true, "e2e/br1"));

        down();
    }

    @Test
    void aPodOnTwoNetworksReachesBothWhileTheyStayIsolated() throws Exception {
        up();
        apply("""
                apiVersion: drover.io/v1
                kind: Network
                metadata: {name: blue}
                spec: {subnets: ["10.64.0.0/24"]}
                ---
                apiVersion: drover.io/v1
                kind: Network
                metadata: {name: red}
                spec: {subnets: ["10.65.0.0/24"]}
                ---
                {apiVersion: drover.io/v1, kind: Namespace, metadata: {name: e2e}}
                ---
                {apiVersion: drover.io/v1, kind: Pod, metadata: {name: both, namespace: e2e},
                 spec: {node: node-1, networks: [blue, red], ports: [{name: http, port: 80}]}}
                ---
                {apiVersion: drover.io/v1, kind: Pod, metadata: {name: b, namespace: e2e},
                 spec: {node: node-1, networks: [blue], ports: [{name: http, port: 80}]}}
                ---
                {apiVersion: drover.io/v1, kind: Pod, metadata: {name: r, namespace: e2e},
                 spec: {node: node-1, networks: [red], ports: [{name: http, port: 80}]}}
                """);
        LabNames names = LabNames.of(lab.lab());
        Map<String, Pod> pods = awaitServing(names, "e2e", List.of("both", "b", "r"));
        List<PodAddress> multi = pods.get("both").status().addresses();
        PodAddress onBlue = multi.stream().filter(a -> a.network().equals("blue")).findFirst().orElseThrow();
        PodAddress onRed = multi.stream().filter(a -> a.network().equals("red")).findFirst().orElseThrow();
        assertThat(onBlue.ip()).startsWith("10.64.0.");
        assertThat(onRed.ip()).startsWith("10.65.0.");

        // eth0 on blue, eth1 on red, each with its own address.
        CliHarness.Result addr = lab.drover("lab", "exec", "e2e/both", "--", "ip", "-4", "-o", "address");
        assertThat(addr.exitCode()).as(addr.err()).isZero();
        assertThat(addr.out().lines().filter(l -> l.contains(" eth0 ")).toList()).as(addr.out())
                .singleElement().asString().contains(" " + onBlue.ip() + "/24 ");
        assertThat(addr.out().lines().filter(l -> l.contains(" eth1 ")).toList()).as(addr.out())
                .singleElement().asString().contains(" " + onRed.ip() + "/24 ");

        ServingCheck check = new ServingCheck(lab.kernel());
        NetNs bothNs = NetNs.named(names.podNamespace("e2e", "both"));
        NetNs bNs = NetNs.named(names.podNamespace("e2e", "b"));
        NetNs rNs = NetNs.named(names.podNamespace("e2e", "r"));
        InetAddress b = InetAddress.ofLiteral(pods.get("b").status().addresses().getFirst().ip());
        InetAddress r = InetAddress.ofLiteral(pods.get("r").status().addresses().getFirst().ip());

        // The multi-homed pod reaches a pod on each network, and each reaches it on its own network.
        assertThat(check.connectFrom(bothNs, b, 80, READY)).isEqualTo(new ServingCheck.Exchange(true, "e2e/b"));
        assertThat(check.connectFrom(bothNs, r, 80, READY)).isEqualTo(new ServingCheck.Exchange(true, "e2e/r"));
        assertThat(check.connectFrom(bNs, InetAddress.ofLiteral(onBlue.ip()), 80, READY))
                .isEqualTo(new ServingCheck.Exchange(true, "e2e/both"));
        assertThat(check.connectFrom(rNs, InetAddress.ofLiteral(onRed.ip()), 80, READY))
                .isEqualTo(new ServingCheck.Exchange(true, "e2e/both"));

        // Isolation still holds between the networks, even with a pod on both of them.
        assertThat(check.connectFrom(bNs, r, 80, BLOCKED).connected()).as("blue pod to red pod").isFalse();
        assertThat(check.connectFrom(rNs, b, 80, BLOCKED).connected()).as("red pod to blue pod").isFalse();
        assertThat(check.connectFrom(bNs, InetAddress.ofLiteral(onRed.ip()), 80, BLOCKED).connected())
                .as("blue pod to the multi-homed pod's red address").isFalse();

        down();
    }

    @Test
    void anAgentKilledAndStartedAgainKeepsAnOpenConnectionAndTheDataPlane() throws Exception {
        up();
        apply("""
                apiVersion: drover.io/v1
                kind: Network
                metadata: {name: blue}
                spec: {subnets: ["10.66.0.0/24"]}
                ---
                {apiVersion: drover.io/v1, kind: Namespace, metadata: {name: e2e}}
                ---
                {apiVersion: drover.io/v1, kind: Pod, metadata: {name: client, namespace: e2e},
                 spec: {node: node-1, networks: [blue], ports: [{name: http, port: 80}]}}
                ---
                {apiVersion: drover.io/v1, kind: Pod, metadata: {name: cat, namespace: e2e},
                 spec: {node: node-1, networks: [blue],
                        command: [/bin/busybox, nc, -ll, -p, "9000", -e, /bin/cat]}}
                """);
        LabNames names = LabNames.of(lab.lab());
        Map<String, Pod> pods = awaitServing(names, "e2e", List.of("client"));
        NetNs clientNs = NetNs.named(names.podNamespace("e2e", "client"));
        NetNs nodeNs = NetNs.named(names.nodeNamespace(1));
        String catIp = awaitAddress("e2e", "cat");

        // A connection from inside the client pod to the cat pod's echo, kept open across the restart.
        Socket socket = await().atMost(READY).ignoreExceptions().until(() -> {
            Socket s = connect(clientNs, catIp, 9000);
            try {
                exchange(s, "hello");
                return s;
            } catch (Exception e) {
                s.close();
                throw e;
            }
        }, Objects::nonNull);
        try (socket) {
            Map<String, Integer> linksBefore = links(nodeNs);
            Map<String, Integer> clientLinksBefore = links(clientNs);
            assertThat(linksBefore).isNotEmpty();

            String role = LabLauncher.agentRole("node-1");
            LabState.ProcessRecord agent = lab.store().load(lab.lab()).flatMap(s -> s.process(role)).orElseThrow();
            LabState.ProcessRecord command = lab.store().load(lab.lab())
                    .flatMap(s -> s.process("pod.node-1.e2e.cat")).orElseThrow();
            assertThat(agent.identity().isRunning()).isTrue();
            // Only the agent this test's lab started, checked by start time: SIGKILL, no chance to clean up.
            ProcessHandle.of(agent.pid()).orElseThrow().destroyForcibly();
            await().atMost(Duration.ofSeconds(10)).until(() -> !agent.identity().isRunning());

            // Without an agent the kernel keeps forwarding: the data plane is the kernel's, not the agent's.
            assertThat(exchange(socket, "agentless")).isEqualTo("agentless");

            // A new agent, started as lab up starts one (same command line, recorded under the same role).
            lab.store().update(lab.lab(), LabState.create(lab.lab(), 1), s -> s.withoutProcess(role));
            long logBefore = Files.size(Path.of(agent.log()));
            LabState.ProcessRecord again = new LabProcesses(lab.store(), LabState.create(lab.lab(), 1))
                    .start(role, null, agent.command(), Map.of(LabLauncher.LAB_DIR_ENV, labDir.toString()));
            assertThat(again.pid()).isNotEqualTo(agent.pid());
            // Synced: it says it runs once its first reconcile is done and it has written its node's heartbeat
            // (a heartbeat has whole seconds only, so a changed one alone could miss a quick restart).
            await().atMost(READY).until(() -> newLog(again, logBefore).contains("Drover agent of node node-1 running")
                    || !again.identity().isRunning());
            Node.NodeStatus status = node("node-1").status();
            assertThat(status != null && Boolean.TRUE.equals(status.ready())).as("node-1 ready again: " + status).isTrue();
            assertThat(again.identity().isRunning()).as("the new agent runs").isTrue();
            awaitServing(names, "e2e", List.of("client"));

            // The same connection carries data both ways, and nothing was made again.
            assertThat(exchange(socket, "after restart")).isEqualTo("after restart");
            assertThat(links(nodeNs)).isEqualTo(linksBefore);
            assertThat(links(clientNs)).isEqualTo(clientLinksBefore);
            assertThat(command.identity().isRunning()).as("the pod's command was adopted, not started again").isTrue();
            assertThat(pods.get("client").status().addresses()).isEqualTo(list("e2e").get("client").status().addresses());
            // Its first reconcile (before it logs that it started) found nothing to change in the kernel.
            String newLog = newLog(again, logBefore);
            String firstSync = newLog.substring(0, Math.max(0, newLog.indexOf("agent of node node-1 started")));
            assertThat(newLog).as(newLog).contains("agent of node node-1 started: 2 pod interfaces, 1 bridges\n");
            assertThat(firstSync).as(newLog).doesNotContain(" changes in ");
        }

        CliHarness.Result down = down();
        assertThat(down.out()).contains("stopped agent-node-1");
    }

    private void up() {
        CliHarness.Result up = lab.drover("lab", "up", "--name", lab.lab(), "--nodes", "1");
        assertThat(up.exitCode()).as(up.err() + up.out()).isZero();
    }

    private void apply(String yaml) throws Exception {
        Path file = work.resolve("pods.yaml");
        Files.writeString(file, yaml);
        CliHarness.Result applied = lab.drover("apply", "-f", file.toString());
        assertThat(applied.exitCode()).as(applied.err()).isZero();
    }

    private CliHarness.Result down() {
        CliHarness.Result down = lab.drover("lab", "down", "--name", lab.lab());
        assertThat(down.exitCode()).as(down.err()).isZero();
        assertThat(down.out()).contains("lab " + lab.lab() + " removed");
        assertThat(lab.namespaces()).isEmpty();
        return down;
    }

    /** A TCP connection opened inside {@code ns} (the socket is made there; connecting may happen anywhere). */
    private Socket connect(NetNs ns, String ip, int port) throws Exception {
        SocketChannel channel = lab.kernel().inNamespace(ns, SocketChannel::open);
        Socket socket = channel.socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.ofLiteral(ip), port), 1000);
            socket.setSoTimeout(5000);
        } catch (Exception e) {
            channel.close();
            throw e;
        }
        return socket;
    }

    /** Sends a line and reads the line echoed back. */
    private static String exchange(Socket socket, String line) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8), 1);
        StringBuilder got = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            got.append((char) c);
        }
        return got.toString();
    }

    /** What a process's log got after {@code offset} bytes. */
    private static String newLog(LabState.ProcessRecord process, long offset) throws Exception {
        byte[] log = Files.readAllBytes(Path.of(process.log()));
        return new String(log, (int) offset, log.length - (int) offset, StandardCharsets.UTF_8);
    }

    /** Interface name to index in a namespace: a rebuilt interface gets a new index. */
    private Map<String, Integer> links(NetNs ns) {
        return lab.kernel().links(ns).stream().collect(Collectors.toMap(Link::name, Link::index));
    }

    private Node node(String name) {
        try (DroverClient client = client()) {
            return (Node) client.get(ResourceKind.NODE, null, name);
        }
    }

    private String awaitAddress(String namespace, String pod) {
        return await().atMost(READY).until(() -> Optional.ofNullable(list(namespace).get(pod))
                .filter(p -> p.status() != null && !p.status().addresses().isEmpty())
                .map(p -> p.status().addresses().getFirst().ip()).orElse(null), Objects::nonNull);
    }
}
