package io.drover.controllers.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.api.registry.PodAddressing;
import io.drover.api.registry.StoreResourceRegistry;
import io.drover.controllers.ipam.AllocationBlock;
import io.drover.controllers.ipam.HandleId;
import io.drover.controllers.ipam.HandleRecord;
import io.drover.controllers.ipam.IpamPodAddressing;
import io.drover.controllers.ipam.IpamService;
import io.drover.controllers.ipam.NetworkSource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import io.drover.store.KeyValueStore;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpamGarbageCollectorTest {

    @TempDir
    Path dir;

    private static final Duration GRACE = IpamGarbageCollector.DEFAULT_GRACE;

    private final MovingClock clock = new MovingClock(Instant.parse("2026-03-04T05:06:07Z"));
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

    /** A collector on the test's clock, with the default grace. */
    private IpamGarbageCollector collector() {
        return new IpamGarbageCollector(registry, ipam, Duration.ofMinutes(5), GRACE, clock);
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

        IpamGarbageCollector gc = collector();
        IpamGarbageCollector.Report first = gc.sweep();
        assertThat(first.freed()).as("nothing is old enough to judge on the first sweep").isEmpty();
        assertThat(first.spared()).isEqualTo(2);

        clock.advance(GRACE.plusSeconds(1));
        IpamGarbageCollector.Report report = gc.sweep();

        assertThat(report.handlesSeen()).isEqualTo(4);
        assertThat(report.spared()).isZero();
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

        IpamGarbageCollector.Report report = collector().sweep();

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
        try (IpamGarbageCollector gc = new IpamGarbageCollector(registry, ipam, Duration.ofMillis(100), Duration.ofMillis(200),
                Clock.systemUTC())) {
            gc.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> ipam.handles().isEmpty());
            ipam.allocate("blue", "node-1", HandleId.forPod("ghost-2", "eth0"));
            await().atMost(Duration.ofSeconds(5)).until(() -> ipam.handles().isEmpty());
        }
    }

    // ---- handles of pods being created: the registry allocates before it writes the pod ----

    @Test
    void aHandleOfAPodBeingCreatedIsNotFreedByASweepBetweenItsAllocationAndItsWrite() {
        IpamGarbageCollector gc = collector();
        gc.sweep();
        clock.advance(GRACE.plusSeconds(1)); // the collector has listings old enough to judge old handles by
        IpamPodAddressing real = new IpamPodAddressing(ipam);
        List<IpamGarbageCollector.Report> between = new ArrayList<>();
        StoreResourceRegistry api = registry.withPodAddressing(new PodAddressing() {
            @Override
            public Optional<Addressed> allocate(Pod pod) {
                Optional<Addressed> out = real.allocate(pod);
                between.add(gc.sweep()); // the pod's handle exists, the pod does not yet
                return out;
            }

            @Override
            public void release(Pod pod) {
                real.release(pod);
            }
        });

        Pod pod = api.create(Pod.of(ObjectMeta.named("default", "web"), PodSpec.on("node-1", "blue")));

        assertThat(between).singleElement().satisfies(r -> {
            assertThat(r.freed()).as("the handle of the pod being created").isEmpty();
            assertThat(r.spared()).isEqualTo(1);
        });
        HandleRecord held = ipam.handle("blue", HandleId.forPod(pod.metadata().uid(), "eth0")).orElseThrow();
        assertThat(pod.status().addresses()).extracting(PodStatus.PodAddress::ip)
                .containsExactlyElementsOf(held.addresses().stream().map(HandleRecord.Address::ip).toList());
        // Once the pod exists, its handle is never garbage, however old.
        clock.advance(GRACE.multipliedBy(3));
        assertThat(gc.sweep().freed()).isEmpty();
        clock.advance(GRACE.multipliedBy(3));
        assertThat(gc.sweep().freed()).isEmpty();
        assertThat(ipam.handle("blue", HandleId.forPod(pod.metadata().uid(), "eth0"))).contains(held);
    }

    @Test
    void theHandleOfACreateThatNeverWroteItsPodIsFreedOnceOlderThanTheGrace() {
        // A server that died between the allocation and the write.
        Pod never = Pod.of(new ObjectMeta("lost", "default", Map.of(), Map.of(), UUID.randomUUID().toString(), null, null),
                PodSpec.on("node-1", "blue"));
        new IpamPodAddressing(ipam).allocate(never);
        IpamGarbageCollector gc = collector();

        assertThat(gc.sweep().spared()).isEqualTo(1);
        clock.advance(GRACE.minusSeconds(1));
        assertThat(gc.sweep().freed()).as("not old enough yet").isEmpty();
        clock.advance(Duration.ofSeconds(2));
        assertThat(gc.sweep().freed()).extracting(HandleRecord::owner).containsExactly(never.metadata().uid());
        assertThat(ipam.handles()).isEmpty();
    }

    @Test
    void aHandleWrittenAfterAnOldListingIsJudgedOnlyByALaterOne() {
        IpamGarbageCollector gc = collector();
        gc.sweep();
        clock.advance(GRACE.plusSeconds(1));
        ipam.allocate("blue", "node-1", HandleId.forPod("ghost", "eth0"));

        // The only listing old enough was read before the handle was written: it cannot tell.
        assertThat(gc.sweep().spared()).isEqualTo(1);
        clock.advance(GRACE.plusSeconds(1));
        assertThat(gc.sweep().freed()).extracting(HandleRecord::owner).containsExactly("ghost");
    }

    @Test
    void withoutGraceEveryHandleIsJudgedAtOnce() {
        ipam.allocate("blue", "node-1", HandleId.forPod("ghost", "eth0"));
        IpamGarbageCollector gc = new IpamGarbageCollector(registry, ipam, Duration.ofMinutes(5), Duration.ZERO, clock);
        assertThat(gc.sweep().freed()).extracting(HandleRecord::owner).containsExactly("ghost");
    }

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        private volatile Instant now;

        MovingClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
