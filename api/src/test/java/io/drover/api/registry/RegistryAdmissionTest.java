package io.drover.api.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.api.ApiException;
import io.drover.api.ApiException.Reason;
import io.drover.api.ResourceList;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.LabelSelector;
import io.drover.model.network.Network;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.model.tenant.Namespace;
import io.drover.model.tenant.Tenant;
import io.drover.model.validation.NetworkOverlap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** References between objects, overlaps, refused deletes, and reads (get, list with selectors). */
class RegistryAdmissionTest extends RegistryFixture {

    // ---- references ----

    @Test
    void aPodInAMissingNamespaceIsNotFoundNamingTheNamespace() {
        long before = store.revision();
        ApiException e = refusal(() -> registry.create(pod("shop", "web")));
        assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
        assertThat(e.getMessage()).contains("namespace \"shop\"");
        assertThat(store.revision()).isEqualTo(before);

        registry.create(namespace("shop"));
        assertThat(registry.create(pod("shop", "web")).namespace()).isEqualTo("shop");
    }

    @Test
    void aPodNamingAMissingNetworkIsInvalidAtThatIndex() {
        registry.create(network("blue", "10.10.0.0/16"));
        long before = store.revision();
        ApiException e = refusal(() -> registry.create(pod("default", "web", "blue", "nope")));
        assertThat(e.reason()).isEqualTo(Reason.INVALID);
        assertThat(fields(e)).containsExactly("spec.networks[1]");
        assertThat(e.getMessage()).contains("\"nope\"");
        assertThat(store.revision()).isEqualTo(before);
        assertThat(registry.get(Pod.class, "default", "web")).isEmpty();
    }

    @Test
    void aNamespaceOfAMissingTenantIsInvalid() {
        ApiException e = refusal(() -> registry.create(namespace("shop", "acme")));
        assertThat(e.reason()).isEqualTo(Reason.INVALID);
        assertThat(fields(e)).containsExactly("spec.tenant");
        registry.create(tenant("acme"));
        assertThat(registry.create(namespace("shop", "acme")).spec().tenant()).isEqualTo("acme");
    }

    @Test
    void anOverlappingNetworkIsInvalidNamingTheOtherNetwork() {
        registry.create(network("blue", "10.10.0.0/16", "fd00:10::/64"));
        long before = store.revision();

        ApiException e = refusal(() -> registry.create(network("red", "10.20.0.0/16", "fd00:10::/80")));

        assertThat(e.reason()).isEqualTo(Reason.INVALID);
        assertThat(fields(e)).containsExactly("spec.subnets[1]");
        assertThat(e.getMessage()).contains("network blue").contains("fd00:10::/64");
        assertThat(store.revision()).isEqualTo(before);
        assertThat(registry.get(Network.class, null, "red")).isEmpty();
        // Disjoint ranges are fine.
        registry.create(network("red", "10.20.0.0/16", "fd00:20::/64"));
    }

    @Test
    void twoOverlappingNetworksCreatedAtTheSameMomentCannotBothExist() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                Network a = network("a" + round, "10." + round + ".0.0/16");
                Network b = network("b" + round, "10." + round + ".128.0/17");
                List<Object> outcomes = atTheSameMoment(pool, () -> registry.create(a), () -> registry.create(b));
                assertThat(outcomes).as("round %d", round).filteredOn(o -> o instanceof Network).hasSize(1);
                ApiException refused = (ApiException) outcomes.stream().filter(o -> o instanceof ApiException).findFirst().orElseThrow();
                String winner = outcomes.stream().filter(o -> o instanceof Network).map(o -> ((Network) o).name()).findFirst().orElseThrow();
                assertThat(refused.reason()).as("round %d: %s", round, refused.getMessage()).isEqualTo(Reason.INVALID);
                assertThat(refused.getMessage()).contains("network " + winner);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Network> all = registry.<Network>list(ResourceKind.NETWORK, null, null).items();
        assertThat(all).hasSize(20);
        for (Network n : all) {
            assertThat(NetworkOverlap.find(n, all)).as("network %s", n.name()).isEmpty();
        }
    }

    @Test
    void twoCreatesOfTheSameNameAtTheSameMomentLeaveOneObject() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                String name = "same-" + round;
                List<Object> outcomes = atTheSameMoment(pool,
                        () -> registry.create(pod("default", name, Map.of("by", "a"), PodSpec.EMPTY)),
                        () -> registry.create(pod("default", name, Map.of("by", "b"), PodSpec.EMPTY)));
                Pod winner = (Pod) outcomes.stream().filter(o -> o instanceof Pod).findFirst().orElseThrow();
                assertThat(outcomes).filteredOn(o -> o instanceof ApiException)
                        .singleElement().extracting(o -> ((ApiException) o).reason()).isEqualTo(Reason.ALREADY_EXISTS);
                assertThat(registry.get(Pod.class, "default", name).orElseThrow()).isEqualTo(winner);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPodAndTheDeleteOfItsNetworkRacingNeverLeaveAPodOnAMissingNetwork() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String net = "n" + round;
                registry.create(network(net, "10." + round + ".0.0/16"));
                String podName = "p" + round;
                List<Object> outcomes = atTheSameMoment(pool,
                        () -> registry.create(pod("default", podName, net)),
                        () -> registry.delete(ResourceKind.NETWORK, null, net, null));
                assertSucceededOrRefusedWith(outcomes.get(0), Reason.INVALID);
                assertSucceededOrRefusedWith(outcomes.get(1), Reason.CONFLICT);
                boolean podExists = registry.get(Pod.class, "default", podName).isPresent();
                boolean networkExists = registry.get(Network.class, null, net).isPresent();
                assertThat(podExists && !networkExists).as("round %d: pod %s exists but its network %s is gone", round, podName, net)
                        .isFalse();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPodAndTheDeleteOfItsNamespaceRacingNeverLeaveAPodInAMissingNamespace() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String ns = "ns" + round;
                registry.create(namespace(ns));
                List<Object> outcomes = atTheSameMoment(pool,
                        () -> registry.create(pod(ns, "web")),
                        () -> registry.delete(ResourceKind.NAMESPACE, null, ns, null));
                assertSucceededOrRefusedWith(outcomes.get(0), Reason.NOT_FOUND);
                assertSucceededOrRefusedWith(outcomes.get(1), Reason.CONFLICT);
                boolean podExists = registry.get(Pod.class, ns, "web").isPresent();
                boolean nsExists = registry.get(Namespace.class, null, ns).isPresent();
                assertThat(podExists && !nsExists).as("round %d: a pod is left in deleted namespace %s", round, ns).isFalse();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- delete ----

    @Test
    void deleteReturnsTheObjectAndRemovesIt() {
        Pod web = registry.create(pod("default", "web", Map.of("app", "web"), PodSpec.EMPTY));
        Resource deleted = registry.delete(ResourceKind.POD, "default", "web", null);
        assertThat(deleted.metadata().uid()).isEqualTo(web.metadata().uid());
        assertThat(deleted.metadata().labels()).containsEntry("app", "web");
        assertThat(registry.get(Pod.class, "default", "web")).isEmpty();
        ApiException again = refusal(() -> registry.delete(ResourceKind.POD, "default", "web", null));
        assertThat(again.reason()).isEqualTo(Reason.NOT_FOUND);
        assertThat(again.getMessage()).contains("pod \"web\"");
    }

    @Test
    void deleteWithAStalePreconditionIsAConflictAndWithTheCurrentOneSucceeds() {
        Pod v1 = registry.create(pod("default", "web"));
        Pod v2 = registry.replace(v1.withMetadata(v1.metadata().withLabels(Map.of("v", "2"))));

        ApiException e = refusal(() -> registry.delete(ResourceKind.POD, "default", "web", v1.metadata().resourceVersion()));
        assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
        assertThat(registry.get(Pod.class, "default", "web")).isPresent();

        registry.delete(ResourceKind.POD, "default", "web", v2.metadata().resourceVersion());
        assertThat(registry.get(Pod.class, "default", "web")).isEmpty();
    }

    @Test
    void theDefaultNamespaceAndTenantCannotBeDeleted() {
        ApiException ns = refusal(() -> registry.delete(ResourceKind.NAMESPACE, null, "default", null));
        assertThat(ns.reason()).isEqualTo(Reason.CONFLICT);
        ApiException tenant = refusal(() -> registry.delete(ResourceKind.TENANT, null, "default", null));
        assertThat(tenant.reason()).isEqualTo(Reason.CONFLICT);
        assertThat(registry.get(Namespace.class, null, "default")).isPresent();
        assertThat(registry.get(Tenant.class, null, "default")).isPresent();
    }

    @Test
    void aNamespaceWithPodsCannotBeDeletedUntilThePodsAreGone() {
        registry.create(namespace("shop"));
        registry.create(pod("shop", "web-1"));
        ApiException e = refusal(() -> registry.delete(ResourceKind.NAMESPACE, null, "shop", null));
        assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
        assertThat(e.getMessage()).contains("shop/web-1");
        assertThat(registry.get(Namespace.class, null, "shop")).isPresent();

        registry.delete(ResourceKind.POD, "shop", "web-1", null);
        registry.delete(ResourceKind.NAMESPACE, null, "shop", null);
        assertThat(registry.get(Namespace.class, null, "shop")).isEmpty();
    }

    @Test
    void aNetworkUsedByPodsCannotBeDeleted() {
        registry.create(network("blue", "10.10.0.0/16"));
        registry.create(pod("default", "web", "blue"));
        ApiException e = refusal(() -> registry.delete(ResourceKind.NETWORK, null, "blue", null));
        assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
        assertThat(e.getMessage()).contains("default/web");
        registry.delete(ResourceKind.POD, "default", "web", null);
        registry.delete(ResourceKind.NETWORK, null, "blue", null);
        assertThat(registry.get(Network.class, null, "blue")).isEmpty();
    }

    @Test
    void aTenantOwningNamespacesCannotBeDeleted() {
        registry.create(tenant("acme"));
        registry.create(namespace("shop", "acme"));
        ApiException e = refusal(() -> registry.delete(ResourceKind.TENANT, null, "acme", null));
        assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
        assertThat(e.getMessage()).contains("shop");
        registry.delete(ResourceKind.NAMESPACE, null, "shop", null);
        registry.delete(ResourceKind.TENANT, null, "acme", null);
        assertThat(registry.get(Tenant.class, null, "acme")).isEmpty();
    }

    @Test
    void aDeletedNetworksRangeCanBeUsedAgain() {
        registry.create(network("blue", "10.10.0.0/16"));
        registry.delete(ResourceKind.NETWORK, null, "blue", null);
        assertThat(registry.create(network("red", "10.10.0.0/16")).name()).isEqualTo("red");
    }

    // ---- a store that is gone ----

    @Test
    void everyCallOnAClosedStoreIsServiceUnavailable() {
        registry.create(network("blue", "10.10.0.0/16"));
        Pod web = registry.create(pod("default", "web", "blue"));
        store.close();
        List<Call> calls = List.of(
                () -> registry.create(network("red", "10.20.0.0/16")),
                () -> registry.create(pod("default", "other", "blue")),
                () -> registry.create(namespace("shop")),
                () -> registry.replace(web),
                () -> registry.replaceStatus(web),
                () -> registry.patch(ResourceKind.POD, "default", "web", io.drover.model.codec.ResourceCodec.json().readTree("{}")),
                () -> registry.delete(ResourceKind.NETWORK, null, "blue", null),
                () -> registry.delete(ResourceKind.POD, "default", "web", null),
                () -> registry.get(ResourceKind.POD, "default", "web"),
                () -> registry.list(ResourceKind.POD, null, null),
                () -> registry.watch(ResourceKind.POD, null, null, 0, new Recorder()));
        for (int i = 0; i < calls.size(); i++) {
            ApiException e = refusal(calls.get(i));
            assertThat(e.reason()).as("call %d: %s", i, e.getMessage()).isEqualTo(Reason.SERVICE_UNAVAILABLE);
            assertThat(e.getMessage()).contains("store");
        }
    }

    // ---- get and list ----

    @Test
    void getOfAMissingObjectIsEmpty() {
        assertThat(registry.get(ResourceKind.POD, "default", "nope")).isEmpty();
        assertThat(registry.get(ResourceKind.NETWORK, null, "nope")).isEmpty();
    }

    @Test
    void listFiltersByLabelSelectorAndNamespace() {
        registry.create(namespace("shop"));
        registry.create(pod("default", "web-1", Map.of("app", "web", "tier", "fe"), PodSpec.EMPTY));
        registry.create(pod("default", "db-1", Map.of("app", "db"), PodSpec.EMPTY));
        registry.create(pod("shop", "web-2", Map.of("app", "web"), PodSpec.EMPTY));
        registry.create(pod("shop", "cache", Map.of(), PodSpec.EMPTY));

        assertThat(names(registry.list(ResourceKind.POD, null, null))).containsExactlyInAnyOrder("web-1", "db-1", "web-2", "cache");
        assertThat(names(registry.list(ResourceKind.POD, "default", null))).containsExactlyInAnyOrder("web-1", "db-1");
        assertThat(names(registry.list(ResourceKind.POD, "shop", LabelSelector.everything()))).containsExactlyInAnyOrder("web-2", "cache");
        assertThat(names(registry.list(ResourceKind.POD, null, LabelSelector.parse("app=web")))).containsExactlyInAnyOrder("web-1", "web-2");
        assertThat(names(registry.list(ResourceKind.POD, "shop", LabelSelector.parse("app=web")))).containsExactly("web-2");
        assertThat(names(registry.list(ResourceKind.POD, null, LabelSelector.parse("app in (web,db),!tier")))).containsExactlyInAnyOrder("db-1", "web-2");
        assertThat(names(registry.list(ResourceKind.POD, null, LabelSelector.parse("app!=web")))).containsExactlyInAnyOrder("db-1", "cache");
        assertThat(names(registry.list(ResourceKind.POD, "nowhere", null))).isEmpty();
    }

    @Test
    void aNamespacesListDoesNotCaptureANamespaceWhoseNameStartsTheSame() {
        registry.create(namespace("shop"));
        registry.create(namespace("shop2"));
        registry.create(pod("shop", "a"));
        registry.create(pod("shop2", "b"));
        assertThat(names(registry.list(ResourceKind.POD, "shop", null))).containsExactly("a");
    }

    @Test
    void aListsResourceVersionIsTheStoreRevisionAtTheRead() {
        Pod a = registry.create(pod("default", "a"));
        ResourceList<Pod> list = registry.list(ResourceKind.POD, null, null);
        assertThat(list.resourceVersion()).isEqualTo(store.revision()).isGreaterThanOrEqualTo(version(a));
        assertThat(list.items()).singleElement().isEqualTo(a);
    }

    /**
     * Starts the calls together on the pool (one thread each, released by a barrier, so that they race) and
     * returns their outcomes in order: what a call returned, or the ApiException it threw.
     */
    private static List<Object> atTheSameMoment(ExecutorService pool, Call... calls) throws Exception {
        CyclicBarrier start = new CyclicBarrier(calls.length);
        List<Future<Object>> results = new ArrayList<>();
        for (Call call : calls) {
            results.add(pool.submit(() -> {
                start.await(5, TimeUnit.SECONDS);
                try {
                    return call.run();
                } catch (ApiException e) {
                    return e;
                }
            }));
        }
        List<Object> outcomes = new ArrayList<>();
        for (Future<Object> f : results) {
            outcomes.add(f.get(10, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    /** A racing call may lose, but only for the expected reason. */
    private static void assertSucceededOrRefusedWith(Object outcome, Reason reason) {
        if (outcome instanceof ApiException e) {
            assertThat(e.reason()).isEqualTo(reason);
        }
    }

    private static List<String> names(ResourceList<? extends Resource> list) {
        return list.items().stream().map(Resource::name).toList();
    }
}
