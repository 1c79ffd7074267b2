package io.drover.controllers.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.api.registry.StoreResourceRegistry;
import io.drover.controllers.gc.IpamGarbageCollector;
import io.drover.controllers.hostports.HostPortAllocator;
import io.drover.controllers.hostports.HostPortRange;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.store.KeyValueStore;
import io.drover.store.etcd.EtcdKeyValueStore;
import io.drover.store.etcd.EtcdStoreOptions;
import io.drover.store.etcd.testing.EtcdCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Address churn on etcd with crashes: 1,000 pods are created and deleted again by several writers while the IPAM
 * controller is killed at random moments (its etcd client closed under it, mid-allocation) and started afresh, as a
 * leader dies and another takes over. Afterwards one garbage collection leaves no address behind: no handle and no
 * allocation in any block, though every pod is gone.
 */
class EtcdIpamChurnTest {

    private static EtcdCluster etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdCluster.start(1);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    private static KeyValueStore client() {
        return EtcdKeyValueStore.open(EtcdStoreOptions.parse(etcd.endpoints()).withNamespace("/ipam-churn/")
                .withRequestTimeout(Duration.ofSeconds(5)));
    }

    /** A controller with an etcd client of its own, so that killing it cuts its connection mid-write. */
    private record Running(KeyValueStore store, IpamController controller) {
        static Running start() {
            KeyValueStore store = client();
            StoreResourceRegistry registry = new StoreResourceRegistry(store);
            IpamController controller = new IpamController(registry, new IpamService(store, NetworkSource.of(registry)),
                    new HostPortAllocator(store, HostPortRange.DEFAULT), new IpamController.Options(4, Duration.ofSeconds(5)));
            controller.start();
            return new Running(store, controller);
        }

        void kill() {
            store.close(); // first: in-flight allocations fail half-way, as in a crash
            controller.close();
        }
    }

    @Test
    void aThousandPodsComeAndGoWhileTheControllerIsKilledAndNoAddressLeaks() throws Exception {
        KeyValueStore apiStore = client();
        StoreResourceRegistry registry = new StoreResourceRegistry(apiStore);
        registry.ensureDefaults();
        registry.create(Network.of(ObjectMeta.named("churn"), NetworkSpec.of("10.30.0.0/16")));
        Running[] controller = {Running.start()};
        int pods = 1_000;
        int writers = 4;
        AtomicInteger created = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        Random random = new Random(42);
        try {
            List<Future<?>> work = new java.util.ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                work.add(pool.submit(() -> {
                    for (int i = writer; i < pods; i += writers) {
                        String name = "p-" + i;
                        registry.create(Pod.of(ObjectMeta.named("default", name),
                                PodSpec.on("node-" + (i % 3 + 1), "churn")));
                        created.incrementAndGet();
                        if (i % 5 == 0) {
                            // Some live until addressed, most are deleted at once, mid-allocation.
                            await().atMost(Duration.ofSeconds(30)).until(() -> registry.get(Pod.class, "default", name)
                                    .map(p -> p.status() != null && !p.status().addresses().isEmpty()).orElse(true));
                        }
                        registry.delete(ResourceKind.POD, "default", name, null);
                    }
                    return null;
                }));
            }
            int kills = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (work.stream().anyMatch(f -> !f.isDone()) && System.nanoTime() < deadline) {
                Thread.sleep(100 + random.nextInt(400));
                controller[0].kill();
                kills++;
                controller[0] = Running.start();
            }
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertThat(created.get()).isEqualTo(pods);
            assertThat(kills).as("controller kills").isGreaterThan(3);

            controller[0].kill();
            IpamService ipam = new IpamService(apiStore, NetworkSource.of(registry));
            // No create is on its way any more: every handle can be judged at once.
            new IpamGarbageCollector(registry, ipam, Duration.ofMinutes(5), Duration.ZERO, Clock.systemUTC()).sweep();
            assertThat(registry.list(ResourceKind.POD, "default", null).items()).isEmpty();
            assertThat(ipam.handles("churn")).as("handles left after GC").isEmpty();
            assertThat(ipam.blocks("churn")).allSatisfy(b -> assertThat(b.allocations()).as("block " + b.cidr()).isEmpty());
        } finally {
            pool.shutdownNow();
            try {
                controller[0].kill();
            } catch (RuntimeException e) {
                // already killed
            }
            apiStore.close();
        }
    }
}
