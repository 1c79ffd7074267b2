package io.drover.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.CliHarness;
import io.drover.lab.probe.ReachabilityMatrix;
import io.drover.lab.runtime.LabNames;
import io.drover.model.pod.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pods on different nodes of a 3-node lab reach each other by their own addresses, in routed (host-gw) and in VXLAN
 * mode: an all-pairs probe over pods on every node shows one network connected across nodes and another network
 * isolated from it; the server's node sees the client pod's own address (no NAT); and in VXLAN mode the pods' MTU is
 * the fabric's less the encapsulation. Root only.
 */
class MultiNodeLabE2ETest extends LabE2ETestBase {

    @ParameterizedTest
    @ValueSource(strings = {"routed", "vxlan"})
    void podsOnEveryNodeReachEachOtherByTheirOwnAddresses(String mode) throws Exception {
        CliHarness.Result up = lab.drover("lab", "up", "--name", lab.lab(), "--nodes", "3", "--mode", mode);
        assertThat(up.exitCode()).as(up.err() + up.out()).isZero();

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

        CliHarness.Result probe = lab.drover("probe", "--namespaces", "x", "--ports", "80", "--timeout-ms", "1000");
        assertThat(probe.exitCode()).as(probe.err()).isZero();
        String matrixText = probe.out().substring(probe.out().indexOf("from\\to"), probe.out().indexOf("\n\n"));
        ReachabilityMatrix expected = ReachabilityMatrix.of(all.stream().map(p -> "x/" + p).toList(),
                (client, server) -> client.equals("x/r2") == server.equals("x/r2"));
        assertThat(ReachabilityMatrix.parse(matrixText).diff(expected).isEmpty()).as("probe matrix:\n" + probe.out()).isTrue();

        // No NAT: node-3's conntrack holds the probe's connections from node-1's pod under the pod's own address.
        String client = pods.get("b11").status().addresses().getFirst().ip();
        String server = pods.get("b31").status().addresses().getFirst().ip();
        Process conntrack = new ProcessBuilder("ip", "netns", "exec", names.nodeNamespace(3), "conntrack", "-L",
                "-p", "tcp", "--orig-src", client, "--orig-dst", server).redirectErrorStream(true).start();
        assertThat(conntrack.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String entries = new String(conntrack.getInputStream().readAllBytes());
        assertThat(entries).as("conntrack on node-3").contains("src=" + client + " dst=" + server + " sport=")
                .contains("dport=80");

        if (mode.equals("vxlan")) {
            CliHarness.Result mtu = lab.drover("lab", "exec", "x/b11", "--", "ip", "-o", "link", "show", "dev", "eth0");
            assertThat(mtu.out()).contains("mtu 1450");
        }
    }
}
