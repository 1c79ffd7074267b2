package io.drover.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.desired.LoadBalancerAnnouncements;
import io.drover.api.client.DroverClient;
import io.drover.cli.CliHarness;
import io.drover.lab.probe.ServingCheck;
import io.drover.lab.runtime.LabNames;
import io.drover.model.ResourceKind;
import io.drover.model.pod.Pod;
import io.drover.model.service.Service;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Services on a 3-node lab, in routed and in VXLAN mode, as a user sees them: a ClusterIP service answers from every
 * pod on every node and spreads 1,000 connections evenly over its 3 endpoints; round-robin rotates strictly; ClientIP
 * affinity holds and lets go after its timeout; NodePort and LoadBalancer addresses answer from the lab's fabric, and
 * under the Local policy only the node holding the address answers, with the client's own address kept; a pod reaches
 * itself through its service (hairpin); a service without endpoints refuses at once; an endpoint whose health check
 * fails leaves within one interval and comes back when it passes. Root only.
 */
class ServicesLabE2ETest extends LabE2ETestBase {

    private static final Duration CONNECT = Duration.ofSeconds(2);
    private static final Duration CONVERGED = Duration.ofSeconds(20);
    private static final List<String> WEB = List.of("w1", "w2", "w3");
    private static final List<String> CLIENTS = List.of("c1", "c2", "c3");
    private static final int DRAIN_PORT = 7300;
    private static final int HEALTH_PORT = 7200;
    private static final int SOURCE_PORT = 7100;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"routed", "vxlan"})
    void servicesBalanceAcrossNodesAndAnswerFromTheFabric(String mode) throws Exception {
        CliHarness.Result up = lab.drover("lab", "up", "--name", lab.lab(), "--nodes", "3", "--mode", mode);
        assertThat(up.exitCode()).as(up.err() + up.out()).isZero();
        LabNames names = LabNames.of(lab.lab());
        PodSockets sockets = new PodSockets(lab.kernel(), names);
        ServingCheck check = new ServingCheck(lab.kernel());

        Path file = work.resolve("services.yaml");
        Files.writeString(file, manifest());
        CliHarness.Result applied = lab.drover("apply", "-f", file.toString());
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        List<String> all = new ArrayList<>(WEB);
        all.addAll(CLIENTS);
        all.add("d2");
        Map<String, Pod> pods = awaitServing(names, "s", all);

        // Health-check listeners first: the checked service's endpoints pass only while these are open.
        Map<String, ServerSocketChannel> health = new HashMap<>();
        Map<String, ServerSocketChannel> sources = new HashMap<>();
        try {
            for (String w : WEB) {
                health.put(w, sockets.listen(pods.get(w), HEALTH_PORT));
                sources.put(w, sockets.listen(pods.get(w), SOURCE_PORT));
            }

            InetAddress web = clusterIp("web");
            // From every pod on every node.
            for (String c : CLIENTS) {
                NetNs from = sockets.namespaceOf(pods.get(c));
                await().atMost(CONVERGED).until(() -> check.connectFrom(from, web, 80, CONNECT).connected());
            }
            Map<String, Integer> spread = new HashMap<>();
            for (int i = 0; i < 1000; i++) {
                NetNs from = sockets.namespaceOf(pods.get(CLIENTS.get(i % 3)));
                ServingCheck.Exchange answer = check.connectFrom(from, web, 80, CONNECT);
                assertThat(answer.connected()).as("connection %d: %s", i, answer.text()).isTrue();
                spread.merge(answer.text(), 1, Integer::sum);
            }
            assertThat(spread).as("1,000 connections over 3 endpoints").containsOnlyKeys("s/w1", "s/w2", "s/w3");
            assertThat(spread.values()).allSatisfy(n -> assertThat(n).isBetween(283, 383)); // 333 +- 15 %

            roundRobinRotatesStrictly(sockets.namespaceOf(pods.get("c1")), clusterIp("web-rr"), check);
            affinityHoldsThenLetsGo(sockets.namespaceOf(pods.get("c2")), clusterIp("web-sticky"), check);

            // Hairpin: w1 through a service whose only endpoint is w1 itself.
            NetNs w1 = sockets.namespaceOf(pods.get("w1"));
            assertThat(check.connectFrom(w1, clusterIp("web-one"), 80, CONNECT).text()).isEqualTo("s/w1");

            // No endpoints: refused at once, not left to time out.
            long start = System.nanoTime();
            ServingCheck.Exchange none = check.connectFrom(sockets.namespaceOf(pods.get("c3")), clusterIp("nobody"),
                    80, Duration.ofSeconds(5));
            assertThat(none.connected()).isFalse();
            assertThat(none.text()).startsWith("refused");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));

            fromTheFabric(names, check, sources);
            aFailingHealthCheckTakesTheEndpointOutAndBack(sockets, pods, health, check);
            aConnectionThroughAClusterIpOutlivesItsService(names, sockets, pods);
        } finally {
            for (ServerSocketChannel c : health.values()) {
                c.close();
            }
            for (ServerSocketChannel c : sources.values()) {
                c.close();
            }
        }
    }

    private static void roundRobinRotatesStrictly(NetNs from, InetAddress service, ServingCheck check) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            seen.add(check.connectFrom(from, service, 80, CONNECT).text());
        }
        assertThat(new TreeSet<>(seen.subList(0, 3))).as("round-robin: " + seen).containsExactly("s/w1", "s/w2", "s/w3");
        for (int i = 3; i < seen.size(); i++) {
            assertThat(seen.get(i)).as("round-robin connection %d of %s", i, seen).isEqualTo(seen.get(i % 3));
        }
    }

    /** 15 connections stick to one endpoint; after the 1 s timeout, a new choice is made (6 tries: 1 in 729 fails). */
    private static void affinityHoldsThenLetsGo(NetNs from, InetAddress service, ServingCheck check) throws Exception {
        String first = check.connectFrom(from, service, 80, CONNECT).text();
        assertThat(first).startsWith("s/w");
        for (int i = 0; i < 15; i++) {
            assertThat(check.connectFrom(from, service, 80, CONNECT).text()).as("sticky connection %d", i).isEqualTo(first);
        }
        Set<String> after = new TreeSet<>();
        for (int round = 0; round < 6 && (after.isEmpty() || after.equals(Set.of(first))); round++) {
            Thread.sleep(2200); // the affinity's 1 s timeout, with room for the kernel's timer
            after.add(check.connectFrom(from, service, 80, CONNECT).text());
        }
        assertThat(after).as("endpoints chosen after the affinity timed out").isNotEqualTo(Set.of(first));
    }

    /**
     * NodePort on every node and a LoadBalancer address from the fabric namespace; under the Local policy only the
     * node holding the address answers, with the endpoint on that node, and the endpoint sees the fabric's address.
     */
    private void fromTheFabric(LabNames names, ServingCheck check, Map<String, ServerSocketChannel> sources)
            throws Exception {
        NetNs fabric = NetNs.named(names.fabricNamespace());
        Service lb = service("web-lb");
        int nodePort = lb.spec().ports().getFirst().nodePort();
        for (int node = 1; node <= 3; node++) {
            InetAddress underlay = InetAddress.ofLiteral("172.31.0." + node);
            await().atMost(CONVERGED).until(() -> check.connectFrom(fabric, underlay, nodePort, CONNECT).connected());
            assertThat(check.connectFrom(fabric, underlay, nodePort, CONNECT).text()).startsWith("s/w");
        }
        InetAddress lbIp = loadBalancerIp("web-lb");
        await().atMost(CONVERGED).until(() -> check.connectFrom(fabric, lbIp, 80, CONNECT).connected());
        assertThat(holders(names, lbIp)).as("nodes holding " + lbIp.getHostAddress()).hasSize(1);

        InetAddress localIp = loadBalancerIp("web-local");
        await().atMost(CONVERGED).until(() -> holders(names, localIp).size() == 1);
        String holder = holders(names, localIp).getFirst();
        String local = "w" + holder.substring("node-".length());
        for (int i = 0; i < 10; i++) {
            try (SocketChannel client = lab.kernel().inNamespace(fabric, SocketChannel::open)) {
                client.socket().connect(new InetSocketAddress(localIp, SOURCE_PORT), 2000);
                ServerSocketChannel listener = sources.get(local);
                try (SocketChannel accepted = listener.accept()) {
                    assertThat(((InetSocketAddress) accepted.getRemoteAddress()).getAddress().getHostAddress())
                            .as("the client address the endpoint on %s sees", holder).isEqualTo("172.31.0.254");
                }
            }
        }
    }

    private void aFailingHealthCheckTakesTheEndpointOutAndBack(PodSockets sockets, Map<String, Pod> pods,
            Map<String, ServerSocketChannel> health, ServingCheck check) throws Exception {
        NetNs from = sockets.namespaceOf(pods.get("c1"));
        InetAddress checked = clusterIp("web-checked");
        await().atMost(CONVERGED).until(() -> reached(from, checked, check, 30).size() == 3);

        health.remove("w2").close();
        // Within one interval (2 s), plus the check's own timeout and the endpoint change reaching the nodes' rules.
        await().atMost(Duration.ofMillis(3500)).pollInterval(Duration.ofMillis(100))
                .until(() -> !reached(from, checked, check, 30).contains("s/w2"));
        assertThat(reached(from, checked, check, 60)).doesNotContain("s/w2");

        health.put("w2", sockets.listen(pods.get("w2"), HEALTH_PORT));
        await().atMost(Duration.ofSeconds(10)).until(() -> reached(from, checked, check, 30).contains("s/w2"));
    }

    /**
     * As with kube-proxy, a connection through a cluster IP lives on when its service goes: the client's node keeps
     * translating it. Its endpoint on another node is no endpoint any more, but the client's node keeps it off the fast
     * path (so that the replies meet the translation) until the connection is over, and not longer.
     */
    private void aConnectionThroughAClusterIpOutlivesItsService(LabNames names, PodSockets sockets, Map<String, Pod> pods)
            throws Exception {
        InetAddress drain = clusterIp("drain");
        String endpoint = PodSockets.ip(pods.get("d2"));
        String clientNode = names.nodeNamespace(1);
        try (ServerSocketChannel listener = sockets.listen(pods.get("d2"), DRAIN_PORT)) {
            await().atMost(CONVERGED).until(() -> opens(sockets, pods.get("c1"), drain));
            Socket connection = sockets.connect(pods.get("c1"), drain.getHostAddress(), DRAIN_PORT);
            Socket accepted = listener.accept().socket();
            while (accepted.getPort() != connection.getLocalPort()) {
                accepted.close(); // a probe of the await above, closed by its client already
                accepted = listener.accept().socket();
            }
            accepted.setSoTimeout(5000);
            try (connection; Socket served = accepted) {
                assertThat(PodSockets.roundTrip(connection, served, "before")).isEqualTo("before");
                assertThat(exempt(clientNode)).contains(endpoint);

                CliHarness.Result deleted = lab.drover("delete", "service", "drain", "-n", "s");
                assertThat(deleted.exitCode()).as(deleted.err()).isZero();
                await().atMost(CONVERGED).until(() -> !opens(sockets, pods.get("c1"), drain));

                assertThat(PodSockets.roundTrip(connection, served, "after its service")).isEqualTo("after its service");
                assertThat(exempt(clientNode)).as("drains on the client's node").contains(endpoint);
                connection.setSoLinger(true, 0); // a reset: the connection is over at once
            }
        }
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !exempt(clientNode).contains(endpoint));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            Process p = new ProcessBuilder("ip", "netns", "exec", clientNode, "conntrack", "-L", "--reply-src", endpoint)
                    .redirectErrorStream(true).start();
            String tracked = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            throw new AssertionError(endpoint + " is still exempt on node-1 20 s after its last connection; node-1's"
                    + " conntrack entries with replies from it:\n" + tracked, e);
        }
    }

    /** Whether a TCP connection from {@code client} to {@code service}'s drain port opens (the listener has no echo). */
    private static boolean opens(PodSockets sockets, Pod client, InetAddress service) {
        try (Socket ignored = sockets.connect(client, service.getHostAddress(), DRAIN_PORT)) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The addresses in a node's fast-path exempt set, as nft lists them. */
    private static Set<String> exempt(String nodeNamespace) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", nodeNamespace, "nft", "list", "set", "netdev", "drover",
                "fastpath_exempt4").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        // The words after "elements = {" only, so that the set's comment cannot match.
        int at = out.indexOf("elements = {");
        return at < 0 ? Set.of() : java.util.Arrays.stream(out.substring(at + "elements = {".length()).split("[{},\\s]+"))
                .filter(w -> !w.isEmpty()).collect(java.util.stream.Collectors.toSet());
    }

    private static Set<String> reached(NetNs from, InetAddress service, ServingCheck check, int connections) {
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < connections; i++) {
            ServingCheck.Exchange e = check.connectFrom(from, service, 80, CONNECT);
            if (e.connected()) {
                out.add(e.text());
            }
        }
        return out;
    }

    /** The lab nodes that hold {@code ip} on their announcement device. */
    private List<String> holders(LabNames names, InetAddress ip) {
        List<String> out = new ArrayList<>();
        for (int node = 1; node <= 3; node++) {
            NetNs ns = NetNs.named(names.nodeNamespace(node));
            boolean holds = lab.kernel().link(ns, LoadBalancerAnnouncements.DEVICE).isPresent()
                    && lab.kernel().addresses(ns, LoadBalancerAnnouncements.DEVICE).contains(new Address(ip, 32));
            if (holds) {
                out.add("node-" + node);
            }
        }
        return out;
    }

    private Service service(String name) {
        try (DroverClient client = client()) {
            return (Service) client.get(ResourceKind.SERVICE, "s", name);
        }
    }

    private InetAddress clusterIp(String name) {
        return InetAddress.ofLiteral(service(name).spec().clusterIP());
    }

    private InetAddress loadBalancerIp(String name) {
        await().atMost(CONVERGED).until(() -> !service(name).loadBalancerIps().isEmpty());
        return InetAddress.ofLiteral(service(name).loadBalancerIps().getFirst());
    }

    private static String manifest() {
        StringBuilder m = new StringBuilder("""
                apiVersion: drover.io/v1
                kind: Network
                metadata: {name: blue}
                spec: {subnets: ["10.81.0.0/16"]}
                ---
                {apiVersion: drover.io/v1, kind: Namespace, metadata: {name: s}}
                """);
        for (int node = 1; node <= 3; node++) {
            m.append("---\n{apiVersion: drover.io/v1, kind: Pod, metadata: {name: w").append(node)
                    .append(", namespace: s, labels: {app: web, pod: w").append(node)
                    .append("}}, spec: {node: node-").append(node)
                    .append(", networks: [blue], ports: [{name: http, port: 80}]}}\n");
            m.append("---\n{apiVersion: drover.io/v1, kind: Pod, metadata: {name: c").append(node)
                    .append(", namespace: s}, spec: {node: node-").append(node)
                    .append(", networks: [blue], ports: [{name: http, port: 80}]}}\n");
        }
        m.append("---\n{apiVersion: drover.io/v1, kind: Pod, metadata: {name: d2, namespace: s, labels: {app: drain}},"
                + " spec: {node: node-2, networks: [blue], ports: [{name: http, port: 80}]}}\n");
        m.append("---\napiVersion: v1\nkind: Service\nmetadata: {name: drain, namespace: s}\nspec: {selector: {app: drain},"
                + " ports: [{name: tcp, port: " + DRAIN_PORT + ", targetPort: " + DRAIN_PORT + "}]}\n");
        m.append(service("web", "", "{app: web}", "ClusterIP", ""));
        m.append(service("web-rr", "annotations: {drover.io/load-balancing: round-robin}", "{app: web}", "ClusterIP", ""));
        m.append(service("web-sticky", "", "{app: web}", "ClusterIP",
                "sessionAffinity: ClientIP, sessionAffinityConfig: {clientIP: {timeoutSeconds: 1}},"));
        m.append(service("web-one", "", "{pod: w1}", "ClusterIP", ""));
        m.append(service("nobody", "", "{app: none}", "ClusterIP", ""));
        m.append(service("web-lb", "", "{app: web}", "LoadBalancer", ""));
        m.append("""
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web-local, namespace: s}
                spec:
                  type: LoadBalancer
                  externalTrafficPolicy: Local
                  selector: {app: web}
                  ports: [{name: src, port: %d, targetPort: %d}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web-checked, namespace: s}
                spec:
                  selector: {app: web}
                  ports: [{name: http, port: 80, targetPort: 80}]
                  healthCheck: {tcp: {port: %d}, intervalSeconds: 2, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 1}
                """.formatted(SOURCE_PORT, SOURCE_PORT, HEALTH_PORT));
        return m.toString();
    }

    private static String service(String name, String metadataExtra, String selector, String type, String specExtra) {
        return "---\napiVersion: v1\nkind: Service\nmetadata: {name: " + name + ", namespace: s"
                + (metadataExtra.isEmpty() ? "" : ", " + metadataExtra) + "}\nspec: {type: " + type + ", " + specExtra
                + " selector: " + selector + ", ports: [{name: http, port: 80, targetPort: 80}]}\n";
    }
}
