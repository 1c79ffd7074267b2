package io.drover.controllers.hostports;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.controllers.hostports.AutomaticPorts.Wanted;
import io.drover.controllers.hostports.HostPortAllocator.Outcome;
import io.drover.controllers.hostports.HostPortAllocator.Owner;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus.PublishedPort;
import io.drover.store.KeyValueStore;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostPortAllocatorTest {

    private static final Wanted HTTP = new Wanted("spec.ports[0]", 80, "TCP", null);
    private static final Wanted DNS = new Wanted("spec.ports[1]", 53, "UDP", null);
    private static final Wanted ADMIN = new Wanted("spec.ports[2]", 9000, "TCP", "10.0.0.1");

    @TempDir
    Path dir;

    private KeyValueStore store;
    private HostPortAllocator allocator;

    @BeforeEach
    void setUp() {
        store = SqliteKeyValueStore.open(dir);
        allocator = new HostPortAllocator(store, HostPortRange.DEFAULT);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private static Owner owner(String name, String node) {
        return new Owner("uid-" + name, "shop/" + name, node);
    }

    private Outcome assign(String name, String node, Wanted... wanted) {
        return allocator.assign(owner(name, node), List.of(wanted), PortClaims.NONE);
    }

    @Test
    void eachPortGetsTheNextFreeHostPortAndTcpAndUdpAreSeparateSpaces() {
        Outcome web = assign("web", "node-1", HTTP, DNS, ADMIN);
        assertThat(web.problem()).isNull();
        assertThat(web.published()).containsExactly(new PublishedPort(80, "TCP", 32768, null),
                new PublishedPort(53, "UDP", 32768, null), new PublishedPort(9000, "TCP", 32769, "10.0.0.1"));
        assertThat(assign("api", "node-1", HTTP, DNS).published()).containsExactly(
                new PublishedPort(80, "TCP", 32770, null), new PublishedPort(53, "UDP", 32769, null));
        assertThat(store.get("/drover/hostports/node-1/tcp/32768")).isPresent();
        assertThat(allocator.reservations("node-1")).extracting(s -> s.reservation().toString()).containsExactlyInAnyOrder(
                "32768/TCP -> shop/web:80", "32769/TCP -> shop/web:9000", "32770/TCP -> shop/api:80",
                "32768/UDP -> shop/web:53", "32769/UDP -> shop/api:53");
    }

    @Test
    void eachNodeHasItsOwnPorts() {
        assertThat(assign("a", "node-1", HTTP).published()).extracting(PublishedPort::hostPort).containsExactly(32768);
        assertThat(assign("b", "node-2", HTTP).published()).extracting(PublishedPort::hostPort).containsExactly(32768);
        assertThat(allocator.reservations()).hasSize(2);
    }

    @Test
    void portsDeclaredAsHostPortOrServedByHostModePodsOnTheNodeAreNeverChosen() {
        Pod me = pod("me", "node-1", "2026-01-02T00:00:00Z", false, new PodPort(null, 80, null, null, null),
                new PodPort(null, 81, null, 32769, null));
        Pod explicit = pod("explicit", "node-1", "2026-01-01T00:00:00Z", false, new PodPort(null, 80, null, 32768, null));
        Pod host = pod("host", "node-1", "2026-01-03T00:00:00Z", true, new PodPort(null, 32770, null, null, null),
                new PodPort(null, 32771, "UDP", null, null));
        Pod elsewhere = pod("elsewhere", "node-2", "2026-01-01T00:00:00Z", false, new PodPort(null, 80, null, 32772, null));
        PortClaims claims = PortClaims.of(me, List.of(me, explicit, host, elsewhere));

        Outcome outcome = allocator.assign(owner("me", "node-1"), List.of(HTTP), claims);

        // 32768: another pod's hostPort; 32769: its own; 32770: a host-mode pod listens there; 32772 is node-2's.
        assertThat(outcome.published()).extracting(PublishedPort::hostPort).containsExactly(32771);
    }

    @Test
    void aPortThatAnOlderPodDeclaresIsGivenUpAndReplacedAYoungerPodsIsKept() {
        assertThat(assign("me", "node-1", HTTP).published()).extracting(PublishedPort::hostPort).containsExactly(32768);
        Pod me = pod("me", "node-1", "2026-01-02T00:00:00Z", false, new PodPort(null, 80, null, null, null));
        Pod younger = pod("younger", "node-1", "2026-01-03T00:00:00Z", false, new PodPort(null, 80, null, 32768, null));
        Outcome kept = allocator.assign(owner("me", "node-1"), List.of(HTTP), PortClaims.of(me, List.of(me, younger)));
        assertThat(kept.published()).extracting(PublishedPort::hostPort).containsExactly(32768);
        assertThat(kept.released()).isEmpty();

        Pod older = pod("older", "node-1", "2026-01-01T00:00:00Z", false, new PodPort(null, 80, null, 32768, null));
        Outcome moved = allocator.assign(owner("me", "node-1"), List.of(HTTP), PortClaims.of(me, List.of(me, older)));
        assertThat(moved.published()).extracting(PublishedPort::hostPort).containsExactly(32769);
        assertThat(moved.released()).extracting(HostPortReservation::hostPort).containsExactly(32768);
        assertThat(store.get("/drover/hostports/node-1/tcp/32768")).isEmpty();
    }

    @Test
    void anExhaustedRangeSaysSoReservesNoneOfTheMissingPortsAndKeepsWhatThePodHas() {
        allocator = new HostPortAllocator(store, new HostPortRange(40000, 40002));
        assertThat(assign("a", "node-1", HTTP).published()).extracting(PublishedPort::hostPort).containsExactly(40000);
        Pod b = pod("b", "node-1", "2026-01-02T00:00:00Z", false);
        Pod c = pod("c", "node-1", "2026-01-01T00:00:00Z", false, new PodPort(null, 80, null, 40001, null));
        assertThat(allocator.assign(owner("b", "node-1"), List.of(HTTP), PortClaims.of(b, List.of(b, c))).published())
                .extracting(PublishedPort::hostPort).containsExactly(40002);

        // b now wants two more; only none is left.
        Outcome full = allocator.assign(owner("b", "node-1"), List.of(HTTP, DNS, ADMIN), PortClaims.of(b, List.of(b, c)));

        assertThat(full.problem()).isEqualTo("no free host port for spec.ports[2] (9000/TCP) on node node-1: all 3 TCP "
                + "ports of the host port range 40000-40002 are taken (2 published automatically, 1 declared as hostPort); "
                + "delete pods that publish ports on node-1, give this port a hostPort, or start the server with a wider "
                + "--host-port-range");
        // It keeps 40002 for port 80; the UDP port, which was free, was not reserved either (all or none).
        assertThat(full.published()).containsExactly(new PublishedPort(80, "TCP", 40002, null));
        assertThat(allocator.reservations("node-1")).hasSize(2);

        allocator.releaseAll("uid-a", "node-1");
        Outcome retried = allocator.assign(owner("b", "node-1"), List.of(HTTP, DNS, ADMIN), PortClaims.of(b, List.of(b, c)));
        assertThat(retried.problem()).isNull();
        assertThat(retried.published()).containsExactly(new PublishedPort(80, "TCP", 40002, null),
                new PublishedPort(53, "UDP", 40000, null), new PublishedPort(9000, "TCP", 40000, "10.0.0.1"));
    }

    @Test
    void aRestartedAllocatorGivesEveryPodItsPortsBackWithoutWriting() {
        Outcome web = assign("web", "node-1", HTTP, DNS);
        Outcome api = assign("api", "node-1", HTTP);
        long revision = store.revision();

        allocator = new HostPortAllocator(store, HostPortRange.DEFAULT);
        assertThat(assign("api", "node-1", HTTP)).isEqualTo(api);
        assertThat(assign("web", "node-1", HTTP, DNS)).isEqualTo(web);
        assertThat(store.revision()).as("nothing written").isEqualTo(revision);
        // A changed hostIP keeps the host port.
        assertThat(assign("web", "node-1", new Wanted("spec.ports[0]", 80, "TCP", "10.0.0.9"), DNS).published())
                .containsExactly(new PublishedPort(80, "TCP", 32768, "10.0.0.9"), new PublishedPort(53, "UDP", 32768, null));
        assertThat(store.revision()).isEqualTo(revision);
    }

    @Test
    void portsNoLongerWantedAreGivenBackAndNotHandedOutAgainAtOnce() {
        assign("web", "node-1", HTTP, ADMIN);
        Outcome fewer = assign("web", "node-1", HTTP);
        assertThat(fewer.released()).extracting(HostPortReservation::hostPort).containsExactly(32769);
        assertThat(fewer.published()).containsExactly(new PublishedPort(80, "TCP", 32768, null));
        // As Docker's allocator: the next port after the last one handed out, not the one just freed.
        assertThat(assign("api", "node-1", HTTP).published()).extracting(PublishedPort::hostPort).containsExactly(32770);

        assertThat(allocator.releaseAll("uid-web", "node-1")).extracting(HostPortReservation::hostPort).containsExactly(32768);
        assertThat(allocator.releaseAll("uid-web", "node-1")).isEmpty();
        assertThat(allocator.reservations()).extracting(s -> s.reservation().pod()).containsExactly("shop/api");
    }

    @Test
    void theCursorWrapsAroundTheRange() {
        allocator = new HostPortAllocator(store, new HostPortRange(40000, 40002));
        assign("a", "node-1", HTTP);
        assign("b", "node-1", HTTP);
        assign("c", "node-1", HTTP);
        allocator.releaseAll("uid-a", "node-1");
        assertThat(assign("d", "node-1", HTTP).published()).extracting(PublishedPort::hostPort).containsExactly(40000);
    }

    @Test
    void twoAllocatorsOnOneStoreNeverHandOutAPortTwice() throws Exception {
        // Two servers' allocators, each with several threads, all asking for ports of the same node at once.
        HostPortAllocator other = new HostPortAllocator(store, HostPortRange.DEFAULT);
        int threads = 8;
        int podsPerThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Integer>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            HostPortAllocator mine = t % 2 == 0 ? allocator : other;
            int thread = t;
            futures.add(pool.submit(() -> {
                go.await();
                List<Integer> got = new ArrayList<>();
                for (int i = 0; i < podsPerThread; i++) {
                    Outcome o = mine.assign(owner("p" + thread + "-" + i, "node-1"), List.of(HTTP, DNS), PortClaims.NONE);
                    assertThat(o.problem()).isNull();
                    o.published().stream().filter(p -> p.protocol().equals("TCP")).forEach(p -> got.add(p.hostPort()));
                }
                return got;
            }));
        }
        go.countDown();
        List<Integer> all = Collections.synchronizedList(new ArrayList<>());
        for (Future<List<Integer>> f : futures) {
            all.addAll(f.get());
        }
        pool.shutdown();

        assertThat(all).hasSize(threads * podsPerThread).doesNotHaveDuplicates();
        List<HostPortAllocator.Stored> stored = allocator.reservations("node-1");
        assertThat(stored).hasSize(2 * threads * podsPerThread);
        assertThat(stored.stream().filter(s -> s.reservation().protocol().equals("TCP")).map(s -> s.reservation().hostPort()))
                .containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void anUnreadableReservationKeepsItsPortTaken() {
        store.put("/drover/hostports/node-1/tcp/32768", "not json".getBytes());
        assertThat(assign("web", "node-1", HTTP).published()).extracting(PublishedPort::hostPort).containsExactly(32769);
        assertThat(allocator.reservations("node-1")).extracting(s -> s.reservation().hostPort()).containsExactlyInAnyOrder(32768, 32769);
    }

    private static Pod pod(String name, String node, String created, boolean hostMode, PodPort... ports) {
        ObjectMeta meta = new ObjectMeta(name, "shop", Map.of(), Map.of(), "uid-" + name, null, created);
        return Pod.of(meta, new PodSpec(node, hostMode ? "host" : null, hostMode ? List.of() : List.of("blue"),
                List.of(ports), hostMode ? null : true, null));
    }
}
