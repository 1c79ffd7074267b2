package io.drover.controllers.hostports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.api.registry.StoreResourceRegistry;
import io.drover.controllers.gc.HostPortGarbageCollector;
import io.drover.controllers.ipam.IpamController;
import io.drover.controllers.ipam.IpamService;
import io.drover.controllers.ipam.NetworkSource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.LabelSelector;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import io.drover.model.pod.PodStatus.PublishedPort;
import io.drover.store.KeyValueStore;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IPAM controller's pass that gives pods with {@code publishAllPorts} their automatic host ports, on a real store. */
class PublishAllPortsControllerTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final PodPort HTTP = new PodPort("http", 80, null, null, null);
    private static final PodPort DNS = new PodPort("dns", 53, "UDP", null, null);

    @TempDir
    Path dir;

    private KeyValueStore store;
    private StoreResourceRegistry registry;
    private HostPortAllocator hostPorts;
    private IpamController controller;

    @BeforeEach
    void setUp() {
        store = SqliteKeyValueStore.open(dir);
        registry = new StoreResourceRegistry(store);
        registry.ensureDefaults();
        registry.create(Network.of(ObjectMeta.named("blue"), NetworkSpec.of("10.10.0.0/24")));
        start(new HostPortRange(40000, 40003));
    }

    @AfterEach
    void tearDown() {
        controller.close();
        store.close();
    }

    private void start(HostPortRange range) {
        hostPorts = new HostPortAllocator(store, range);
        controller = new IpamController(registry, new IpamService(store, NetworkSource.of(registry)), hostPorts,
                new IpamController.Options(4, Duration.ofMillis(500)));
        controller.start();
    }

    private Pod create(String name, String node, Boolean publishAll, PodPort... ports) {
        return registry.create(Pod.of(ObjectMeta.named("default", name),
                new PodSpec(node, null, List.of("blue"), List.of(ports), publishAll, null)));
    }

    private Optional<Pod> get(String name) {
        return registry.get(Pod.class, "default", name);
    }

    private PodStatus awaitStatus(String name, String phase, int publishedPorts) {
        await().atMost(WAIT).until(() -> get(name).map(Pod::status)
                .filter(s -> phase.equals(s.phase()) && s.publishedPorts().size() == publishedPorts).isPresent());
        return get(name).orElseThrow().status();
    }

    private List<String> reservations() {
        return hostPorts.reservations().stream().map(s -> s.reservation().toString()).sorted().toList();
    }

    @Test
    void aPodThatPublishesAllPortsGetsAHostPortForEachPortWithoutOne() {
        Pod web = create("web", "node-1", true, HTTP, DNS, new PodPort("admin", 9000, null, 9000, null));
        PodStatus status = awaitStatus("web", PodStatus.ALLOCATED, 2);
        assertThat(status.addresses()).extracting(PodStatus.PodAddress::ip).containsExactly("10.10.0.2");
        assertThat(status.publishedPorts()).containsExactly(new PublishedPort(80, "TCP", 40000, null),
                new PublishedPort(53, "UDP", 40000, null));
        assertThat(status.message()).isNull();
        assertThat(hostPorts.reservations()).allSatisfy(s -> assertThat(s.reservation().podUid()).isEqualTo(web.metadata().uid()));
        assertThat(reservations()).containsExactly("40000/TCP -> default/web:80", "40000/UDP -> default/web:53");
    }

    @Test
    void explicitHostPortsOfTheNodeAreAvoidedAndOtherNodesAreIndependent() {
        create("explicit", "node-1", null, new PodPort(null, 80, null, 40000, null));
        create("hostmode", "node-1", null, new PodPort(null, 40001, null, null, null));
        Pod host = registry.create(Pod.of(ObjectMeta.named("default", "listener"),
                new PodSpec("node-1", "host", List.of(), List.of(new PodPort(null, 40002, null, null, null)), null)));
        assertThat(host).isNotNull();
        create("web", "node-1", true, HTTP);
        create("far", "node-2", true, HTTP);
        // hostmode is a bridge pod: its port 40001 is not on the node, only the host-mode pod's 40002 is.
        assertThat(awaitStatus("web", PodStatus.ALLOCATED, 1).publishedPorts()).extracting(PublishedPort::hostPort).containsExactly(40001);
        assertThat(awaitStatus("far", PodStatus.ALLOCATED, 1).publishedPorts()).extracting(PublishedPort::hostPort).containsExactly(40000);
    }

    @Test
    void anOlderPodThatDeclaresAnAutomaticPortAsItsHostPortGetsItAndAYoungerOneDoesNot() {
        create("web", "node-1", true, HTTP);
        assertThat(awaitStatus("web", PodStatus.ALLOCATED, 1).publishedPorts().getFirst().hostPort()).isEqualTo(40000);

        // Younger: the agent keeps the port for web and refuses it to this pod, so web keeps it.
        create("younger", "node-1", null, new PodPort(null, 80, null, 40000, null));
        // Older (it was written at the same moment as web's port was chosen; written directly to give it its age):
        // the agent keeps the port for it, so web gets another one.
        Pod older = Pod.of(new ObjectMeta("older", "default", Map.of(), Map.of(), "older-uid", null, "2000-01-01T00:00:00Z"),
                new PodSpec("node-1", null, List.of("blue"), List.of(new PodPort(null, 80, "UDP", 40000, null),
                        new PodPort(null, 81, null, 40000, null)), null));
        store.put(io.drover.api.registry.RegistryKeys.key(ResourceKind.POD, "default", "older"),
                io.drover.model.codec.ResourceCodec.toJson(older));

        await().atMost(WAIT).until(() -> get("web").orElseThrow().status().publishedPorts().getFirst().hostPort() == 40001);
        assertThat(reservations()).containsExactly("40001/TCP -> default/web:80");
    }

    @Test
    void anExhaustedRangeFailsThePodWithAMessageAndItIsPublishedOnceAPortFreesUp() {
        create("a", "node-1", true, HTTP, new PodPort("b", 81, null, null, null));
        create("b", "node-1", true, HTTP, new PodPort("b", 81, null, null, null));
        awaitStatus("a", PodStatus.ALLOCATED, 2);
        awaitStatus("b", PodStatus.ALLOCATED, 2);
        create("late", "node-1", true, HTTP);

        PodStatus failed = awaitStatus("late", PodStatus.FAILED, 0);
        assertThat(failed.message()).isEqualTo("no free host port for spec.ports[0] (80/TCP) on node node-1: all 4 TCP "
                + "ports of the host port range 40000-40003 are taken (4 published automatically, 0 declared as hostPort); "
                + "delete pods that publish ports on node-1, give this port a hostPort, or start the server with a wider "
                + "--host-port-range");
        // Its network works: the addresses stay.
        assertThat(failed.addresses()).hasSize(1);

        registry.delete(ResourceKind.POD, "default", "a", null);
        PodStatus published = awaitStatus("late", PodStatus.ALLOCATED, 1);
        assertThat(published.message()).isNull();
        assertThat(published.publishedPorts().getFirst().hostPort()).isBetween(40000, 40003);
        assertThat(reservations()).hasSize(3);
    }

    @Test
    void changingThePortsChangesTheReservationsAndTurningItOffGivesThemAllBack() {
        create("web", "node-1", true, HTTP);
        awaitStatus("web", PodStatus.ALLOCATED, 1);

        Pod web = get("web").orElseThrow();
        registry.replace(Pod.of(web.metadata(), web.spec().withPorts(List.of(HTTP, DNS))));
        PodStatus two = awaitStatus("web", PodStatus.ALLOCATED, 2);
        assertThat(two.publishedPorts()).containsExactly(new PublishedPort(80, "TCP", 40000, null),
                new PublishedPort(53, "UDP", 40000, null));

        web = get("web").orElseThrow();
        registry.replace(Pod.of(web.metadata(), new PodSpec("node-1", null, List.of("blue"), List.of(HTTP, DNS), false, null)));
        PodStatus none = awaitStatus("web", PodStatus.ALLOCATED, 0);
        assertThat(none.addresses()).hasSize(1);
        await().atMost(WAIT).until(() -> hostPorts.reservations().isEmpty());
    }

    @Test
    void deletingThePodGivesItsPortsBack() {
        create("web", "node-1", true, HTTP, DNS);
        awaitStatus("web", PodStatus.ALLOCATED, 2);
        registry.delete(ResourceKind.POD, "default", "web", null);
        await().atMost(WAIT).until(() -> hostPorts.reservations().isEmpty());
    }

    @Test
    void aRestartedControllerKeepsEveryPodsPortsAndWritesNothing() throws Exception {
        for (int i = 0; i < 4; i++) {
            create("p" + i, "node-" + (i % 2), true, HTTP);
        }
        await().atMost(WAIT).until(() -> allPods().stream().allMatch(p -> p.status() != null
                && PodStatus.ALLOCATED.equals(p.status().phase()) && p.status().publishedPorts().size() == 1));
        assertThat(controller.awaitIdle(WAIT)).isTrue();
        Map<String, Pod> before = allPods().stream().collect(Collectors.toMap(Pod::name, Function.identity()));
        long revision = store.revision();

        controller.close();
        start(new HostPortRange(40000, 40003));
        assertThat(controller.awaitIdle(WAIT)).isTrue();

        assertThat(store.revision()).as("nothing written on restart").isEqualTo(revision);
        assertThat(allPods().stream().collect(Collectors.toMap(Pod::name, Function.identity()))).isEqualTo(before);
    }

    @Test
    void theGarbageCollectorFreesPortsOfPodsThatAreGoneAndOnlyThose() {
        Pod web = create("web", "node-1", true, HTTP);
        awaitStatus("web", PodStatus.ALLOCATED, 1);
        // Left behind by a server that died before it could give them back.
        HostPortAllocator.Owner ghost = new HostPortAllocator.Owner("deleted-uid", "default/ghost", "node-1");
        hostPorts.assign(ghost, List.of(new AutomaticPorts.Wanted("spec.ports[0]", 80, "TCP", null)), PortClaims.NONE);
        // And one for a living pod on another node than its own.
        HostPortAllocator.Owner moved = new HostPortAllocator.Owner(web.metadata().uid(), "default/web", "node-9");
        hostPorts.assign(moved, List.of(new AutomaticPorts.Wanted("spec.ports[0]", 80, "TCP", null)), PortClaims.NONE);

        HostPortGarbageCollector.Report report = new HostPortGarbageCollector(registry, hostPorts, Duration.ofMinutes(1)).sweep();

        assertThat(report.reservationsSeen()).isEqualTo(3);
        assertThat(report.freed()).extracting(HostPortReservation::toString)
                .containsExactlyInAnyOrder("40001/TCP -> default/ghost:80", "40000/TCP -> default/web:80");
        assertThat(report.freed()).extracting(HostPortReservation::node).containsExactlyInAnyOrder("node-1", "node-9");
        assertThat(reservations()).containsExactly("40000/TCP -> default/web:80");
    }

    private List<Pod> allPods() {
        return registry.<Pod>list(ResourceKind.POD, null, LabelSelector.everything()).items();
    }
}
