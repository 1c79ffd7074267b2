package io.drover.controllers.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.store.KeyValueStore;
import io.drover.store.etcd.EtcdKeyValueStore;
import io.drover.store.etcd.EtcdStoreOptions;
import io.drover.store.etcd.testing.EtcdCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IPAM on etcd under contention, as three nodes' allocations meet in a real cluster: three services, each with an
 * etcd client of its own (as three servers or agents on three machines), allocate 2,000 addresses each at the same
 * time, several threads each. No address is handed out twice, every handle holds exactly its address, and each
 * claimed block belongs to exactly one node.
 */
class EtcdIpamConcurrencyTest {

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
        return EtcdKeyValueStore.open(EtcdStoreOptions.parse(etcd.endpoints()).withNamespace("/ipam-concurrency/")
                .withRequestTimeout(Duration.ofSeconds(10)));
    }

    @Test
    void threeNodesTimesTwoThousandAllocationsAtOnceNeverShareAnAddress() throws Exception {
        Network big = Network.of(ObjectMeta.named("big"), NetworkSpec.of("10.0.0.0/16"));
        int nodes = 3;
        int perNode = 2_000;
        int threadsPerNode = 4;
        List<KeyValueStore> clients = new ArrayList<>();
        List<IpamService> services = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            KeyValueStore store = client();
            clients.add(store);
            services.add(new IpamService(store, name -> Optional.of(big).filter(b -> b.name().equals(name))));
        }
        ExecutorService pool = Executors.newFixedThreadPool(nodes * threadsPerNode);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int n = 0; n < nodes; n++) {
                IpamService ipam = services.get(n);
                String node = "node-" + (n + 1);
                for (int t = 0; t < threadsPerNode; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        List<String> ips = new ArrayList<>();
                        for (int i = thread; i < perNode; i += threadsPerNode) {
                            HandleId handle = HandleId.forPod(node + "-pod-" + i, "eth0");
                            ips.add(ipam.allocate("big", node, handle).getFirst().ip());
                        }
                        return ips;
                    }));
                }
            }
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : results) {
                all.addAll(f.get(120, TimeUnit.SECONDS));
            }
            assertThat(all).hasSize(nodes * perNode).doesNotHaveDuplicates();
            assertThat(all).doesNotContain("10.0.0.0", "10.0.0.1", "10.0.255.255");

            // What etcd holds agrees: one handle per allocation, each address in exactly one block's allocations.
            IpamService fresh = new IpamService(clients.getFirst(), name -> Optional.of(big));
            assertThat(fresh.handles("big")).hasSize(nodes * perNode);
            Set<String> blockCidrs = new HashSet<>();
            for (AllocationBlock block : fresh.blocks("big")) {
                assertThat(blockCidrs.add(block.cidr())).as("block %s claimed once", block.cidr()).isTrue();
                assertThat(block.affinity()).isIn("node-1", "node-2", "node-3");
            }
            int allocated = fresh.blocks("big").stream().mapToInt(b -> b.allocations().size()).sum();
            assertThat(allocated).isEqualTo(nodes * perNode);
        } finally {
            pool.shutdownNow();
            clients.forEach(KeyValueStore::close);
        }
    }
}
