package io.drover.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.agent.NodeAgent;
import io.drover.agent.desired.ManagedPodNamespaces;
import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.agent.reconcile.Reconciler;
import io.drover.api.registry.StoreResourceRegistry;
import io.drover.controllers.Controllers;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodSpec;
import io.drover.model.policy.PortReference;
import io.drover.model.service.EndpointHealth;
import io.drover.model.service.HealthCheck;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees (root only): a node whose namespace is a throwaway one, with the server's pieces in-process (a
 * registry on SQLite, the controllers, among them the endpoints controller), its agent on the Linux kernel and the
 * agent's health checks, as {@code drover agent} assembles them. Two pods serve HTTP behind a service with an http
 * check every 2 s (thresholds 1 and 1): when one pod's check fails its endpoint turns not ready and the service's
 * connections go to the other pod only, within about an interval; when it passes again it is back.
 */
class ServiceHealthE2ETest {

    private static final String NODE = "node-1";
    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private String rootLinks;
    private Netns netns;
    private LinuxKernel kernel;
    private SqliteKeyValueStore store;
    private StoreResourceRegistry registry;
    private Controllers controllers;
    private NodeAgent agent;
    private HealthChecks checks;
    private ManagedPodNamespaces namespaces;
    private NetNs nodeNs;
    private final List<PodHttpServer> servers = new ArrayList<>();

    @BeforeEach
    void node() {
        String why = Netns.unavailable();
        assumeTrue(why == null, why);
        rootLinks = Netns.rootLinks();
        netns = new Netns();
        kernel = new LinuxKernel();
        String node = netns.add("node");
        nodeNs = NetNs.named(node);
        // The node's uplink, as a real node has one: the route its own connections to the service range take.
        String outside = netns.add("outside");
        Netns.in(node, "ip", "link", "add", "uplink", "type", "veth", "peer", "name", "downlink", "netns", outside);
        Netns.in(node, "ip", "address", "add", "192.168.77.1/24", "dev", "uplink");
        Netns.in(node, "ip", "link", "set", "uplink", "up");
        Netns.in(node, "ip", "route", "add", "default", "via", "192.168.77.254");
        Netns.in(outside, "ip", "address", "add", "192.168.77.254/24", "dev", "downlink");
        Netns.in(outside, "ip", "link", "set", "downlink", "up");
        store = SqliteKeyValueStore.open(dir);
        registry = new StoreResourceRegistry(store);
        registry.ensureDefaults();
        registry.create(Network.of(ObjectMeta.named("hc"), NetworkSpec.of("10.124.0.0/24")));
        controllers = Controllers.start(store, registry);
        namespaces = new ManagedPodNamespaces(netns.prefix, nodeNs);
        agent = new NodeAgent(NODE, registry, new Reconciler(kernel), namespaces,
                new NodeAgent.Options(Duration.ofSeconds(30), Duration.ZERO, Duration.ofMillis(50), Duration.ofSeconds(1)));
        agent.start();
        checks = HealthChecks.start(agent, registry, kernel);
    }

    @AfterEach
    void cleanUp() {
        try {
            servers.forEach(PodHttpServer::close);
            if (checks != null) {
                checks.close();
            }
            if (agent != null) {
                agent.close();
            }
            if (controllers != null) {
                controllers.close();
            }
            if (store != null) {
                store.close();
            }
        } finally {
            try {
                if (kernel != null) {
                    kernel.close(); // first: its threads hold the namespaces
                }
            } finally {
                if (netns != null) {
                    netns.close();
                }
            }
        }
        Netns.assertRootLinksUnchanged(rootLinks);
    }

    @Test
    void aFailingEndpointLeavesTheServicesBalancingAndComesBackWhenItPasses() throws Exception {
        PodHttpServer a = serve("web-a");
        serve("web-b");
        registry.create(Service.of(ObjectMeta.named("default", "web"), ServiceSpec.builder()
                .selector(Map.of("app", "web"))
                .ports(ServicePort.tcp("http", 80, PortReference.named("http")))
                .healthCheck(new HealthCheck(new HealthCheck.HttpCheck("/healthz", PortReference.named("http")), null, null,
                        (int) INTERVAL.toSeconds(), 1, 1, 1))
                .build()));
        String clusterIp = registry.get(Service.class, "default", "web").orElseThrow().spec().clusterIP();

        await().atMost(WAIT).until(() -> readyPods().equals(Set.of("web-a", "web-b")));
        assertThat(endpoint("web-a").health().status()).isEqualTo(EndpointHealth.PASSING);
        assertThat(endpoint("web-a").health().output()).isEqualTo("HTTP/1.1 200 OK");
        await().atMost(WAIT).until(() -> answers(clusterIp, 16).equals(Set.of("web-a", "web-b")));

        a.healthStatus = 500;
        long failedAt = System.nanoTime();
        await().atMost(WAIT).until(() -> !endpoint("web-a").readyForTraffic());
        Duration tookOut = Duration.ofNanos(System.nanoTime() - failedAt);
        ServiceEndpoint failing = endpoint("web-a");
        assertThat(failing.health().status()).isEqualTo(EndpointHealth.FAILING);
        assertThat(failing.health().output()).isEqualTo("HTTP/1.1 500 Internal Server Error");
        assertThat(failing.reason()).isEqualTo("health check failing: HTTP/1.1 500 Internal Server Error");
        assertThat(tookOut).as("an interval, the check and the writes").isLessThan(INTERVAL.plusSeconds(3));
        await().atMost(Duration.ofSeconds(5)).until(() -> answers(clusterIp, 16).equals(Set.of("web-b")));
        assertThat(answers(clusterIp, 32)).as("only the passing pod, every time").containsExactly("web-b");

        a.healthStatus = 200;
        long passedAt = System.nanoTime();
        await().atMost(WAIT).until(() -> endpoint("web-a").readyForTraffic());
        assertThat(Duration.ofNanos(System.nanoTime() - passedAt)).isLessThan(INTERVAL.plusSeconds(3));
        await().atMost(Duration.ofSeconds(5)).until(() -> answers(clusterIp, 16).equals(Set.of("web-a", "web-b")));
    }

    /** Creates pod {@code name} (label app=web, port http 8080) and serves HTTP in its namespace once it exists. */
    private PodHttpServer serve(String name) {
        Pod created = registry.create(Pod.of(ObjectMeta.named("default", name).withLabels(Map.of("app", "web")),
                new PodSpec(NODE, null, List.of("hc"), List.of(new PodPort("http", 8080, null, null, null)), List.of())));
        NetNs ns = namespaces.namespaceOf(created);
        await().atMost(WAIT).until(() -> hasAddress(ns));
        PodHttpServer server = new PodHttpServer(kernel, ns, 8080, name);
        servers.add(server);
        return server;
    }

    private boolean hasAddress(NetNs ns) {
        try {
            return kernel.addresses(ns, "eth0").stream().anyMatch(a -> a.ip().getHostAddress().startsWith("10.124.0."));
        } catch (KernelException e) {
            return false; // the namespace or its interface is not there yet
        }
    }

    private ServiceEndpoint endpoint(String pod) {
        return endpoints().endpoints().stream().filter(e -> pod.equals(e.pod())).findFirst().orElseThrow();
    }

    private ServiceEndpoints endpoints() {
        return registry.get(ServiceEndpoints.class, "default", "web")
                .orElse(ServiceEndpoints.of(ObjectMeta.named("default", "web"), List.of()));
    }

    private Set<String> readyPods() {
        Set<String> ready = new TreeSet<>();
        endpoints().readyEndpoints().forEach(e -> ready.add(e.pod()));
        return ready;
    }

    /** The pods that answered {@code count} connections to the service, made from the node as its programs would. */
    private Set<String> answers(String clusterIp, int count) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < count; i++) {
            seen.merge(get(clusterIp), 1, Integer::sum);
        }
        return new TreeSet<>(seen.keySet());
    }

    /** GET / on the service's port 80: the body names the pod; what went wrong otherwise. */
    private String get(String ip) {
        try (SocketChannel channel = kernel.inNamespace(nodeNs, () -> SocketChannel.open(StandardProtocolFamily.INET))) {
            channel.socket().connect(new InetSocketAddress(InetAddress.ofLiteral(ip), 80), 1000);
            channel.write(ByteBuffer.wrap(("GET / HTTP/1.1\r\nHost: " + ip + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            channel.socket().setSoTimeout(2000);
            InputStream in = channel.socket().getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            String text = response.toString(StandardCharsets.UTF_8);
            int body = text.indexOf("\r\n\r\n");
            return body < 0 ? "no answer: " + text : text.substring(body + 4);
        } catch (IOException | RuntimeException e) {
            return "failed: " + e;
        }
    }
}
