package io.drover.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.api.client.DroverClient;
import io.drover.api.client.ServerUrls;
import io.drover.cli.CliHarness;
import io.drover.dns.conformance.SchemaVectors;
import io.drover.dns.conformance.SchemaVectors.Vector;
import io.drover.lab.dns.PodResolvConf;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabPodNamespaces;
import io.drover.lab.runtime.LabState;
import io.drover.lab.runtime.RunningLabs;
import io.drover.model.ResourceKind;
import io.drover.model.pod.Pod;
import io.drover.model.service.Service;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ReverseMap;

/**
 * The cluster DNS of a real lab, asked from inside its pods as a Kubernetes pod asks: {@code drover lab exec POD --
 * dig ...}, with the resolv.conf the lab gives pods (nameserver 10.96.0.10, the kube-dns service, reached through
 * the nodes' service rules), over UDP and TCP, by absolute name and by the short name the search path completes.
 * Every vector of the shared schema file has a scenario here built from real objects (a vector without one fails);
 * the clients sit on both nodes of a 2-node lab, so queries cross the underlay to the other node's DNS listener as
 * well. A headless service's answer follows its endpoints' health checks. One lab for the whole class.
 *
 * <p>What the lab cannot build as the vector says, it builds as close as it can, and says so: the API allocates
 * IPv4 cluster IPs only, so D03/D07 (a ClusterIP 2001:db8::1) are asked of a headless service with an IPv6 endpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LabDnsE2ETest {

    private static final String N = "dns-e2e";
    private static final String CLIENT = "default/client";
    private static final String N_CLIENT = N + "/client";
    private static final String V6 = "2001:db8::100";
    private static final Duration SETTLE = Duration.ofSeconds(30);

    // Static: a class-wide lab is set up before any instance field could be injected.
    @TempDir
    static Path labDir;
    @TempDir
    static Path work;

    private LabE2ESupport lab;
    private final List<Path> failFiles = new ArrayList<>();

    @BeforeAll
    void up() throws Exception {
        Assumptions.assumeTrue(LabE2ESupport.rootWithTools(), "needs root with ip, nft and setsid: labs are namespaces");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dig")),
                "dig is not installed (apt-get install bind9-dnsutils)");
        Assumptions.assumeTrue(Files.isRegularFile(SchemaVectors.FILE),
                "the shared conformance vectors are not beside the repository");
        lab = new LabE2ESupport(labDir);
        CliHarness.Result up = lab.drover("lab", "up", "--name", lab.lab(), "--nodes", "2");
        assertThat(up.exitCode()).as(up.err() + up.out()).isZero();
        assertThat(up.out()).contains("cluster DNS: service kube-system/kube-dns at 10.96.0.10:53");
        Path fixtures = work.resolve("fixtures.yaml");
        Files.writeString(fixtures, fixtures(failPrefix()));
        CliHarness.Result apply = lab.drover("apply", "-f", fixtures.toString());
        assertThat(apply.exitCode()).as(apply.err() + apply.out()).isZero();
        // The clients can ask once their namespaces and resolver files are there; the rest settles per check.
        LabNames names = LabNames.of(lab.lab());
        await().atMost(SETTLE).untilAsserted(() -> {
            for (String client : List.of(CLIENT, N_CLIENT)) {
                Pod pod = pod(client);
                assertThat(pod.status()).as(client + " addressed").isNotNull();
                String netns = LabPodNamespaces.namespaceName(names, pod);
                assertThat(new PodResolvConf(PodResolvConf.ETC_NETNS).read(netns)).as("resolv.conf of " + client)
                        .hasValueSatisfying(text -> assertThat(text).contains("nameserver 10.96.0.10"));
            }
        });
    }

    @AfterAll
    void down() throws IOException {
        for (Path f : failFiles) {
            Files.deleteIfExists(f);
        }
        if (lab == null) {
            return;
        }
        String podPrefix = LabPodNamespaces.podPrefix(LabNames.of(lab.lab()));
        LabState state = lab.store().load(lab.lab()).orElse(null);
        lab.close();
        assertThat(lab.namespaces()).as("namespaces left by the test").isEmpty();
        assertThat(new PodResolvConf(PodResolvConf.ETC_NETNS).namespacesWithPrefix(podPrefix))
                .as("pods' resolver files left in /etc/netns").isEmpty();
        if (state != null) {
            assertThat(state.processes()).as("processes left running").noneMatch(p -> p.identity().isRunning());
        }
    }

    /** The files whose existence fails the health check of the pod with the address after the prefix. */
    private String failPrefix() {
        return "/tmp/" + lab.lab() + "-fail-";
    }

    private static String fixtures(String failPrefix) {
        return """
                apiVersion: drover.io/v1
                kind: Network
                metadata: {name: dnsnet}
                spec: {subnets: ["10.77.0.0/16"]}
                ---
                # Reverse names of these addresses are the cluster's to answer (a pod network's range).
                apiVersion: drover.io/v1
                kind: Network
                metadata: {name: docv6}
                spec: {subnets: ["2001:db8::/64"]}
                ---
                apiVersion: drover.io/v1
                kind: Namespace
                metadata: {name: dns-e2e}
                ---
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: client, namespace: default}
                spec: {node: node-1, networks: [dnsnet]}
                ---
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: client, namespace: dns-e2e}
                spec: {node: node-2, networks: [dnsnet]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: kubernetes, namespace: default}
                spec: {clusterIP: 10.96.0.1, ports: [{name: https, port: 443, protocol: TCP}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: v6, namespace: default}
                spec: {clusterIP: None, ports: [{name: https, port: 443}]}
                ---
                apiVersion: drover.io/v1
                kind: ServiceEndpoints
                metadata: {name: v6, namespace: default}
                endpoints: [{address: "2001:db8::100", ready: true, ports: [{name: https, port: 443, protocol: TCP}]}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: unnamed, namespace: default}
                spec: {ports: [{port: 80}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: headless, namespace: default}
                spec: {clusterIP: None, selector: {app: pet}, ports: [{name: https, port: 443, targetPort: https}]}
                ---
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: my-pet, namespace: default, labels: {app: pet}, annotations: {drover.io/subdomain: headless}}
                spec: {node: node-1, networks: [dnsnet], ports: [{name: https, port: 443}]}
                ---
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: pet-1, namespace: default, labels: {app: pet}, annotations: {drover.io/subdomain: headless}}
                spec: {node: node-2, networks: [dnsnet], ports: [{name: https, port: 443}]}
                ---
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: pet-2, namespace: default, labels: {app: pet}, annotations: {drover.io/subdomain: headless}}
                spec: {node: node-1, networks: [dnsnet], ports: [{name: https, port: 443}]}
                ---
                # Its only endpoint is not ready: the pod has no port named 'missing'.
                apiVersion: v1
                kind: Service
                metadata: {name: empty, namespace: default}
                spec: {clusterIP: None, selector: {app: lonely}, ports: [{name: x, port: 80, targetPort: missing}]}
                ---
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: lonely, namespace: default, labels: {app: lonely}}
                spec: {node: node-2, networks: [dnsnet]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: foo, namespace: default}
                spec: {type: ExternalName, externalName: www.example.com}
                ---
                # web-0 serves nothing on port 80, so its TCP health check fails: an unready endpoint.
                apiVersion: v1
                kind: Service
                metadata: {name: web14, namespace: default}
                spec:
                  clusterIP: None
                  selector: {app: web14}
                  ports: [{name: http, port: 80}]
                  healthCheck: {tcp: {port: 80}, intervalSeconds: 2, timeoutSeconds: 1, failureThreshold: 1}
                ---
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: web-0, namespace: default, labels: {app: web14}, annotations: {drover.io/subdomain: web14}}
                spec: {node: node-1, networks: [dnsnet]}
                ---
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: web-1, namespace: default, labels: {app: web14}, annotations: {drover.io/subdomain: web14}}
                spec: {node: node-2, networks: [dnsnet], ports: [{name: http, port: 80}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: dns-test-service, namespace: dns-e2e}
                spec: {clusterIP: None, selector: {app: dns-test}, ports: [{name: http, port: 80}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: test-service-2, namespace: dns-e2e}
                spec: {selector: {app: dns-test}, ports: [{name: http, port: 80}]}
                ---
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: dns-test-pod, namespace: dns-e2e, labels: {app: dns-test}}
                spec: {node: node-1, networks: [dnsnet], ports: [{name: http, port: 80}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: dns-test-service-2, namespace: dns-e2e}
                spec: {clusterIP: None, selector: {app: querier}, ports: [{name: http, port: 80}]}
                ---
                apiVersion: drover.io/v1
                kind: Pod
                metadata:
                  name: dns-querier-2
                  namespace: dns-e2e
                  labels: {app: querier}
                  annotations: {drover.io/hostname: dns-querier-2, drover.io/subdomain: dns-test-service-2}
                spec: {node: node-2, networks: [dnsnet], ports: [{name: http, port: 80}]}
                ---
                # A pod's check fails while a file named after its address exists (the script runs in its namespace).
                apiVersion: v1
                kind: Service
                metadata: {name: healthy, namespace: default}
                spec:
                  clusterIP: None
                  selector: {app: healthy}
                  ports: [{name: http, port: 80}]
                  healthCheck:
                    script: {command: [sh, -c, 'for a in $(hostname -I); do if [ -e FAIL$a ]; then echo failing on purpose; exit 1; fi; done']}
                    intervalSeconds: 2
                    timeoutSeconds: 1
                    failureThreshold: 1
                ---
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: healthy-1, namespace: default, labels: {app: healthy}}
                spec: {node: node-1, networks: [dnsnet], ports: [{name: http, port: 80}]}
                ---
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: healthy-2, namespace: default, labels: {app: healthy}}
                spec: {node: node-2, networks: [dnsnet], ports: [{name: http, port: 80}]}
                """.replace("FAIL", failPrefix);
    }

    // ---- the vectors ----

    /** One question a scenario asks, from a client pod; {@code shortName} is what +search completes, null for none. */
    private record Ask(String client, String name, String type, String shortName, Consumer<DigAnswer> expect) {}

    private final Map<String, java.util.function.Function<Vector, List<Ask>>> scenarios = Map.ofEntries(
            Map.entry("D01", v -> List.of(new Ask(CLIENT, v.name(), "TXT", "dns-version",
                    a -> assertThat(a.records("TXT")).containsExactly("\"1.1.0\"")))),
            Map.entry("D02", v -> List.of(new Ask(CLIENT, v.name(), "A", "kubernetes",
                    a -> assertThat(a.records("A")).containsExactly("10.96.0.1")))),
            // Lab form: a headless service's IPv6 endpoint (the API allocates IPv4 cluster IPs only).
            Map.entry("D03", v -> List.of(new Ask(CLIENT, "v6.default.svc.cluster.local.", "AAAA", "v6",
                    a -> assertThat(a.records("AAAA")).containsExactly(V6)))),
            Map.entry("D04", v -> List.of(new Ask(CLIENT, v.name(), "SRV", "_https._tcp.kubernetes",
                    a -> assertThat(a.records("SRV")).containsExactly("0 100 443 kubernetes.default.svc.cluster.local.")))),
            Map.entry("D05", v -> List.of(new Ask(CLIENT, "_http._tcp.unnamed.default.svc.cluster.local.", "SRV",
                    "_http._tcp.unnamed", a -> assertThat(a.records("SRV")).isEmpty()))),
            Map.entry("D06", v -> List.of(new Ask(CLIENT, reverse("10.96.0.1"), "PTR", null,
                    a -> assertThat(a.records("PTR")).containsExactly("kubernetes.default.svc.cluster.local.")))),
            Map.entry("D07", v -> List.of(new Ask(CLIENT, reverse(V6), "PTR", null,
                    a -> assertThat(a.records("PTR")).containsExactly("2001-db8--100.v6.default.svc.cluster.local.")))),
            Map.entry("D08", v -> List.of(new Ask(CLIENT, v.name(), "A", "headless",
                    a -> assertThat(a.records("A")).containsExactlyInAnyOrderElementsOf(
                            ips("default", "my-pet", "pet-1", "pet-2"))))),
            Map.entry("D09", v -> List.of(new Ask(CLIENT, "empty.default.svc.cluster.local.", "A", null, a -> {
                assertThat(a.status()).isEqualTo("NXDOMAIN");
                assertThat(a.authority("SOA")).hasSize(1);
            }))),
            Map.entry("D10", v -> List.of(new Ask(CLIENT, v.name(), "A", "my-pet.headless",
                    a -> assertThat(a.records("A")).containsExactlyElementsOf(ips("default", "my-pet"))))),
            Map.entry("D11", v -> List.of(new Ask(CLIENT, v.name(), "SRV", "_https._tcp.headless",
                    a -> assertThat(a.records("SRV")).extracting(s -> s.replaceFirst("^\\d+ \\d+ ", ""))
                            .containsExactlyInAnyOrder("443 my-pet.headless.default.svc.cluster.local.",
                                    "443 pet-1.headless.default.svc.cluster.local.",
                                    "443 pet-2.headless.default.svc.cluster.local.")))),
            Map.entry("D12", v -> List.of(new Ask(CLIENT, reverse(ips("default", "my-pet").getFirst()), "PTR", null,
                    a -> assertThat(a.records("PTR")).containsExactly("my-pet.headless.default.svc.cluster.local.")))),
            // The target's address comes from the lab's outside resolver, through the cluster DNS's forwarding.
            Map.entry("D13", v -> List.of(new Ask(CLIENT, v.name(), "A", "foo", a -> {
                assertThat(a.records("CNAME")).containsExactly("www.example.com.");
                assertThat(a.records("A")).containsExactly("192.0.2.10");
            }))),
            Map.entry("D14", v -> List.of(
                    new Ask(CLIENT, "web-0.web14.default.svc.cluster.local.", "A", null,
                            a -> assertThat(a.status()).isEqualTo("NXDOMAIN")),
                    new Ask(CLIENT, "web14.default.svc.cluster.local.", "A", "web14",
                            a -> assertThat(a.records("A")).containsExactlyElementsOf(ips("default", "web-1"))))),
            Map.entry("D40", v -> List.of(
                    new Ask(N_CLIENT, "kubernetes.default.svc.cluster.local.", "A", "kubernetes.default", this::nonEmpty),
                    new Ask(N_CLIENT, "kubernetes.default.svc.cluster.local.", "A", "kubernetes.default.svc", this::nonEmpty),
                    new Ask(N_CLIENT, "kubernetes.default.svc.cluster.local.", "A", "kubernetes.default.svc.cluster.local",
                            this::nonEmpty))),
            Map.entry("D41", v -> List.of(
                    new Ask(N_CLIENT, "dns-test-service." + N + ".svc.cluster.local.", "A", null, this::nonEmpty),
                    new Ask(N_CLIENT, "_http._tcp.dns-test-service." + N + ".svc.cluster.local.", "SRV", null, this::nonEmpty),
                    new Ask(N_CLIENT, "_http._tcp.test-service-2." + N + ".svc.cluster.local.", "SRV", null, this::nonEmpty))),
            Map.entry("D42", v -> List.of(
                    new Ask(N_CLIENT, "dns-test-service." + N + ".svc.cluster.local.", "A", "dns-test-service", this::nonEmpty),
                    new Ask(N_CLIENT, "dns-test-service." + N + ".svc.cluster.local.", "A", "dns-test-service." + N,
                            this::nonEmpty),
                    new Ask(N_CLIENT, "dns-test-service." + N + ".svc.cluster.local.", "A", "dns-test-service." + N + ".svc",
                            this::nonEmpty),
                    new Ask(N_CLIENT, "_http._tcp.dns-test-service." + N + ".svc.cluster.local.", "SRV",
                            "_http._tcp.dns-test-service." + N + ".svc", this::nonEmpty),
                    new Ask(N_CLIENT, "_http._tcp.test-service-2." + N + ".svc.cluster.local.", "SRV",
                            "_http._tcp.test-service-2." + N + ".svc", this::nonEmpty))),
            Map.entry("D43", v -> {
                String ip = ips(N, "client").getFirst();
                String label = ip.replace('.', '-');
                return List.of(new Ask(N_CLIENT, label + "." + N + ".pod.cluster.local.", "A", label + "." + N + ".pod",
                        a -> assertThat(a.records("A")).containsExactly(ip)));
            }),
            Map.entry("D44", v -> List.of(new Ask(N_CLIENT, reverse(clusterIp(N, "test-service-2")), "PTR", null,
                    a -> assertThat(a.records("PTR")).containsExactly("test-service-2." + N + ".svc.cluster.local.")))),
            Map.entry("D45", v -> List.of(new Ask(N_CLIENT, "dns-querier-2.dns-test-service-2." + N + ".svc.cluster.local.",
                    "A", "dns-querier-2.dns-test-service-2", a -> assertThat(a.records("A"))
                            .containsExactlyElementsOf(ips(N, "dns-querier-2"))))));

    private void nonEmpty(DigAnswer a) {
        assertThat(a.status()).isEqualTo("NOERROR");
        assertThat(a.answers()).isNotEmpty();
    }

    @TestFactory
    Stream<DynamicTest> everyVectorFromInsidePodsOverUdpAndTcpWithAndWithoutSearch() throws IOException {
        return SchemaVectors.read(SchemaVectors.FILE).stream().map(v -> DynamicTest.dynamicTest(v.id() + ": " + v.question(), () -> {
            assertThat(scenarios).as("vector %s has a lab scenario in this test: add one for \"%s\"", v.id(),
                    v.question()).containsKey(v.id());
            // Eventually consistent: endpoints turn ready and health checks pass a moment after the objects exist.
            await().atMost(SETTLE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                for (Ask ask : scenarios.get(v.id()).apply(v)) {
                    askEveryWay(ask);
                }
            });
            if (v.id().equals("D14")) {
                unreadyEndpointsArePublishedWhenTheServiceSaysSo();
            }
        }));
    }

    /** D14's other half: with publishNotReadyAddresses the unready endpoint is in the answers too. */
    private void unreadyEndpointsArePublishedWhenTheServiceSaysSo() throws Exception {
        Path patch = work.resolve("web14.yaml");
        Files.writeString(patch, """
                apiVersion: v1
                kind: Service
                metadata: {name: web14, namespace: default}
                spec:
                  clusterIP: None
                  selector: {app: web14}
                  publishNotReadyAddresses: true
                  ports: [{name: http, port: 80}]
                  healthCheck: {tcp: {port: 80}, intervalSeconds: 2, timeoutSeconds: 1, failureThreshold: 1}
                """);
        CliHarness.Result apply = lab.drover("apply", "-f", patch.toString());
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            askEveryWay(new Ask(CLIENT, "web-0.web14.default.svc.cluster.local.", "A", "web-0.web14",
                    a -> assertThat(a.records("A")).containsExactlyElementsOf(ips("default", "web-0"))));
            askEveryWay(new Ask(CLIENT, "web14.default.svc.cluster.local.", "A", "web14",
                    a -> assertThat(a.records("A")).containsExactlyInAnyOrderElementsOf(ips("default", "web-0", "web-1"))));
        });
    }

    @Test
    void aHeadlessServicesAnswerFollowsItsEndpointsHealthChecks() throws Exception {
        List<String> both = ips("default", "healthy-1", "healthy-2");
        Ask all = new Ask(CLIENT, "healthy.default.svc.cluster.local.", "A", "healthy",
                a -> assertThat(a.records("A")).containsExactlyInAnyOrderElementsOf(both));
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> askEveryWay(all));

        String failing = ips("default", "healthy-2").getFirst();
        Path fail = Path.of(failPrefix() + failing);
        failFiles.add(fail);
        Files.writeString(fail, "failing on purpose\n");
        long failedAt = System.nanoTime();
        Ask one = new Ask(N_CLIENT, "healthy.default.svc.cluster.local.", "A", "healthy.default",
                a -> assertThat(a.records("A")).containsExactlyElementsOf(ips("default", "healthy-1")));
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> askEveryWay(one));
        System.out.printf("DNS in a lab: a failing health check left the answer %.1f s after it started failing%n",
                (System.nanoTime() - failedAt) / 1e9);

        Files.delete(fail);
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> askEveryWay(all));
    }

    // ---- asking ----

    /** Absolute over UDP and TCP, and the short name with +search over both when there is one. */
    private void askEveryWay(Ask ask) throws Exception {
        for (boolean tcp : new boolean[] {false, true}) {
            check(ask, tcp, false, ask.name());
            if (ask.shortName() != null) {
                check(ask, tcp, true, ask.shortName());
            }
        }
    }

    private void check(Ask ask, boolean tcp, boolean search, String name) {
        DigAnswer answer = dig(ask.client(), tcp, search, name, ask.type());
        String how = (tcp ? "TCP" : "UDP") + (search ? " +search" : "") + " " + name + " " + ask.type() + " from "
                + ask.client() + ":\n" + answer.text();
        assertThat(answer.server()).as("who answered, " + how).startsWith("10.96.0.10#53").endsWith(tcp ? "(TCP)" : "(UDP)");
        try {
            ask.expect().accept(answer);
        } catch (AssertionError e) {
            throw new AssertionError(how + "\n" + e.getMessage(), e);
        }
    }

    /** {@code dig} inside the pod: it asks the nameserver of the pod's resolv.conf. */
    private DigAnswer dig(String pod, boolean tcp, boolean search, String name, String type) {
        List<String> args = new ArrayList<>(List.of("lab", "exec", "--lab", lab.lab(), pod, "--", "dig", "+tries=2",
                "+time=2", "+noall", "+comments", "+answer", "+authority", "+stats"));
        if (tcp) {
            args.add("+tcp");
        }
        if (search) {
            args.add("+search");
        }
        args.addAll(List.of(name, type));
        CliHarness.Result r = lab.drover(args.toArray(String[]::new));
        assertThat(r.exitCode()).as("dig %s %s in %s: %s%s", name, type, pod, r.err(), r.out()).isZero();
        return DigAnswer.parse(r.out());
    }

    // ---- the lab's objects ----

    private Pod pod(String ref) {
        String[] p = ref.split("/");
        try (DroverClient client = client()) {
            return (Pod) client.get(ResourceKind.POD, p[0], p[1]);
        }
    }

    /** The IPv4 addresses of pods, in the order named. */
    private List<String> ips(String namespace, String... pods) {
        List<String> out = new ArrayList<>();
        for (String name : pods) {
            Pod pod = pod(namespace + "/" + name);
            assertThat(pod.status()).as("status of " + name).isNotNull();
            out.add(pod.status().addresses().stream().map(a -> a.ip()).filter(ip -> !ip.contains(":")).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " has no IPv4 address yet")));
        }
        return out;
    }

    private String clusterIp(String namespace, String name) {
        try (DroverClient client = client()) {
            return ((Service) client.get(ResourceKind.SERVICE, namespace, name)).spec().clusterIP();
        }
    }

    private DroverClient client() {
        LabState state = RunningLabs.choose(lab.store(), lab.lab()).orElseThrow();
        return new DroverClient(ServerUrls.parse(state.serverUrl()));
    }

    private static String reverse(String ip) {
        try {
            return ReverseMap.fromAddress(InetAddress.getByName(ip)).toString();
        } catch (IOException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }
}
