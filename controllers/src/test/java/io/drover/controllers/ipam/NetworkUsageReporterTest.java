package io.drover.controllers.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.api.registry.StoreResourceRegistry;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.network.NetworkStatus;
import io.drover.store.KeyValueStore;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkUsageReporterTest {

    @TempDir
    Path dir;

    @Test
    void writesEachNetworksUsageOnlyWhenItChanged() {
        try (KeyValueStore store = SqliteKeyValueStore.open(dir)) {
            StoreResourceRegistry registry = new StoreResourceRegistry(store);
            registry.ensureDefaults();
            registry.create(Network.of(ObjectMeta.named("blue"), NetworkSpec.of("10.10.0.0/24", "fd00:10::/64")));
            registry.create(Network.of(ObjectMeta.named("idle"), NetworkSpec.of("10.20.0.0/24")));
            IpamService ipam = new IpamService(store, NetworkSource.of(registry));
            for (int i = 0; i < 3; i++) {
                ipam.allocate("blue", "node-" + i, HandleId.forPod("p" + i, "eth0"));
            }
            try (NetworkUsageReporter reporter = new NetworkUsageReporter(registry, ipam, Duration.ofMinutes(1))) {
                assertThat(reporter.report()).isEqualTo(2);
                assertThat(registry.get(Network.class, null, "blue").orElseThrow().status()).isEqualTo(new NetworkStatus(6L, 6L));
                assertThat(registry.get(Network.class, null, "idle").orElseThrow().status()).isEqualTo(new NetworkStatus(0L, 0L));
                assertThat(reporter.report()).isZero();
                ipam.release("blue", HandleId.forPod("p0", "eth0"));
                assertThat(reporter.report()).isEqualTo(1);
                assertThat(registry.get(Network.class, null, "blue").orElseThrow().status()).isEqualTo(new NetworkStatus(4L, 6L));
            }
        }
    }
}
