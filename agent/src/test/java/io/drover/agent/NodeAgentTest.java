package io.drover.agent;

import static io.drover.agent.TestObjects.network;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.desired.InterfaceNames;
import io.drover.agent.desired.ManagedPodNamespaces;
import io.drover.agent.desired.PodKeys;
import io.drover.agent.kernel.FakeKernel;
import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.reconcile.Reconciler;
import io.drover.api.registry.StoreResourceRegistry;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import io.drover.model.pod.PodStatus.PodAddress;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against a real registry on SQLite and the fake kernel. */
class NodeAgentTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final NetNs SELF = NetNs.SELF;
    private static final ManagedPodNamespaces NAMESPACES = ManagedPodNamespaces.withPrefix("drover-n1-");

    @TempDir
    Path dir;

    private SqliteKeyValueStore store;
    private StoreResourceRegistry registry;
    private final FakeKernel kernel = new FakeKernel();
    private NodeAgent agent;

    @BeforeEach
    void open() {
        store = SqliteKeyValueStore.open(dir);
        registry = new StoreResourceRegistry(store);
        registry.ensureDefaults();
        registry.create(network("blue", "10.10.0.0/16"));
    }

    @AfterEach
    void close() {
        if (agent != null) {
            agent.close();
        }
        store.close();
    }

    private NodeAgent startAgent(NodeAgent.Options options) {
        agent = new NodeAgent("node-1", registry, new Reconciler(kernel), NAMESPACES, options);
        agent.start();
        return agent;
    }

    private Pod createPod(String name, String node) {
        return registry.create(Pod.of(ObjectMeta.named("default", name), PodSpec.on(node, "blue")));
    }

    /** Writes the status IPAM would. */
    private Pod allocate(Pod pod, String ip) {
        Pod current = registry.get(Pod.class, "default", pod.name()).orElseThrow();
        return registry.replaceStatus(current.withStatus(new PodStatus(PodStatus.ALLOCATED,
                List.of(new PodAddress("blue", "eth0", ip, 16, "10.10.0.1")), null)));
    }

    private static String hostEnd(Pod pod) {
        return InterfaceNames.hostVeth(PodKeys.identity(pod), "eth0");
    }

    @Test
    void podsWithAddressesArePlumbedAndUnplumbedWhenDeleted() throws Exception {
        Pod early = allocate(createPod("early", "node-1"), "10.10.0.2");
        startAgent(NodeAgent.Options.DEFAULTS);
        assertThat(kernel.link(SELF, hostEnd(early))).as("plumbed by the first sync, before start returns").isPresent();

        Pod web = createPod("web", "node-1");
        Pod elsewhere = allocate(createPod("far", "node-2"), "10.10.0.4");
        // The watch event may arrive after a sync that was already under way, so wait for the outcome itself.
        await("its namespace is made at once, before it has an address").atMost(WAIT)
                .until(() -> kernel.hasNamespace(NAMESPACES.namespaceOf(web)));
        assertThat(agent.awaitSynced(WAIT)).isTrue();
        assertThat(kernel.link(SELF, hostEnd(web))).as("no address yet").isEmpty();

        allocate(web, "10.10.0.3");
        await().atMost(WAIT).until(() -> kernel.link(SELF, hostEnd(web)).isPresent());
        NetNs ns = NAMESPACES.namespaceOf(web);
        await().atMost(WAIT).until(() -> kernel.link(ns, "eth0").map(Link::up).orElse(false));
        assertThat(kernel.addressesOf(ns, "eth0")).extracting(Object::toString).contains("10.10.0.3/16");
        assertThat(kernel.link(SELF, hostEnd(elsewhere))).as("a pod of another node").isEmpty();
        assertThat(kernel.link(SELF, "dr-blue")).isPresent();

        registry.delete(ResourceKind.POD, "default", "web", null);
        await().atMost(WAIT).until(() -> kernel.link(SELF, hostEnd(web)).isEmpty() && !kernel.hasNamespace(ns));
        assertThat(kernel.link(SELF, hostEnd(early))).isPresent();

        registry.delete(ResourceKind.POD, "default", "early", null);
        await().atMost(WAIT).until(() -> kernel.link(SELF, "dr-blue").isEmpty());
        assertThat(agent.awaitSynced(WAIT)).isTrue();
        assertThat(agent.lastResult()).get().satisfies(r -> assertThat(r.ok()).isTrue());
    }

    @Test
    void aPeriodicResyncRepairsDriftAndFailuresAreRetried() {
        Pod web = allocate(createPod("web", "node-1"), "10.10.0.5");
        kernel.failOnce(c -> c.is("createVethPair"), 1);
        startAgent(new NodeAgent.Options(Duration.ofMillis(200), Duration.ZERO, Duration.ofMillis(20), Duration.ofMillis(100)));
        assertThat(agent.lastResult()).get().satisfies(r -> assertThat(r.ok()).isFalse());
        await().atMost(WAIT).until(() -> kernel.link(SELF, hostEnd(web)).isPresent());

        kernel.setUp(SELF, hostEnd(web), false);
        kernel.applyNftables(SELF, "flush ruleset");
        await().atMost(WAIT).until(() -> kernel.link(SELF, hostEnd(web)).map(Link::up).orElse(false)
                && kernel.nftTableExists(SELF, "inet", "drover"));
    }

    @Test
    void closingTheAgentLeavesTheDataPlaneAndANewAgentAdoptsIt() throws Exception {
        Pod web = allocate(createPod("web", "node-1"), "10.10.0.6");
        startAgent(NodeAgent.Options.DEFAULTS);
        assertThat(agent.awaitSynced(WAIT)).isTrue();
        agent.close();
        assertThat(kernel.link(SELF, hostEnd(web))).isPresent();
        assertThat(kernel.nftTableExists(SELF, "inet", "drover")).isTrue();

        kernel.clearCalls();
        startAgent(NodeAgent.Options.DEFAULTS);
        assertThat(agent.awaitSynced(WAIT)).isTrue();
        assertThat(kernel.writes()).as("a restart with nothing changed writes nothing").isEmpty();
    }

    @Test
    void aBurstOfChangesIsCoalesced() throws Exception {
        startAgent(NodeAgent.Options.DEFAULTS);
        kernel.clearCalls();
        for (int i = 0; i < 20; i++) {
            allocate(createPod("p" + i, "node-1"), "10.10.1." + (i + 1));
        }
        await().atMost(WAIT).until(() -> kernel.linkNames(SELF).stream().filter(n -> n.startsWith("dv")).count() == 20);
        assertThat(agent.awaitSynced(WAIT)).isTrue();
        long syncs = kernel.calls().stream().filter(c -> c.is("links") && SELF.equals(c.ns())).count();
        assertThat(syncs).as("fewer syncs than the 40 writes to the store").isLessThan(40);
    }
}
