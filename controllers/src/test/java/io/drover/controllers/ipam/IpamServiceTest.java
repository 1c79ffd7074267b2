package io.drover.controllers.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.store.KeyValue;
import io.drover.store.KeyValueStore;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpamServiceTest {

    @TempDir
    Path dir;

    private final Map<String, Network> networks = new ConcurrentHashMap<>();
    private final List<KeyValueStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(KeyValueStore::close);
    }

    private KeyValueStore openStore() {
        KeyValueStore store = SqliteKeyValueStore.open(dir);
        opened.add(store);
        return store;
    }

    private IpamService service(KeyValueStore store) {
        return new IpamService(store, name -> Optional.ofNullable(networks.get(name)));
    }

    private void network(String name, String... subnets) {
        networks.put(name, Network.of(ObjectMeta.named(name), NetworkSpec.of(subnets)));
    }

    private static HandleId pod(String uid) {
        return HandleId.forPod(uid, "eth0");
    }

    /** Every address held in the network's blocks, checked against its handles: each handle's addresses are its. */
    private static Map<String, String> assertConsistent(IpamService ipam, String network) {
        Map<String, String> byIp = new HashMap<>();
        for (AllocationBlock b : ipam.blocks(network)) {
            Set<Integer> free = new HashSet<>(b.unallocated());
            assertThat(free).as("free ordinals of %s", b.cidr()).hasSameSizeAs(b.unallocated());
            assertThat(Collections.disjoint(free, b.reserved())).as("free and reserved ordinals of %s", b.cidr()).isTrue();
            assertThat(Collections.disjoint(free, b.allocations().keySet())).as("free and taken ordinals of %s", b.cidr()).isTrue();
            assertThat(free.size() + b.reserved().size() + b.allocations().size()).isEqualTo(1 << (b.prefix().family().bits() - b.prefix().prefixLength()));
            b.allocations().forEach((ordinal, handle) -> {
                String previous = byIp.put(io.drover.model.net.IpAddresses.format(b.address(ordinal)), handle);
                assertThat(previous).isNull();
            });
        }
        Map<String, String> fromHandles = new HashMap<>();
        for (HandleRecord h : ipam.handles(network)) {
            for (HandleRecord.Address a : h.addresses()) {
                assertThat(fromHandles.put(a.ip(), h.handle())).as("address %s held twice", a.ip()).isNull();
            }
        }
        assertThat(fromHandles).isEqualTo(byIp);
        return byIp;
    }

    @Test
    void eightThreadsTimesTwoThousandAllocationsNeverShareAnAddress() throws Exception {
        network("big", "10.0.0.0/16");
        KeyValueStore store = openStore();
        IpamService ipam = service(store);
        int threads = 8;
        int perThread = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<String>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                List<String> ips = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    String node = "node-" + ((thread + i) % 4);
                    ips.add(ipam.allocate("big", node, pod("t" + thread + "-" + i)).getFirst().ip());
                }
                return ips;
            }));
        }
        List<String> all = new ArrayList<>();
        for (Future<List<String>> f : results) {
            all.addAll(f.get());
        }
        pool.shutdown();
        assertThat(all).hasSize(threads * perThread).doesNotHaveDuplicates();
        assertThat(all).doesNotContain("10.0.0.0", "10.0.0.1", "10.0.255.255");
        Map<String, String> held = assertConsistent(ipam, "big");
        assertThat(held).hasSize(threads * perThread);
        assertThat(ipam.handles("big")).hasSize(threads * perThread);
        // Blocks were claimed per node, not one per allocation: /26 blocks hold 64.
        assertThat(ipam.blocks("big")).hasSizeLessThan(threads * perThread / 50);
    }

    @Test
    void everyClaimedBlockIsAnObjectNamingItsNodeForAgentsToRouteBy() throws Exception {
        network("blue", "10.10.0.0/24", "fd00:10::/64");
        KeyValueStore store = openStore();
        IpamService ipam = service(store);
        ipam.allocate("blue", "node-1", pod("a"));
        ipam.allocate("blue", "node-2", pod("b"));
        ipam.allocate("blue", "node-1", pod("c")); // from node-1's block: no new claim
        var registry = new io.drover.api.registry.StoreResourceRegistry(store);
        List<io.drover.model.ipam.Block> blocks = registry.<io.drover.model.ipam.Block>list(io.drover.model.ResourceKind.BLOCK, null, null).items();
        assertThat(blocks).extracting(b -> b.spec().node() + " " + b.spec().cidr()).containsExactlyInAnyOrder(
                "node-1 10.10.0.0/26", "node-1 fd00:10::/122", "node-2 10.10.0.64/26", "node-2 fd00:10::40/122");
        assertThat(blocks).allSatisfy(b -> {
            assertThat(b.spec().network()).isEqualTo("blue");
            assertThat(b.name()).isEqualTo(io.drover.model.ipam.Block.nameOf("blue", b.spec().cidr()));
            assertThat(b.metadata().uid()).isNotBlank();
            assertThat(b.metadata().resourceVersion()).isNotBlank();
        });
        assertThat(blocks).extracting(io.drover.model.ipam.Block::name).contains("blue-10-10-0-64-26", "blue-fd00-10--40-122");
        // Users cannot forge or remove one: it would route pods to the wrong node.
        assertThatThrownBy(() -> registry.delete(io.drover.model.ResourceKind.BLOCK, null, "blue-10-10-0-64-26", null))
                .hasMessageContaining("managed by IPAM");
    }

    @Test
    void aRetriedRequestGetsTheSameAddressesAndWritesNothing() {
        network("blue", "10.10.0.0/24", "fd00:10::/64");
        KeyValueStore store = openStore();
        IpamService ipam = service(store);
        List<AllocatedAddress> first = ipam.allocate("blue", "node-1", pod("u1"));
        assertThat(first).extracting(AllocatedAddress::ip).containsExactly("10.10.0.2", "fd00:10::2");
        assertThat(first).extracting(AllocatedAddress::prefix).containsExactly(24, 64);
        assertThat(first).extracting(AllocatedAddress::gateway).containsExactly("10.10.0.1", "fd00:10::1");
        long revision = store.revision();
        assertThat(ipam.allocate("blue", "node-1", pod("u1"))).isEqualTo(first);
        // Even from another node, and from a fresh instance without a cache: the handle decides.
        assertThat(service(store).allocate("blue", "node-2", pod("u1"))).isEqualTo(first);
        assertThat(store.revision()).isEqualTo(revision);
        assertThat(ipam.allocate("blue", "node-1", pod("u2"))).extracting(AllocatedAddress::ip).containsExactly("10.10.0.3", "fd00:10::3");
    }

    @Test
    void concurrentRetriesOfOneHandleAllGetTheSameAddress() throws Exception {
        network("blue", "10.10.0.0/24");
        KeyValueStore store = openStore();
        IpamService a = service(store);
        IpamService b = service(store);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<List<AllocatedAddress>>> futures = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            IpamService s = i % 2 == 0 ? a : b;
            futures.add(pool.submit(() -> s.allocate("blue", "node-1", pod("same"))));
        }
        Set<List<AllocatedAddress>> answers = new HashSet<>();
        for (var f : futures) {
            answers.add(f.get());
        }
        pool.shutdown();
        assertThat(answers).hasSize(1);
        assertThat(a.handles("blue")).hasSize(1);
        assertThat(assertConsistent(a, "blue")).hasSize(1);
    }

    @Test
    void twoServersRacingForTheSameBlocksNeverHandOutAnAddressTwice() throws Exception {
        network("blue", "10.20.0.0/22");
        KeyValueStore store = openStore();
        // Two services on one store: two servers, each with its own cache and lanes.
        IpamService one = service(store);
        IpamService two = service(store);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<String>>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            IpamService s = t % 2 == 0 ? one : two;
            int thread = t;
            futures.add(pool.submit(() -> {
                List<String> ips = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    ips.add(s.allocate("blue", "node-1", pod("s" + thread + "-" + i)).getFirst().ip());
                }
                return ips;
            }));
        }
        List<String> all = new ArrayList<>();
        for (var f : futures) {
            all.addAll(f.get());
        }
        pool.shutdown();
        assertThat(all).hasSize(800).doesNotHaveDuplicates();
        assertThat(assertConsistent(one, "blue")).hasSize(800);
        // The same node's blocks were filled, not one block per server: 800 / 64 -> 13 blocks, plus slack.
        assertThat(one.blocks("blue")).allSatisfy(b -> assertThat(b.affinity()).isEqualTo("node-1")).hasSizeLessThanOrEqualTo(14);
    }

    @Test
    void aServerWithAStaleViewOfTheBlocksLearnsFromItsFailedCompareAndSwap() {
        network("blue", "10.25.0.0/24");
        KeyValueStore store = openStore();
        IpamService stale = service(store);
        IpamService other = service(store);
        stale.allocate("blue", "node-1", pod("s0")); // stale now caches node-1's first block
        for (int i = 0; i < 100; i++) {
            other.allocate("blue", "node-1", pod("o" + i)); // fills that block and claims the next
        }
        for (int i = 0; i < 5; i++) {
            other.release("blue", pod("o" + (i * 7)));
        }
        List<String> fromStale = new ArrayList<>();
        for (int i = 1; i < 60; i++) {
            fromStale.add(stale.allocate("blue", "node-" + (i % 2 + 1), pod("s" + i)).getFirst().ip());
        }
        assertThat(fromStale).doesNotHaveDuplicates();
        assertThat(assertConsistent(stale, "blue")).hasSize(1 + 100 - 5 + 59);
    }

    @Test
    void aNodeBorrowsFromAnotherNodesBlockWhenNoBlockIsLeft() {
        network("blue", "10.30.0.0/25"); // two /26 blocks: 62 + 63 usable
        IpamService ipam = service(openStore());
        for (int i = 0; i < 62; i++) {
            ipam.allocate("blue", "node-1", pod("a" + i));
        }
        assertThat(ipam.allocate("blue", "node-2", pod("b0")).getFirst().ip()).isEqualTo("10.30.0.64");
        // node-1's block is full and none is unclaimed: it borrows from node-2's.
        assertThat(ipam.allocate("blue", "node-1", pod("a62")).getFirst().ip()).isEqualTo("10.30.0.65");
        assertThat(ipam.blocks("blue")).extracting(AllocationBlock::affinity).containsExactly("node-1", "node-2");
        assertConsistent(ipam, "blue");
    }

    @Test
    void anExhaustedNetworkSaysSoAndWritesNothing() {
        network("blue", "10.10.0.0/24");
        KeyValueStore store = openStore();
        IpamService ipam = service(store);
        for (int i = 0; i < 253; i++) {
            ipam.allocate("blue", "node-" + (i % 3), pod("p" + i));
        }
        long revision = store.revision();
        List<KeyValue> before = store.list("/drover/ipam/");
        assertThatThrownBy(() -> ipam.allocate("blue", "node-1", pod("one-too-many")))
                .isInstanceOf(IpamException.class)
                .hasMessage("network blue (10.10.0.0/24) has no free IPv4 address: 253 of 253 in use; widen the subnet or delete pods")
                .extracting(e -> ((IpamException) e).reason()).isEqualTo(IpamException.Reason.EXHAUSTED);
        assertThat(store.revision()).isEqualTo(revision);
        assertThat(store.list("/drover/ipam/")).usingRecursiveFieldByFieldElementComparator().isEqualTo(before);
        assertThat(ipam.handle("blue", pod("one-too-many"))).isEmpty();
    }

    @Test
    void aRetriedRequestInAFullNetworkGetsWhatItHoldsNotARefusal() {
        // The IPAM controller asks again for every pod it sees (one addressed in its create, or after a restart):
        // the last address of a network must not be taken back because there is no room for another.
        network("blue", "10.10.0.0/24", "fd00::/126"); // one usable IPv6 address
        KeyValueStore store = openStore();
        List<AllocatedAddress> held = service(store).allocate("blue", "node-1", pod("last"));
        long revision = store.revision();

        for (IpamService fresh : List.of(service(store), service(store))) {
            assertThatThrownBy(() -> fresh.allocate("blue", "node-1", pod("another")))
                    .hasMessageContaining("has no free IPv6 address: 1 of 1 in use");
            assertThat(fresh.allocate("blue", "node-1", pod("last"))).isEqualTo(held);
            assertThat(fresh.allocate("blue", "node-2", pod("last"))).isEqualTo(held);
        }
        assertThat(store.revision()).isEqualTo(revision);
        networks.remove("blue");
        assertThat(service(store).allocate("blue", "node-1", pod("last"))).as("whatever the network's state").isEqualTo(held);
    }

    @Test
    void aDualStackRequestWithOneFamilyExhaustedGetsNeitherAddress() {
        network("blue", "10.10.0.0/24", "fd00::/126"); // one usable IPv6 address
        KeyValueStore store = openStore();
        IpamService ipam = service(store);
        ipam.allocate("blue", "node-1", pod("first"));
        long revision = store.revision();
        assertThatThrownBy(() -> ipam.allocate("blue", "node-1", pod("second")))
                .hasMessageContaining("has no free IPv6 address: 1 of 1 in use");
        assertThat(store.revision()).isEqualTo(revision);
        assertThat(assertConsistent(ipam, "blue")).containsOnlyKeys("10.10.0.2", "fd00::2");
    }

    @Test
    void unknownNetworkIsAClearErrorAndNothingIsWritten() {
        KeyValueStore store = openStore();
        IpamService ipam = service(store);
        long revision = store.revision();
        assertThatThrownBy(() -> ipam.allocate("nope", "node-1", pod("x")))
                .isInstanceOf(IpamException.class)
                .hasMessage("network nope does not exist: create it, or name an existing network");
        assertThat(store.revision()).isEqualTo(revision);
    }

    @Test
    void releasedAddressesAreReusedAndReleaseIsIdempotent() {
        network("small", "10.40.0.0/29"); // .2 to .6 usable
        IpamService ipam = service(openStore());
        List<String> ips = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ips.add(ipam.allocate("small", "node-1", pod("p" + i)).getFirst().ip());
        }
        assertThat(ips).containsExactly("10.40.0.2", "10.40.0.3", "10.40.0.4", "10.40.0.5", "10.40.0.6");
        assertThatThrownBy(() -> ipam.allocate("small", "node-1", pod("p5"))).isInstanceOf(IpamException.class);
        assertThat(ipam.release("small", pod("p1"))).isTrue();
        assertThat(ipam.release("small", pod("p1"))).isFalse();
        assertThat(ipam.handle("small", pod("p1"))).isEmpty();
        assertThat(ipam.allocate("small", "node-2", pod("p5")).getFirst().ip()).isEqualTo("10.40.0.3");
        assertConsistent(ipam, "small");
    }

    @Test
    void concurrentAllocationsAndReleasesStayConsistent() throws Exception {
        network("churn", "10.50.0.0/24");
        IpamService ipam = service(openStore());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 150; i++) {
                    HandleId h = pod("c" + thread + "-" + i);
                    ipam.allocate("churn", "node-" + (i % 2), h);
                    if (i % 3 != 0) {
                        assertThat(ipam.release("churn", h)).isTrue();
                    }
                }
            }));
        }
        for (var f : futures) {
            f.get();
        }
        pool.shutdown();
        assertThat(assertConsistent(ipam, "churn")).hasSize(4 * 50);
    }

    @Test
    void afterARestartAllocationsAreKeptAndNeverHandedOutAgain() {
        network("blue", "10.60.0.0/26");
        Set<String> before = new HashSet<>();
        KeyValueStore store = openStore();
        IpamService ipam = service(store);
        for (int i = 0; i < 30; i++) {
            before.add(ipam.allocate("blue", "node-1", pod("p" + i)).getFirst().ip());
        }
        ipam.release("blue", pod("p0"));
        before.remove("10.60.0.2");
        store.close();
        opened.remove(store);

        KeyValueStore reopened = openStore();
        IpamService again = service(reopened);
        assertThat(again.allocate("blue", "node-1", pod("p7")).getFirst().ip()).isEqualTo("10.60.0.9");
        List<String> after = new ArrayList<>();
        for (int i = 30; i < 62; i++) {
            after.add(again.allocate("blue", "node-" + (i % 2), pod("p" + i)).getFirst().ip());
        }
        assertThat(after).doesNotHaveDuplicates().doesNotContainAnyElementsOf(before);
        // The released .2 comes back last: 61 usable, 29 kept, 32 new.
        assertThat(after.getLast()).isEqualTo("10.60.0.2");
        assertThat(assertConsistent(again, "blue")).hasSize(61);
        assertThatThrownBy(() -> again.allocate("blue", "node-1", pod("p99"))).hasMessageContaining("61 of 61 in use");
    }

    @Test
    void handlesRecordTheirOwnerForTheCollectors() {
        network("blue", "10.10.0.0/24");
        IpamService ipam = service(openStore());
        ipam.allocate("blue", "node-1", HandleId.forPod("uid-1", "eth0"));
        ipam.allocate("blue", "node-2", HandleId.forContainer("abc123", "eth1"));
        assertThat(ipam.handles()).extracting(HandleRecord::ownerType, HandleRecord::owner, HandleRecord::interfaceName, HandleRecord::node)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(HandleId.OwnerType.CONTAINER, "abc123", "eth1", "node-2"),
                        org.assertj.core.groups.Tuple.tuple(HandleId.OwnerType.POD, "uid-1", "eth0", "node-1"));
        assertThat(ipam.handles().stream().map(HandleRecord::handle).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("pod:uid-1:eth0", "container:abc123:eth1");
    }
}
