package io.drover.controllers.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.api.registry.StoreResourceRegistry;
import io.drover.controllers.ipam.AllocationBlock;
import io.drover.controllers.ipam.HandleId;
import io.drover.controllers.ipam.HandleRecord;
import io.drover.controllers.ipam.IpamService;
import io.drover.controllers.ipam.NetworkSource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.store.KeyValueStore;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpamGarbageCollectorTest {

    @TempDir
    Path dir;

    private KeyValueStore store;
    private StoreResourceRegistry registry;
    private IpamService ipam;

    @BeforeEach
    void setUp() {
        store = SqliteKeyValueStore.open(dir);
        registry = new StoreResourceRegistry(store);
        registry.ensureDefaults();
        ipam = new IpamService(store, NetworkSource.of(registry));
        registry.create(Network.of(ObjectMeta.named("blue"), NetworkSpec.of("10.10.0.0/24", "fd00:10::/64")));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private Pod pod(String name) {
        return registry.create(Pod.of(ObjectMeta.named("default", name), PodSpec.on("node-1", "blue")));
    }

    @Test
    void freesOnlyHandlesWhosePodIsGoneAndLeavesContainerHandlesToTheAgents() {
        Pod alive = pod("alive");
        Pod doomed = pod("doomed");
        ipam.allocate("blue", "node-1", HandleId.forPod(alive.metadata().uid(), "eth0"));
        List<String> doomedIps = ipam.allocate("blue", "node-1", HandleId.forPod(doomed.metadata().uid(), "eth0"))
                .stream().map(a -> a.ip()).toList();
        ipam.allocate("blue", "node-1", HandleId.forPod("never-existed", "eth0"));
        ipam.allocate("blue", "node-2", HandleId.forContainer("0123abcd", "eth0"));
        registry.delete(ResourceKind.POD, "default", "doomed", null);

        IpamGarbageCollector gc = new IpamGarbageCollector(registry, ipam, Duration.ofMinutes(5));
        IpamGarbageCollector.Report report = gc.sweep();

        assertThat(report.handlesSeen()).isEqualTo(4);
        assertThat(report.freed()).extracting(HandleRecord::owner).containsExactlyInAnyOrder(doomed.metadata().uid(), "never-existed");
        assertThat(report.freed()).filteredOn(h -> h.owner().equals(doomed.metadata().uid()))
                .singleElement().satisfies(h -> assertThat(h.addresses()).extracting(HandleRecord.Address::ip).isEqualTo(doomedIps));
        assertThat(ipam.handles("blue")).extracting(HandleRecord::handle)
                .containsExactlyInAnyOrder("pod:" + alive.metadata().uid() + ":eth0", "container:0123abcd:eth0");
        // The freed addresses are free in the blocks too.
        assertThat(ipam.blocks("blue")).flatMap(b -> b.allocations().values())
                .containsExactlyInAnyOrder("pod:" + alive.metadata().uid() + ":eth0", "pod:" + alive.metadata().uid() + ":eth0",
                        "container:0123abcd:eth0", "container:0123abcd:eth0");
        // A second sweep has nothing left to do.
        assertThat(gc.sweep().freed()).isEmpty();
    }

    @Test
    void deletesTheEmptyBlocksOfADeletedNetworkOnly() {
        registry.create(Network.of(ObjectMeta.named("gone"), NetworkSpec.of("10.20.0.0/24")));
        Pod p = pod("keeper");
        ipam.allocate("blue", "node-1", HandleId.forPod(p.metadata().uid(), "eth0"));
        HandleId temp = HandleId.forPod("temporary", "eth0");
        ipam.allocate("gone", "node-1", temp);
        ipam.release("gone", temp);
        // "blue" also gets an empty block: it must stay, its network exists.
        ipam.allocate("blue", "node-7", HandleId.forPod("short-lived", "eth0"));
        ipam.release("blue", HandleId.forPod("short-lived", "eth0"));
        registry.delete(ResourceKind.NETWORK, null, "gone", null);

        IpamGarbageCollector.Report report = new IpamGarbageCollector(registry, ipam, Duration.ofMinutes(5)).sweep();

        assertThat(report.blocksDeleted()).containsExactly("gone/10.20.0.0/26");
        assertThat(ipam.blocks("gone")).isEmpty();
        assertThat(ipam.blocks("blue")).extracting(AllocationBlock::affinity).contains("node-1", "node-7");
        // Agents route by Block objects: the deleted network's goes with its block, the others stay.
        assertThat(registry.<io.drover.model.ipam.Block>list(ResourceKind.BLOCK, null, null).items())
                .extracting(b -> b.spec().network() + " " + b.spec().node())
                .doesNotContain("gone node-1").contains("blue node-1", "blue node-7");
    }

    @Test
    void sweepsOnStartAndPeriodically() {
        ipam.allocate("blue", "node-1", HandleId.forPod("ghost-1", "eth0"));
        try (IpamGarbageCollector gc = new IpamGarbageCollector(registry, ipam, Duration.ofMillis(100))) {
            gc.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> ipam.handles().isEmpty());
            ipam.allocate("blue", "node-1", HandleId.forPod("ghost-2", "eth0"));
            await().atMost(Duration.ofSeconds(5)).until(() -> ipam.handles().isEmpty());
        }
    }
}
