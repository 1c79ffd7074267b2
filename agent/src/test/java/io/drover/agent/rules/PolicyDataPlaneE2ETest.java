package io.drover.agent.rules;

import static io.drover.agent.rules.NetnsSandbox.must;
import static io.drover.agent.rules.RulesFixtures.network;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.agent.desired.PolicyCalculator;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.NflogRecord;
import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.model.net.IpAddresses;
import io.drover.model.pod.Pod;
import io.drover.model.codec.ManifestReader;
import io.drover.model.firewall.FirewallPolicy;
import io.drover.model.firewall.FirewallSettings;
import io.drover.model.firewall.SecurityGroup;
import io.drover.model.policy.NetworkPolicy;
import io.drover.policy.Endpoint;
import io.drover.policy.Firewall;
import io.drover.policy.FirewallRuleRef;
import io.drover.policy.NamespacedName;
import io.drover.policy.PolicySnapshot;
import io.drover.policy.conformance.CaseAction;
import io.drover.policy.conformance.CaseState;
import io.drover.policy.conformance.CaseStep;
import io.drover.policy.conformance.CellDifference;
import io.drover.policy.conformance.ConformanceCase;
import io.drover.policy.conformance.ConformanceCaseReader;
import io.drover.policy.conformance.ConformanceModel;
import io.drover.policy.conformance.Probe;
import io.drover.policy.conformance.Reachability;
import io.drover.policy.conformance.ReachabilityMatrix;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NetworkPolicy in the kernel, on one node, without an agent: the nine pods of the conformance model (x/y/z ×
 * a/b/c) on one bridge, each serving TCP on ports 80 and 81, and every shared conformance case played step by step
 * through {@link PolicyCalculator} and {@link NodeRules#updateScript} (the incremental path the agent takes), with
 * real connections probing every TCP matrix. After each step the kernel's table must also be exactly what a fresh
 * write would program, so that the incremental transitions never drift from the whole-table form.
 *
 * <p>UDP and SCTP, and pods on two nodes, are covered by {@code drover conformance netpol} on a lab.
 */
class PolicyDataPlaneE2ETest {

    private static final Path CASES = Path.of("../../shared/conformance/netpol");
    private static final String NODE = "node-1";
    private static final int PROBE_TIMEOUT_MS = 400;

    private static NetnsSandbox sandbox;
    private static LinuxKernel kernel;
    private static String node;
    private static final Map<NamespacedName, String> namespaces = new HashMap<>();
    private static final List<ServerSocketChannel> servers = new ArrayList<>();
    private static ConformanceModel model;

    @BeforeAll
    static void buildNode() throws IOException {
        assumeTrue(NetnsSandbox.available(), "needs root, ip and nft");
        assumeTrue(Files.isDirectory(CASES), "the shared conformance cases are not at " + CASES.toAbsolutePath());
        sandbox = new NetnsSandbox();
        kernel = new LinuxKernel();
        node = sandbox.namespace("np-node");
        must(sandbox.exec(node, "ip", "link", "add", "dr-np", "type", "bridge"));
        must(sandbox.exec(node, "ip", "address", "add", "10.77.0.1/24", "dev", "dr-np"));
        must(sandbox.exec(node, "ip", "link", "set", "dr-np", "up"));
        Map<NamespacedName, InetAddress> addresses = new HashMap<>();
        int host = 2;
        for (NamespacedName pod : ConformanceModel.podNames()) {
            String ip = "10.77.0." + host;
            String ns = sandbox.namespace("np-" + pod.namespace() + pod.name());
            String veth = "vnp" + pod.namespace() + pod.name();
            must(sandbox.exec(node, "ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns));
            must(sandbox.exec(node, "ip", "link", "set", veth, "master", "dr-np", "up"));
            must(sandbox.exec(ns, "ip", "address", "add", ip + "/24", "dev", "eth0"));
            must(sandbox.exec(ns, "ip", "link", "set", "eth0", "up"));
            must(sandbox.exec(ns, "ip", "route", "add", "default", "via", "10.77.0.1"));
            namespaces.put(pod, ns);
            addresses.put(pod, IpAddresses.parse(ip));
            for (int port : ConformanceModel.PORTS) {
                serve(ns, port);
            }
            host++;
        }
        model = withNode(ConformanceModel.withAddresses(addresses));
    }

    @AfterAll
    static void tearDown() {
        servers.forEach(s -> {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a listener cannot fail in a way that matters here
            }
        });
        if (kernel != null) {
            kernel.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void everySharedCaseHoldsForTcpInTheKernel() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(CASES)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        NodeRules base = new NodeRules(List.of(network("np", false, "10.77.0.0/24")), List.of());
        List<String> failures = new ArrayList<>();
        for (Path file : files) {
            ConformanceCase c = ConformanceCaseReader.read(file);
            // Each case starts from a table without policy, written whole, as after an agent's first sync.
            NodeRules applied = base;
            apply(applied.nftScript());
            CaseState state = CaseState.initial(model);
            for (CaseStep step : c.steps()) {
                for (CaseAction action : step.actions()) {
                    state = state.apply(action);
                }
                NodeRules wanted = new NodeRules(base.networks(), base.ports(), PolicyCalculator.compute(NODE,
                        state.model().namespaces(), state.model().pods(), state.policies().values()));
                apply(wanted.updateScript(applied));
                applied = wanted;
                assertThat(wanted.isProgrammed(ProgrammedTable.parse(sandbox.listDrover(node))))
                        .as("%s step %d: after the incremental update the table is what a whole write gives", c.id(), step.number())
                        .isTrue();
                for (Probe probe : step.probes()) {
                    if (!probe.protocol().equals("TCP")) {
                        continue;
                    }
                    ReachabilityMatrix observed = probe(probe);
                    for (CellDifference d : probe.expected().differences(observed)) {
                        failures.add(c.id() + " step " + step.number() + " " + probe + ": " + d);
                    }
                }
            }
        }
        assertThat(failures).as("cells that differ from the cases").isEmpty();
    }

    /**
     * The distributed firewall in the kernel against its model: for each scenario, every TCP cell on ports 80 and 81
     * must be what {@link PolicySnapshot#evaluate} says, after the incremental update from the scenario before.
     */
    @Test
    void firewallTiersPassAllowAndTheDefaultActionHoldInTheKernel() throws Exception {
        ConformanceModel web = model
                .withPodLabels(new NamespacedName("x", "a"), Map.of("tier", "web"))
                .withPodLabels(new NamespacedName("x", "b"), Map.of("tier", "web"))
                .withPodLabels(new NamespacedName("y", "a"), Map.of("tier", "web"));
        NodeRules base = new NodeRules(List.of(network("np", false, "10.77.0.0/24")), List.of());
        apply(base.nftScript());
        NodeRules applied = base;

        List<Scenario> scenarios = List.of(
                // The seed scenario: web-tier to web-tier: drop, on every pod of the tier; the rest untouched.
                new Scenario("seed", List.of(), List.of(group("web-tier", "{podSelector: {matchLabels: {tier: web}}}"),
                        fwPolicy("isolate-web", "security", 10, null, """
                          - name: web-to-web
                            action: Drop
                            sources: [{group: web-tier}]
                            destinations: [{group: web-tier}]
                            logging: true
                        """)), null),
                // Allow in a tier skips NetworkPolicy (z reaches y despite y's deny-all); Pass hands x to NetworkPolicy
                // (blocked); zero trust below: only port 80, allowed by the baseline tier, gets through elsewhere.
                new Scenario("tiers", List.of(denyAllIngress("y")), List.of(
                        group("y-pods", "{podSelector: {}, namespaces: [y]}"),
                        group("z-pods", "{podSelector: {}, namespaces: [z]}"),
                        group("x-pods", "{podSelector: {}, namespaces: [x]}"),
                        fwPolicy("allow-z-to-y", "security", 5, "[{group: y-pods}]", """
                          - name: from-z
                            action: Allow
                            direction: In
                            sources: [{group: z-pods}]
                        """),
                        fwPolicy("pass-x", "security", 20, null, """
                          - name: from-x
                            action: Pass
                            sources: [{group: x-pods}]
                        """),
                        fwPolicy("baseline-http", "baseline", 100, null, """
                          - name: http
                            action: Allow
                            services: [{protocol: TCP, port: 80}]
                        """)), "Drop"));

        List<String> failures = new ArrayList<>();
        List<NflogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        AutoCloseable firewallLog = kernel.followNflog(NetNs.named(node), FirewallChains.LOG_GROUP, logged::add);
        for (Scenario scenario : scenarios) {
            List<Object> firewallObjects = scenario.firewall();
            Firewall firewall = Firewall.of(
                    firewallObjects.stream().filter(SecurityGroup.class::isInstance).map(SecurityGroup.class::cast).toList(),
                    firewallObjects.stream().filter(FirewallPolicy.class::isInstance).map(FirewallPolicy.class::cast).toList(),
                    Optional.ofNullable(scenario.defaultAction()).map(PolicyDataPlaneE2ETest::settings));
            NodeRules wanted = new NodeRules(base.networks(), base.ports(), PolicyCalculator.compute(NODE,
                    web.namespaces(), web.pods(), scenario.policies(), firewall));
            apply(wanted.updateScript(applied));
            applied = wanted;
            assertThat(wanted.isProgrammed(ProgrammedTable.parse(sandbox.listDrover(node)))).as(scenario.name()).isTrue();
            PolicySnapshot snapshot = PolicySnapshot.of(web.namespaces(), web.pods(), scenario.policies(), firewall);
            for (int port : ConformanceModel.PORTS) {
                ReachabilityMatrix expected = ReachabilityMatrix.of(ConformanceModel.podNames(), ConformanceModel.podNames(),
                        (c, s) -> c.equals(s) ? Reachability.LOOPBACK : Reachability.of(
                                snapshot.evaluate(Endpoint.pod(c), Endpoint.pod(s), "TCP", port).allowed()));
                ReachabilityMatrix observed = probe(new Probe("TCP", port, expected));
                expected.differences(observed).forEach(d -> failures.add(scenario.name() + " TCP/" + port + ": " + d));
                if (scenario.name().equals("seed")) {
                    assertThat(expected.at(new NamespacedName("x", "a"), new NamespacedName("x", "b")))
                            .isEqualTo(Reachability.BLOCKED);
                    assertThat(expected.at(new NamespacedName("x", "a"), new NamespacedName("x", "c")))
                            .isEqualTo(Reachability.CONNECTED);
                }
            }
            if (scenario.name().equals("seed")) {
                // Hit counters: the drop rule counted the blocked connections, under its rule id.
                String id = FirewallRuleRef.idOf("isolate-web", "web-to-web");
                assertThat(countedPackets(id)).as("packets counted by %s", id).isPositive();
                // Logging: the rule asks for it, so each blocked connection is a record in NFLOG with the rule's id.
                // NFLOG batches records and flushes them within a second.
                for (int i = 0; i < 30 && logged.isEmpty(); i++) {
                    Thread.sleep(100);
                }
                firewallLog.close();
                assertThat(logged).as("NFLOG records").isNotEmpty().allSatisfy(r -> {
                    assertThat(r.prefix()).startsWith(id + " drop ");
                    assertThat(r.protocol()).isEqualTo("TCP");
                    assertThat(web.address(new NamespacedName("x", "a")).equals(r.source())
                            || web.address(new NamespacedName("x", "b")).equals(r.source())
                            || web.address(new NamespacedName("y", "a")).equals(r.source())).isTrue();
                });
            }
        }
        assertThat(failures).as("cells where the kernel differs from the firewall's model").isEmpty();
    }

    @Test
    void rejectRefusesAtOnceWhereDropLetsTheClientWait() throws Exception {
        NodeRules base = new NodeRules(List.of(network("np", false, "10.77.0.0/24")), List.of());
        apply(base.nftScript());
        Firewall firewall = Firewall.of(List.of(group("c-pods", "{podSelector: {matchLabels: {pod: c}}}")),
                List.of(fwPolicy("refuse-81", "application", 1, "[{group: c-pods}]", """
                          - name: refuse
                            action: Reject
                            direction: In
                            services: [{protocol: TCP, port: 81}]
                          - name: drop
                            action: Drop
                            direction: In
                            services: [{protocol: TCP, port: 80}]
                        """)), Optional.empty());
        NodeRules wanted = new NodeRules(base.networks(), base.ports(), PolicyCalculator.compute(NODE,
                model.namespaces(), model.pods(), List.of(), firewall));
        apply(wanted.updateScript(base));
        NamespacedName client = new NamespacedName("x", "a");
        NamespacedName server = new NamespacedName("y", "c");

        long start = System.nanoTime();
        String refused = failure(client, server, 81);
        long refusedMs = (System.nanoTime() - start) / 1_000_000;
        String dropped = failure(client, server, 80);

        assertThat(refused).contains("refused");
        assertThat(refusedMs).isLessThan(PROBE_TIMEOUT_MS / 2);
        assertThat(dropped).contains("timed out");
        assertThat(connects(client, new NamespacedName("y", "b"), 81)).isTrue();
    }

    private record Scenario(String name, List<NetworkPolicy> policies, List<Object> firewall, String defaultAction) {}

    private static long countedPackets(String ruleId) {
        long total = 0;
        for (String line : must(sandbox.exec(node, "nft", "list", "table", "inet", "drover")).stdout().lines().toList()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("counter packets (\\d+) .*" + ruleId).matcher(line);
            if (m.find()) {
                total += Long.parseLong(m.group(1));
            }
        }
        return total;
    }

    /** What a connection attempt ends with: "connected", or the reason it failed. */
    private static String failure(NamespacedName client, NamespacedName server, int port) {
        try {
            SocketChannel channel = kernel.inNamespace(NetNs.named(namespaces.get(client)), SocketChannel::open);
            try (Socket socket = channel.socket()) {
                socket.connect(new InetSocketAddress(model.address(server), port), PROBE_TIMEOUT_MS);
                return "connected";
            }
        } catch (java.net.SocketTimeoutException e) {
            return "timed out";
        } catch (IOException e) {
            return String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static SecurityGroup group(String name, String member) {
        return (SecurityGroup) resource("""
                apiVersion: drover.io/v1
                kind: SecurityGroup
                metadata: {name: %s}
                spec:
                  members: [%s]
                """.formatted(name, member));
    }

    private static FirewallPolicy fwPolicy(String name, String tier, int priority, String appliedTo, String rules) {
        return (FirewallPolicy) resource("""
                apiVersion: drover.io/v1
                kind: FirewallPolicy
                metadata: {name: %s}
                spec:
                  tier: %s
                  priority: %d
                %s  rules:
                %s""".formatted(name, tier, priority, appliedTo == null ? "" : "  appliedTo: " + appliedTo + "\n", rules));
    }

    private static FirewallSettings settings(String defaultAction) {
        return (FirewallSettings) resource("""
                apiVersion: drover.io/v1
                kind: FirewallSettings
                metadata: {name: default}
                spec: {defaultAction: %s}
                """.formatted(defaultAction));
    }

    private static NetworkPolicy denyAllIngress(String namespace) {
        return (NetworkPolicy) resource("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny-all, namespace: %s}
                spec: {podSelector: {}}
                """.formatted(namespace));
    }

    private static Object resource(String yaml) {
        return ManifestReader.readSingle("test.yaml", yaml).resource();
    }

    /** Every cell of the probe's matrix, by real TCP connections, all at once (a blocked one waits its timeout). */
    private static ReachabilityMatrix probe(Probe probe) throws Exception {
        ReachabilityMatrix expected = probe.expected();
        Map<String, Future<Boolean>> cells = new ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (NamespacedName client : expected.clients()) {
                for (NamespacedName server : expected.servers()) {
                    if (!client.equals(server)) {
                        cells.put(client + ">" + server, pool.submit(() -> connects(client, server, probe.port())));
                    }
                }
            }
            return ReachabilityMatrix.of(expected.clients(), expected.servers(), (client, server) -> {
                if (client.equals(server)) {
                    return Reachability.LOOPBACK;
                }
                try {
                    return Reachability.of(cells.get(client + ">" + server).get());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    private static boolean connects(NamespacedName client, NamespacedName server, int port) {
        try {
            SocketChannel channel = kernel.inNamespace(NetNs.named(namespaces.get(client)), SocketChannel::open);
            try (Socket socket = channel.socket()) {
                socket.connect(new InetSocketAddress(model.address(server), port), PROBE_TIMEOUT_MS);
                return true;
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** A listener in the pod that accepts and closes: a connection that is established counts. */
    private static void serve(String ns, int port) {
        ServerSocketChannel listener = kernel.inNamespace(NetNs.named(ns), () -> {
            ServerSocketChannel s = ServerSocketChannel.open();
            s.bind(new InetSocketAddress(port), 256);
            return s;
        });
        servers.add(listener);
        Thread.ofVirtual().start(() -> {
            while (listener.isOpen()) {
                try (SocketChannel accepted = listener.accept()) {
                    // nothing to say: the handshake is the answer
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private static void apply(String script) {
        if (script.isEmpty()) {
            return;
        }
        NetnsSandbox.Result result = sandbox.nft(node, script);
        assertThat(result.ok()).as("nft -f failed: %s\n%s", result.stderr(), script).isTrue();
    }

    /** The model's pods, placed on this node. */
    private static ConformanceModel withNode(ConformanceModel m) {
        List<Pod> pods = m.pods().stream().map(p -> Pod.of(p.metadata(), p.spec().withNode(NODE)).withStatus(p.status())).toList();
        return new ConformanceModel(m.namespaces(), pods);
    }
}
