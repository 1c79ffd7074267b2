package io.drover.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.kernel.NetNs;
import io.drover.cli.CliHarness;
import io.drover.lab.probe.ReachabilityMatrix;
import io.drover.lab.probe.ServingCheck;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabState;
import io.drover.model.codec.ResourceCodec;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodStatus;
import io.drover.model.service.Service;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A real lab through the CLI, as a user drives it: {@code lab up} with two nodes, pods applied and placed, the
 * probe's matrix (same network connected, across networks blocked), a published port from outside the node, a
 * container-mode pod sharing another's namespace, {@code lab exec} passing exit codes through, a pod's command
 * started and stopped with its pod, then {@code lab down} leaving nothing. And a lab whose processes were all
 * killed with SIGKILL is still removed completely. Root only: labs are network namespaces.
 */
class LabE2ETest extends LabE2ETestBase {

    @Test
    void aLabRunsPlacesIsolatesPublishesSharesAndGoesAway() throws Exception {
        CliHarness.Result up = lab.drover("lab", "up", "--name", lab.lab(), "--nodes", "2");
        assertThat(up.exitCode()).as(up.err() + up.out()).isZero();
        assertThat(up.out()).contains("agents: node-1, node-2 ready");
        // server, two agents, the cluster DNS and the outside resolver
        assertThat(lab.drover("lab", "status").out()).contains(lab.lab()).contains("5/5").contains("up");

        // Cross-checked pods share node-1 (routing between nodes comes later); one pod is left to the lab to place.
        Path pods = work.resolve("pods.yaml");
        Files.writeString(pods, """
                apiVersion: drover.io/v1
                kind: Network
                metadata: {name: blue}
                spec: {subnets: ["10.61.0.0/24"]}
                ---
                apiVersion: drover.io/v1
                kind: Network
                metadata: {name: red}
                spec: {subnets: ["10.62.0.0/24"]}
                ---
                {apiVersion: drover.io/v1, kind: Namespace, metadata: {name: e2e}}
                ---
                {apiVersion: drover.io/v1, kind: Namespace, metadata: {name: e2e-other}}
                ---
                {apiVersion: drover.io/v1, kind: Pod, metadata: {name: a1, namespace: e2e},
                 spec: {node: node-1, networks: [blue], ports: [{name: http, port: 80}]}}
                ---
                {apiVersion: drover.io/v1, kind: Pod, metadata: {name: a2, namespace: e2e},
                 spec: {node: node-1, networks: [blue], ports: [{name: http, port: 80}]}}
                ---
                {apiVersion: drover.io/v1, kind: Pod, metadata: {name: b1, namespace: e2e},
                 spec: {node: node-1, networks: [red], ports: [{name: http, port: 80}]}}
                ---
                {apiVersion: drover.io/v1, kind: Pod, metadata: {name: web, namespace: e2e},
                 spec: {node: node-1, networks: [blue], ports: [{name: http, port: 80, hostPort: 8080}]}}
                ---
                {apiVersion: drover.io/v1, kind: Pod, metadata: {name: side, namespace: e2e},
                 spec: {node: node-1, networkMode: "container:web", ports: [{name: admin, port: 81}]}}
                ---
                {apiVersion: drover.io/v1, kind: Pod, metadata: {name: cmd, namespace: e2e-other},
                 spec: {node: node-1, networks: [blue], command: [sleep, "300"]}}
                ---
                {apiVersion: drover.io/v1, kind: Pod, metadata: {name: auto, namespace: e2e-other},
                 spec: {node: node-1, networks: [blue], publishAllPorts: true, ports: [{name: http, port: 80}]}}
                """);
        CliHarness.Result applied = lab.drover("apply", "-f", pods.toString());
        assertThat(applied.exitCode()).as(applied.err()).isZero();

        LabNames names = LabNames.of(lab.lab());
        Map<String, Pod> e2e = awaitServing(names, "e2e", List.of("a1", "a2", "b1", "web"));

        // Placement: node-1 has seven pods, node-2 none, so the lab puts a pod that names no node on node-2.
        Path floating = work.resolve("floating.yaml");
        Files.writeString(floating, """
                {apiVersion: drover.io/v1, kind: Pod, metadata: {name: floating, namespace: e2e-other},
                 spec: {networks: [blue], ports: [{name: http, port: 80}]}}
                """);
        assertThat(lab.drover("apply", "-f", floating.toString()).exitCode()).isZero();
        Pod placed = awaitServing(names, "e2e-other", List.of("floating")).get("floating");
        assertThat(placed.spec().node()).isEqualTo("node-2");

        CliHarness.Result probe = lab.drover("probe", "--namespaces", "e2e", "--ports", "80", "--timeout-ms", "500");
        assertThat(probe.exitCode()).as(probe.err()).isZero();
        assertThat(probe.err()).contains("not probed: e2e/side: shares the network of e2e/web");
        String matrixText = probe.out().substring(probe.out().indexOf("from\\to"), probe.out().indexOf("\n\n"));
        ReachabilityMatrix matrix = ReachabilityMatrix.parse(matrixText);
        ReachabilityMatrix expected = ReachabilityMatrix.of(List.of("e2e/a1", "e2e/a2", "e2e/b1", "e2e/web"),
                (client, server) -> !client.equals("e2e/b1") && !server.equals("e2e/b1"));
        assertThat(matrix.diff(expected).isEmpty()).as("probe matrix:\n" + probe.out()).isTrue();

        // The published port, from outside the node: the fabric connects to node-1's underlay address.
        ServingCheck check = new ServingCheck(lab.kernel());
        ServingCheck.Exchange published = check.connectFrom(NetNs.named(names.fabricNamespace()),
                InetAddress.ofLiteral("172.31.0.1"), 8080, Duration.ofSeconds(2));
        assertThat(published).isEqualTo(new ServingCheck.Exchange(true, "e2e/web"));

        // publishAllPorts (docker run -P): port 80 gets an automatic host port from 32768-60999, reached from outside
        // the node and from the node itself like a declared one, shown by describe, and gone with its pod.
        awaitServing(names, "e2e-other", List.of("auto"));
        await().atMost(READY).until(() -> !list("e2e-other").get("auto").status().publishedPorts().isEmpty());
        PodStatus.PublishedPort automatic = list("e2e-other").get("auto").status().publishedPorts().getFirst();
        assertThat(automatic.port()).isEqualTo(80);
        assertThat(automatic.hostPort()).isBetween(32768, 60999);
        int autoPort = automatic.hostPort();
        ServingCheck.Exchange autoAnswer = new ServingCheck.Exchange(true, "e2e-other/auto");
        await().atMost(READY).until(() -> check.connectFrom(NetNs.named(names.fabricNamespace()),
                InetAddress.ofLiteral("172.31.0.1"), autoPort, Duration.ofSeconds(2)).equals(autoAnswer));
        assertThat(check.connectFrom(NetNs.named(names.nodeNamespace(1)), InetAddress.ofLiteral("172.31.0.1"), autoPort,
                Duration.ofSeconds(2))).isEqualTo(autoAnswer);
        CliHarness.Result described = lab.drover("describe", "pod", "auto", "-n", "e2e-other");
        assertThat(described.out()).contains("0.0.0.0:" + autoPort + "->80/tcp").contains(autoPort + " (automatic)");
        assertThat(lab.drover("delete", "pod", "auto", "-n", "e2e-other").exitCode()).isZero();
        await().atMost(READY).until(() -> !check.connectFrom(NetNs.named(names.fabricNamespace()),
                InetAddress.ofLiteral("172.31.0.1"), autoPort, Duration.ofMillis(500)).connected());

        // Container mode: the sidecar sees web's address and serves its own port on it.
        String webIp = e2e.get("web").status().addresses().getFirst().ip();
        CliHarness.Result sidecarAddress = lab.drover("lab", "exec", "e2e/side", "--", "ip", "-4", "-o", "address", "show", "dev", "eth0");
        assertThat(sidecarAddress.exitCode()).as(sidecarAddress.err()).isZero();
        assertThat(sidecarAddress.out()).contains(" " + webIp + "/24 ");
        await().atMost(READY).until(() -> check.connectFrom(NetNs.named(names.podNamespace("e2e", "a1")),
                InetAddress.ofLiteral(webIp), 81, Duration.ofMillis(500)).equals(new ServingCheck.Exchange(true, "e2e/side")));

        // lab exec passes the exit code (and output) through.
        CliHarness.Result exit = lab.drover("lab", "exec", "e2e/a1", "--", "sh", "-c", "echo in-pod; exit 7");
        assertThat(exit.exitCode()).isEqualTo(7);
        assertThat(exit.out()).isEqualTo("in-pod\n");

        // A pod's command runs as a recorded lab process, and stops when the pod goes.
        String role = "pod.node-1.e2e-other.cmd";
        await().atMost(READY).until(() -> process(role).map(p -> p.identity().isRunning()).orElse(false));
        LabState.ProcessRecord command = process(role).orElseThrow();
        assertThat(command.command()).containsExactly("sleep", "300");
        assertThat(lab.drover("delete", "pod", "cmd", "-n", "e2e-other").exitCode()).isZero();
        await().atMost(READY).until(() -> process(role).isEmpty() && !command.identity().isRunning());

        // A command started after a service exists finds it in Kubernetes' variables (its namespace's services).
        Path envFile = work.resolve("env-of-pod.txt");
        Path linked = work.resolve("linked.yaml");
        Files.writeString(linked, """
                {apiVersion: v1, kind: Service, metadata: {name: cache-main, namespace: e2e-other},
                 spec: {selector: {app: cache}, ports: [{name: redis, port: 6379}]}}
                """);
        assertThat(lab.drover("apply", "-f", linked.toString()).exitCode()).isZero();
        Files.writeString(linked, """
                {apiVersion: drover.io/v1, kind: Pod, metadata: {name: linked, namespace: e2e-other},
                 spec: {node: node-1, networks: [blue], command: [sh, -c, "env > %s.tmp && mv %s.tmp %s; sleep 300"]}}
                """.formatted(envFile, envFile, envFile));
        assertThat(lab.drover("apply", "-f", linked.toString()).exitCode()).isZero();
        await().atMost(READY).until(() -> Files.exists(envFile));
        String clusterIp = ResourceCodec.fromJson(lab.drover("get", "svc", "cache-main", "-n", "e2e-other", "-o",
                "json").out().getBytes(StandardCharsets.UTF_8), Service.class).spec().clusterIP();
        assertThat(Files.readAllLines(envFile)).contains("CACHE_MAIN_SERVICE_HOST=" + clusterIp,
                "CACHE_MAIN_SERVICE_PORT_REDIS=6379", "CACHE_MAIN_PORT=tcp://" + clusterIp + ":6379");

        CliHarness.Result down = lab.drover("lab", "down", "--name", lab.lab());
        assertThat(down.exitCode()).as(down.err()).isZero();
        assertThat(down.out()).contains("lab " + lab.lab() + " removed", "stopped agent-node-2");
        // The server and agents stop on SIGTERM within the grace period: their shutdown is graceful.
        assertThat(down.out()).doesNotContain("killed after the grace period");
        assertThat(lab.namespaces()).isEmpty();
        assertThat(lab.store().load(lab.lab())).isEmpty();
    }

    @Test
    void aLabWhoseProcessesWereKilledIsStillRemovedCompletely() throws Exception {
        CliHarness.Result up = lab.drover("lab", "up", "--name", lab.lab(), "--nodes", "1");
        assertThat(up.exitCode()).as(up.err() + up.out()).isZero();
        List<LabState.ProcessRecord> processes = lab.store().load(lab.lab()).orElseThrow().processes();
        assertThat(processes).extracting(LabState.ProcessRecord::role)
                .containsExactly("server", "agent-node-1", "resolver", "dns");
        for (LabState.ProcessRecord p : processes) {
            // Only the processes this test's lab started, checked by start time: SIGKILL, no chance to clean up.
            assertThat(p.identity().isRunning()).isTrue();
            ProcessHandle.of(p.pid()).orElseThrow().destroyForcibly();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> processes.stream().noneMatch(p -> p.identity().isRunning()));
        assertThat(lab.namespaces()).isNotEmpty();

        CliHarness.Result down = lab.drover("lab", "down", "--name", lab.lab());
        assertThat(down.exitCode()).as(down.err()).isZero();
        assertThat(down.out()).contains("deleted namespace drl-" + lab.lab() + "-fabric", "lab " + lab.lab() + " removed");
        assertThat(lab.namespaces()).isEmpty();
        assertThat(lab.store().load(lab.lab())).isEmpty();
        assertThat(Files.exists(lab.store().labDir(lab.lab()))).isFalse();
    }

    private Optional<LabState.ProcessRecord> process(String role) {
        return lab.store().load(lab.lab()).flatMap(s -> s.process(role));
    }
}
