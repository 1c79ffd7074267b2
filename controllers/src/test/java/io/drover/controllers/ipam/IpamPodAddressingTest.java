package io.drover.controllers.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.api.registry.PodAddressing;
import io.drover.api.registry.StoreResourceRegistry;
import io.drover.controllers.hostports.HostPortAllocator;
import io.drover.controllers.hostports.HostPortRange;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import io.drover.model.pod.PodStatus.PodAddress;
import io.drover.store.KeyValueStore;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pods addressed in their create from the real {@link IpamService}, and what the IPAM controller then makes of them. */
class IpamPodAddressingTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private KeyValueStore store;
    /** The controllers' registry: no addressing. */
    private StoreResourceRegistry plain;
    /** The API's registry: pods addressed in their create. */
    private StoreResourceRegistry api;
    private IpamService ipam;
    private IpamController controller;

    @BeforeEach
    void setUp() {
        store = SqliteKeyValueStore.open(dir);
        plain = new StoreResourceRegistry(store);
        plain.ensureDefaults();
        ipam = new IpamService(store, NetworkSource.of(plain));
        api = plain.withPodAddressing(new IpamPodAddressing(ipam));
        plain.create(Network.of(ObjectMeta.named("blue"), NetworkSpec.of("10.10.0.0/24")));
        plain.create(Network.of(ObjectMeta.named("red"), NetworkSpec.of("10.20.0.0/16", "fd00:20::/64")));
    }

    @AfterEach
    void tearDown() {
        if (controller != null) {
            controller.close();
        }
        store.close();
    }

    private void startController() {
        // A service of its own, as on the leader: the two share nothing but the store.
        IpamService controllers = new IpamService(store, NetworkSource.of(plain));
        controller = new IpamController(plain, controllers, new HostPortAllocator(store, HostPortRange.DEFAULT),
                new IpamController.Options(4, Duration.ofSeconds(30)));
        controller.start();
    }

    private Pod create(String name, PodSpec spec) {
        return api.create(Pod.of(ObjectMeta.named("default", name), spec));
    }

    private Optional<Pod> get(String name) {
        return plain.get(Pod.class, "default", name);
    }

    /** Waits for a pod the controller addresses (not through the API's registry): every pod created before it was seen. */
    private void awaitControllerCaughtUp() throws InterruptedException {
        plain.create(Pod.of(ObjectMeta.named("default", "marker"), PodSpec.on("node-9", "blue")));
        await().atMost(WAIT).until(() -> get("marker").map(Pod::status).map(PodStatus::phase).orElse(""), PodStatus.ALLOCATED::equals);
        assertThat(controller.awaitIdle(WAIT)).isTrue();
    }

    @Test
    void aCreatedPodComesBackAddressedOnePerNetworkAndFamilyAsTheControllerWouldAddressIt() {
        Pod pod = create("web", PodSpec.on("node-1", "blue", "red"));

        assertThat(pod.status()).isEqualTo(new PodStatus(PodStatus.ALLOCATED, List.of(
                new PodAddress("blue", "eth0", "10.10.0.2", 24, "10.10.0.1"),
                new PodAddress("red", "eth1", "10.20.0.2", 16, "10.20.0.1"),
                new PodAddress("red", "eth1", "fd00:20::2", 64, "fd00:20::1")), List.of(), null));
        assertThat(get("web").orElseThrow()).isEqualTo(pod);
        assertThat(PodAttachments.looksDone(pod)).isTrue();
        String uid = pod.metadata().uid();
        assertThat(ipam.handle("blue", HandleId.forPod(uid, "eth0")).orElseThrow().node()).isEqualTo("node-1");
        assertThat(ipam.handle("red", HandleId.forPod(uid, "eth1")).orElseThrow().addresses()).hasSize(2);
    }

    @Test
    void theControllerFindsTheCreatedPodDoneWritesNothingAndReleasesItsAddressesWhenItIsDeleted() throws Exception {
        startController();
        Pod pod = create("web", PodSpec.on("node-1", "blue", "red"));
        awaitControllerCaughtUp();

        Pod seen = get("web").orElseThrow();
        assertThat(seen.metadata().resourceVersion()).as("the controller wrote nothing").isEqualTo(pod.metadata().resourceVersion());
        assertThat(seen.status()).isEqualTo(pod.status());
        String uid = pod.metadata().uid();
        assertThat(ipam.handle("blue", HandleId.forPod(uid, "eth0")).orElseThrow().allocated())
                .extracting(AllocatedAddress::ip).containsExactly("10.10.0.2");

        api.delete(ResourceKind.POD, "default", "web", null);

        await().atMost(WAIT).until(() -> ipam.handle("blue", HandleId.forPod(uid, "eth0")).isEmpty()
                && ipam.handle("red", HandleId.forPod(uid, "eth1")).isEmpty());
        assertThat(ipam.blocks("red")).allSatisfy(b -> assertThat(b.allocations().values()).noneMatch(h -> h.contains(uid)));
    }

    @Test
    void podsWhoseStatusIsNotOnlyAddressesAreLeftToTheController() throws Exception {
        Pod unplaced = create("unplaced", new PodSpec(null, null, List.of("blue"), List.of(), List.of()));
        Pod host = create("host", new PodSpec("node-1", "host", List.of(), List.of(), List.of()));
        Pod publishing = create("publishing", new PodSpec("node-1", null, List.of("blue"),
                List.of(new PodPort("http", 80, null, null, null)), true, List.of()));

        assertThat(List.of(unplaced, host, publishing)).extracting(Pod::status).containsOnlyNulls();
        assertThat(ipam.handles()).isEmpty();

        startController();
        await().atMost(WAIT).until(() -> get("publishing").map(Pod::status).map(PodStatus::phase).orElse(""), PodStatus.ALLOCATED::equals);
        assertThat(get("publishing").orElseThrow().status().publishedPorts()).singleElement()
                .satisfies(p -> assertThat(p.hostPort()).isNotNull());
    }

    @Test
    void aPodThatCannotGetEveryAddressIsCreatedWithoutAnyAndFailedByTheController() throws Exception {
        // One usable address: .6 (.4 network, .5 gateway, .7 broadcast).
        plain.create(Network.of(ObjectMeta.named("tiny"), new NetworkSpec(List.of("10.9.0.4/30"), null, 30, null, null, null)));
        Pod first = create("first", PodSpec.on("node-1", "tiny"));
        assertThat(first.status().addresses()).extracting(PodAddress::ip).containsExactly("10.9.0.6");

        Pod second = create("second", PodSpec.on("node-1", "blue", "tiny"));

        assertThat(second.status()).isNull();
        assertThat(ipam.handles("blue")).as("eth0 on blue, allocated before eth1 failed, was given back").isEmpty();

        startController();
        await().atMost(WAIT).until(() -> get("second").map(Pod::status).map(PodStatus::phase).orElse(""), PodStatus.FAILED::equals);
        assertThat(get("second").orElseThrow().status().message())
                .isEqualTo("network tiny (10.9.0.4/30) has no free IPv4 address: 1 of 1 in use; widen the subnet or delete pods");
        assertThat(controller.awaitIdle(WAIT)).isTrue();
        // The controller, asking again for the first pod's address in a full network, got it back, not a refusal.
        assertThat(get("first").orElseThrow()).isEqualTo(first);
        assertThat(ipam.handle("tiny", HandleId.forPod(first.metadata().uid(), "eth0"))).isPresent();
    }

    @Test
    void aCreateThatFindsTheNameTakenGivesItsAddressesBack() {
        Pod first = create("web", PodSpec.on("node-1", "blue"));

        assertThatThrownBy(() -> create("web", PodSpec.on("node-1", "blue")))
                .hasMessageContaining("already exists");

        assertThat(ipam.handles("blue")).singleElement().extracting(HandleRecord::owner).isEqualTo(first.metadata().uid());
    }

    @Test
    void anAllocationFreedBeforeThePodIsWrittenIsAllocatedAgain() {
        // As if something freed the handle between the allocation and the pod's write (a garbage collector of a
        // server that does not know about addressing at create): the write must not store addresses nobody holds.
        IpamPodAddressing real = new IpamPodAddressing(ipam);
        boolean[] freed = {false};
        StoreResourceRegistry racing = plain.withPodAddressing(new PodAddressing() {
            @Override
            public Optional<Addressed> allocate(Pod pod) {
                Optional<Addressed> out = real.allocate(pod);
                if (!freed[0]) {
                    freed[0] = true;
                    ipam.release("blue", HandleId.forPod(pod.metadata().uid(), "eth0"));
                }
                return out;
            }

            @Override
            public void release(Pod pod) {
                real.release(pod);
            }
        });

        Pod pod = racing.create(Pod.of(ObjectMeta.named("default", "web"), PodSpec.on("node-1", "blue")));

        HandleRecord held = ipam.handle("blue", HandleId.forPod(pod.metadata().uid(), "eth0")).orElseThrow();
        assertThat(pod.status().addresses()).extracting(PodAddress::ip)
                .containsExactlyElementsOf(held.addresses().stream().map(HandleRecord.Address::ip).toList());
    }
}
