package io.drover.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.api.registry.StoreResourceRegistry;
import io.drover.controllers.ipam.IpamController;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.network.NetworkStatus;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import io.drover.store.KeyValueStore;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControllersTest {

    @TempDir
    Path dir;

    @Test
    void addressesPodsReportsUsageAndFreesAfterDeletion() {
        try (KeyValueStore store = SqliteKeyValueStore.open(dir)) {
            StoreResourceRegistry registry = new StoreResourceRegistry(store);
            registry.ensureDefaults();
            registry.create(Network.of(ObjectMeta.named("blue"), NetworkSpec.of("10.10.0.0/24")));
            Controllers.Options options = new Controllers.Options(new IpamController.Options(2, Duration.ofSeconds(30)),
                    Duration.ofMillis(200), Duration.ofMillis(100));
            try (Controllers controllers = new Controllers(store, registry, options)) {
                controllers.start();
                registry.create(Pod.of(ObjectMeta.named("default", "web"), PodSpec.on("node-1", "blue")));
                await().atMost(Duration.ofSeconds(10)).until(() -> registry.get(Pod.class, "default", "web")
                        .map(Pod::status).map(PodStatus::phase).orElse(""), PodStatus.ALLOCATED::equals);
                await().atMost(Duration.ofSeconds(10)).until(() -> Objects.equals(
                        registry.get(Network.class, null, "blue").orElseThrow().status(), new NetworkStatus(1L, 1L)));
                registry.delete(ResourceKind.POD, "default", "web", null);
                await().atMost(Duration.ofSeconds(10)).until(() -> controllers.ipam().handles().isEmpty());
                assertThat(controllers.garbageCollector().sweep().freed()).isEmpty();
            }
        }
    }
}
