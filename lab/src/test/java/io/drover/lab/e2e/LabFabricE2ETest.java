package io.drover.lab.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.NetNs;
import io.drover.lab.echo.EchoPort;
import io.drover.lab.echo.EchoServer;
import io.drover.lab.net.Protocol;
import io.drover.lab.probe.ProbeOptions;
import io.drover.lab.probe.ProbeReport;
import io.drover.lab.probe.ProbeTarget;
import io.drover.lab.probe.Prober;
import io.drover.lab.runtime.FabricLayout;
import io.drover.lab.runtime.LabException;
import io.drover.lab.runtime.LabFabric;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabState;
import io.drover.lab.runtime.LabStateStore;
import io.drover.lab.runtime.LabTeardown;
import io.drover.lab.runtime.TeardownReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lab's fabric built in the kernel: namespaces, bridge, veths, underlay addresses; and torn down again. */
class LabFabricE2ETest {

    private final Kernel kernel = E2eKernel.get();
    @TempDir
    Path stateDir;
    private LabStateStore store;
    private String lab;

    @BeforeAll
    static void needsRoot(@TempDir Path state) {
        assumeTrue(TestNamespaces.rootWithIp(), "needs root, ip and nft");
        TestNamespaces.sweepLeftovers(E2eKernel.get(), new LabStateStore(state));
    }

    @BeforeEach
    void setUp() {
        store = new LabStateStore(stateDir);
        lab = TestNamespaces.labName();
    }

    @AfterEach
    void tearDown() {
        new LabTeardown(kernel, store, Duration.ofSeconds(2)).tearDown(lab);
        assertThat(kernel.namespaces()).noneMatch(LabNames.of(lab)::owns);
    }

    @Test
    void buildsTheUnderlayAndTearsItDownWithoutTouchingTheHost() throws Exception {
        List<String> hostLinks = kernel.links(NetNs.SELF).stream().map(Link::name).sorted().toList();
        FabricLayout layout = FabricLayout.plan(lab, 2);
        List<String> recorded = new ArrayList<>();
        LabState initial = LabState.create(lab, 2);
        new LabFabric(kernel).create(layout, ns -> {
            recorded.add(ns);
            store.update(lab, initial, s -> s.withNamespace(ns));
        });
        assertThat(recorded).containsExactlyElementsOf(layout.namespaces());
        assertThat(store.load(lab).orElseThrow().namespaces()).containsExactlyElementsOf(layout.namespaces());

        NetNs fabric = layout.fabric().netns();
        Map<String, Link> fabricLinks = kernel.links(fabric).stream().collect(Collectors.toMap(Link::name, Function.identity()));
        assertThat(fabricLinks.get("underlay").kind()).isEqualTo("bridge");
        assertThat(fabricLinks.get("underlay").up()).isTrue();
        assertThat(fabricLinks.get("node-1").master()).isEqualTo("underlay");
        assertThat(fabricLinks.get("node-2").master()).isEqualTo("underlay");
        assertThat(fabricLinks.get("node-1").alias()).isEqualTo(LabFabric.ALIAS);
        assertThat(kernel.addresses(fabric, "underlay")).contains(Address.parse("172.31.0.254/24"));
        NetNs node1 = layout.node("node-1").namespace().netns();
        NetNs node2 = layout.node("node-2").namespace().netns();
        assertThat(kernel.addresses(node2, "eth0")).contains(Address.parse("172.31.0.2/24"));
        assertThat(kernel.links(node1).stream().filter(l -> l.name().equals("eth0")).findFirst().orElseThrow().up())
                .isTrue();

        // Nodes reach each other over the underlay: the probe between two echo servers on the nodes.
        try (EchoServer _ = EchoServer.start(kernel, node1, "lab/node-1", List.of(new EchoPort(7, Protocol.TCP)));
                EchoServer _ = EchoServer.start(kernel, node2, "lab/node-2", List.of(new EchoPort(7, Protocol.TCP)))) {
            ProbeReport report = new Prober(kernel).probe(List.of(
                    new ProbeTarget("lab/node-1", node1, List.of(Address.parse("172.31.0.1/24").ip())),
                    new ProbeTarget("lab/node-2", node2, List.of(Address.parse("172.31.0.2/24").ip()))),
                    ProbeOptions.defaults().withPorts(List.of(7)).withTimeout(Duration.ofSeconds(3)));
            assertThat(report.summary()).endsWith("2 probes: 2 connected, 0 blocked");
        }

        // A pod namespace, made as a runtime would: loopback up.
        NetNs pod = new LabFabric(kernel).createPodNamespace(LabNames.of(lab), "shop", "web-1");
        assertThat(pod).isEqualTo(NetNs.named(LabNames.of(lab).podNamespace("shop", "web-1")));
        assertThat(kernel.links(pod).stream().filter(l -> l.name().equals("lo")).findFirst().orElseThrow().up()).isTrue();

        TeardownReport report = new LabTeardown(kernel, store).tearDown(lab);
        assertThat(report.hadState()).isTrue();
        assertThat(report.namespaces()).containsExactlyInAnyOrder(layout.fabric().name(),
                layout.node("node-1").namespace().name(), layout.node("node-2").namespace().name(),
                LabNames.of(lab).podNamespace("shop", "web-1"));
        assertThat(store.load(lab)).isEmpty();
        assertThat(kernel.links(NetNs.SELF).stream().map(Link::name).sorted().toList()).isEqualTo(hostLinks);
    }

    /**
     * A routed underlay: nodes on two segments reach each other only through the router namespace, which forwards
     * with IP forwarding switched on in its own namespace (never in the host's). A cut node's port goes down and up.
     */
    @Test
    void aRoutedUnderlayJoinsTwoSegmentsThroughTheRouterOnly() throws Exception {
        List<String> hostLinks = kernel.links(NetNs.SELF).stream().map(Link::name).sorted().toList();
        String hostForwarding = kernel.sysctl(NetNs.SELF, "net.ipv4.ip_forward");
        FabricLayout layout = FabricLayout.plan(lab, 2, FabricLayout.Kind.ROUTED);
        LabState initial = LabState.create(lab, 2);
        new LabFabric(kernel).create(layout, 1, ns -> store.update(lab, initial, s -> s.withNamespace(ns)));
        assertThat(store.load(lab).orElseThrow().namespaces()).containsExactlyElementsOf(layout.namespaces());

        NetNs router = layout.router().namespace().netns();
        assertThat(kernel.sysctl(router, "net.ipv4.ip_forward")).isEqualTo("1");
        assertThat(kernel.addresses(router, "eth2")).contains(Address.parse("172.31.2.254/24"));
        NetNs fabric = layout.fabric().netns();
        assertThat(kernel.sysctl(fabric, "net.ipv4.ip_forward")).isEqualTo("0");
        assertThat(kernel.addresses(fabric, "underlay-1")).contains(Address.parse("172.31.1.253/24"),
                Address.parse("172.31.1.201/24"));
        NetNs node1 = layout.node("node-1").namespace().netns();
        NetNs node2 = layout.node("node-2").namespace().netns();
        assertThat(kernel.routes(node2)).anyMatch(r -> r.destination().prefixLength() == 0
                && r.gateway() != null && r.gateway().getHostAddress().equals("172.31.2.254"));

        List<ProbeTarget> targets = List.of(
                new ProbeTarget("lab/node-1", node1, List.of(Address.parse("172.31.1.1/24").ip())),
                new ProbeTarget("lab/node-2", node2, List.of(Address.parse("172.31.2.2/24").ip())));
        ProbeOptions options = ProbeOptions.defaults().withPorts(List.of(7)).withTimeout(Duration.ofSeconds(2));
        try (EchoServer _ = EchoServer.start(kernel, node1, "lab/node-1", List.of(new EchoPort(7, Protocol.TCP)));
                EchoServer _ = EchoServer.start(kernel, node2, "lab/node-2", List.of(new EchoPort(7, Protocol.TCP)))) {
            assertThat(new Prober(kernel).probe(targets, options).summary()).endsWith("2 probes: 2 connected, 0 blocked");
            // The fabric reaches a node of the other segment through the router too.
            assertThat(new io.drover.lab.probe.ServingCheck(kernel).connectFrom(fabric, Address.parse("172.31.2.2/24").ip(),
                    7, Duration.ofSeconds(2)).connected()).isTrue();

            LabFabric fabricOps = new LabFabric(kernel);
            fabricOps.setNodeLink(layout, "node-2", false);
            assertThat(fabricOps.nodeLinkUp(layout, "node-2")).isFalse();
            assertThat(new Prober(kernel).probe(targets, options.withTimeout(Duration.ofMillis(500))).summary())
                    .endsWith("2 probes: 0 connected, 2 blocked");
            fabricOps.setNodeLink(layout, "node-2", true);
            assertThat(fabricOps.nodeLinkUp(layout, "node-2")).isTrue();
            assertThat(new Prober(kernel).probe(targets, options).summary()).endsWith("2 probes: 2 connected, 0 blocked");
        }

        TeardownReport report = new LabTeardown(kernel, store).tearDown(lab);
        assertThat(report.namespaces()).contains(layout.router().namespace().name());
        assertThat(kernel.links(NetNs.SELF).stream().map(Link::name).sorted().toList()).isEqualTo(hostLinks);
        assertThat(kernel.sysctl(NetNs.SELF, "net.ipv4.ip_forward")).isEqualTo(hostForwarding);
    }

    @Test
    void aFailedBuildRemovesWhatItMadeAndNothingElse() {
        LabNames names = LabNames.of(lab);
        // Someone else's namespace is in the way of node-2.
        kernel.createNamespace(names.nodeNamespace(2));
        assertThatThrownBy(() -> new LabFabric(kernel).create(FabricLayout.plan(lab, 3)))
                .isInstanceOf(LabException.class)
                .hasMessageContaining("already exists or left namespaces behind")
                .hasMessageContaining("drover lab down --name " + lab);
        assertThat(kernel.namespaces()).filteredOn(names::owns).containsExactly(names.nodeNamespace(2));
    }
}
