package io.drover.api.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.api.ApiException;
import io.drover.api.ApiException.Reason;
import io.drover.model.ResourceKind;
import io.drover.model.codec.ResourceCodec;
import io.drover.model.meta.LabelSelector;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.network.NetworkStatus;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import io.drover.model.pod.PodStatus.PodAddress;
import io.drover.model.tenant.Namespace;
import io.drover.model.tenant.Tenant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** create, replace, replaceStatus and patch: what is stored, what is refused, and that a refusal stores nothing. */
class RegistryWriteTest extends RegistryFixture {

    private static final PodStatus ALLOCATED = new PodStatus(PodStatus.ALLOCATED,
            List.of(new PodAddress("blue", "eth0", "10.10.0.7", 16, "10.10.0.1")), null);

    private static JsonNode json(String text) {
        return ResourceCodec.json().readTree(text);
    }

    private Pod storedPod(String namespace, String name) {
        return registry.get(Pod.class, namespace, name).orElseThrow();
    }

    // ---- defaults ----

    @Test
    void ensureDefaultsCreatesTheDefaultTenantAndNamespaceOnceAndIsIdempotent() {
        Tenant tenant = registry.get(Tenant.class, null, Tenant.DEFAULT).orElseThrow();
        Namespace ns = registry.get(Namespace.class, null, Namespace.DEFAULT).orElseThrow();
        assertThat(ns.spec().tenantOrDefault()).isEqualTo(Tenant.DEFAULT);
        assertThat(ns.metadata().labels()).containsEntry(Namespace.NAME_LABEL, "default");
        long revision = store.revision();

        registry.ensureDefaults();
        registry.ensureDefaults();

        assertThat(store.revision()).as("a second ensureDefaults writes nothing").isEqualTo(revision);
        assertThat(registry.get(Tenant.class, null, Tenant.DEFAULT).orElseThrow().metadata().uid())
                .isEqualTo(tenant.metadata().uid());
        assertThat(registry.list(ResourceKind.NAMESPACE, null, null).items()).extracting(r -> r.name())
                .containsExactly("default");
        assertThat(registry.list(ResourceKind.TENANT, null, null).items()).extracting(r -> r.name())
                .containsExactly("default");
    }

    @Test
    void ensureDefaultsOnAReopenedStoreKeepsTheExistingDefaults() {
        String uid = registry.get(Namespace.class, null, "default").orElseThrow().metadata().uid();
        store.close();
        store = io.drover.store.sqlite.SqliteKeyValueStore.open(dir);
        registry = new StoreResourceRegistry(store);
        registry.ensureDefaults();
        assertThat(registry.get(Namespace.class, null, "default").orElseThrow().metadata().uid()).isEqualTo(uid);
    }

    // ---- create ----

    @Test
    void createSetsServerFieldsAndDropsStatus() {
        Network sent = new Network(null, null,
                new ObjectMeta("blue", null, Map.of("env", "prod"), Map.of("note", "x"), "client-uid", "12345", "1999-01-01T00:00:00Z"),
                NetworkSpec.of("10.10.0.0/16"), new NetworkStatus(5L, 1L));

        Network created = registry.create(sent);

        assertThat(created.metadata().uid()).isNotBlank().isNotEqualTo("client-uid");
        assertThat(created.metadata().creationTimestamp()).isEqualTo("2026-03-04T05:06:07Z");
        assertThat(version(created)).isEqualTo(store.revision());
        assertThat(created.status()).isNull();
        assertThat(created.metadata().labels()).containsEntry("env", "prod");
        Network stored = registry.get(Network.class, null, "blue").orElseThrow();
        assertThat(stored).isEqualTo(created);
    }

    @Test
    void eachCreatedObjectGetsItsOwnUid() {
        Pod a = registry.create(pod("default", "a"));
        Pod b = registry.create(pod("default", "b"));
        assertThat(a.metadata().uid()).isNotEqualTo(b.metadata().uid());
        assertThat(version(b)).isGreaterThan(version(a));
    }

    @Test
    void aPodWithoutNamespaceLandsInDefault() {
        Pod created = registry.create(Pod.of(ObjectMeta.named("web"), PodSpec.EMPTY));
        assertThat(created.namespace()).isEqualTo("default");
        assertThat(registry.get(Pod.class, "default", "web")).isPresent();
        assertThat(registry.get(Pod.class, null, "web")).as("null namespace reads default").isPresent();
    }

    @Test
    void creatingTheSameNameTwiceIsAlreadyExistsAndKeepsTheFirst() {
        Pod first = registry.create(pod("default", "web", Map.of("v", "1"), PodSpec.EMPTY));
        ApiException e = refusal(() -> registry.create(pod("default", "web", Map.of("v", "2"), PodSpec.EMPTY)));
        assertThat(e.reason()).isEqualTo(Reason.ALREADY_EXISTS);
        assertThat(e.getMessage()).contains("pod \"web\"").contains("namespace \"default\"");
        assertThat(storedPod("default", "web")).isEqualTo(first);
    }

    @Test
    void theSameNameInAnotherNamespaceIsAnotherObject() {
        registry.create(namespace("shop"));
        registry.create(pod("default", "web"));
        Pod other = registry.create(pod("shop", "web"));
        assertThat(other.namespace()).isEqualTo("shop");
        assertThat(registry.list(ResourceKind.POD, null, null).items()).hasSize(2);
    }

    @Test
    void invalidFieldsAreRefusedWithEveryCauseAndNothingIsStored() {
        long before = store.revision();
        Pod bad = pod("default", "web", Map.of(), new PodSpec(null, null, List.of(), List.of(
                new PodPort("http", 70000, "TCP", null, null),
                new PodPort("http", 81, "TCP", null, null)), List.of()));

        ApiException e = refusal(() -> registry.create(bad));

        assertThat(e.reason()).isEqualTo(Reason.INVALID);
        assertThat(fields(e)).contains("spec.ports[0].port", "spec.ports[1].name");
        assertThat(e.getMessage()).contains("Pod \"web\"").contains("spec.ports[0].port").contains("65535");
        assertThat(store.revision()).isEqualTo(before);
        assertThat(registry.get(Pod.class, "default", "web")).isEmpty();
    }

    @Test
    void aBadNetworkIsRefusedNamingTheField() {
        ApiException e = refusal(() -> registry.create(network("blue", "10.10.0.0/33")));
        assertThat(e.reason()).isEqualTo(Reason.INVALID);
        assertThat(fields(e)).containsExactly("spec.subnets[0]");
        ApiException noName = refusal(() -> registry.create(network("", "10.10.0.0/16")));
        assertThat(noName.reason()).isEqualTo(Reason.INVALID);
        assertThat(fields(noName)).containsExactly("metadata.name");
        assertThat(registry.list(ResourceKind.NETWORK, null, null).items()).isEmpty();
    }

    @Test
    void aClusterScopedObjectMayNotNameANamespace() {
        ApiException e = refusal(() -> registry.create(Network.of(ObjectMeta.named("shop", "blue"), NetworkSpec.of("10.1.0.0/16"))));
        assertThat(e.reason()).isEqualTo(Reason.INVALID);
        assertThat(fields(e)).containsExactly("metadata.namespace");
    }

    @Test
    void aNamespaceGetsTheNameLabel() {
        Namespace ns = registry.create(Namespace.of(ObjectMeta.named("shop").withLabels(Map.of("team", "a")), null));
        assertThat(ns.metadata().labels()).containsEntry(Namespace.NAME_LABEL, "shop").containsEntry("team", "a");
        assertThat(registry.list(ResourceKind.NAMESPACE, null, LabelSelector.parse(Namespace.NAME_LABEL + "=shop")).items())
                .extracting(r -> r.name()).containsExactly("shop");
    }

    // ---- replace ----

    @Test
    void replaceWithAStaleResourceVersionIsAConflictAndChangesNothing() {
        Pod v1 = registry.create(pod("default", "web", Map.of("v", "1"), PodSpec.EMPTY));
        Pod v2 = registry.replace(v1.withMetadata(v1.metadata().withLabels(Map.of("v", "2"))));
        assertThat(version(v2)).isGreaterThan(version(v1));

        ApiException e = refusal(() -> registry.replace(v1.withMetadata(v1.metadata().withLabels(Map.of("v", "3")))));

        assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
        assertThat(e.getMessage()).contains(v1.metadata().resourceVersion()).contains(v2.metadata().resourceVersion());
        assertThat(storedPod("default", "web").metadata().labels()).containsExactlyEntriesOf(Map.of("v", "2"));
    }

    @Test
    void replaceWithTheCurrentResourceVersionSucceeds() {
        Pod v1 = registry.create(pod("default", "web", Map.of("v", "1"), PodSpec.EMPTY));
        Pod v2 = registry.replace(v1.withMetadata(v1.metadata().withLabels(Map.of("v", "2"))));
        assertThat(v2.metadata().labels()).containsExactlyEntriesOf(Map.of("v", "2"));
        assertThat(storedPod("default", "web")).isEqualTo(v2);
    }

    @Test
    void replaceWithoutResourceVersionIsLastWriterWins() {
        Pod v1 = registry.create(pod("default", "web", Map.of("v", "1"), PodSpec.EMPTY));
        registry.replace(v1.withMetadata(v1.metadata().withLabels(Map.of("v", "2"))));
        Pod blind = v1.withMetadata(v1.metadata().withLabels(Map.of("v", "3")).withResourceVersion(null));

        Pod v3 = registry.replace(blind);

        assertThat(v3.metadata().labels()).containsExactlyEntriesOf(Map.of("v", "3"));
        assertThat(storedPod("default", "web").metadata().labels()).containsExactlyEntriesOf(Map.of("v", "3"));
    }

    @Test
    void replaceOfAMissingObjectIsNotFound() {
        ApiException e = refusal(() -> registry.replace(pod("default", "ghost")));
        assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
        assertThat(registry.get(Pod.class, "default", "ghost")).isEmpty();
    }

    @Test
    void replaceKeepsStatusUidAndCreationTimestamp() {
        registry.create(network("blue", "10.10.0.0/16"));
        Pod created = registry.create(pod("default", "web", "blue"));
        Pod withStatus = registry.replaceStatus(created.withStatus(ALLOCATED));
        Pod sent = new Pod(null, null,
                new ObjectMeta("web", "default", Map.of("app", "web"), Map.of(), null, null, "2000-01-01T00:00:00Z"),
                created.spec(), new PodStatus(PodStatus.FAILED, List.of(), "forged"));

        Pod replaced = registry.replace(sent);

        assertThat(replaced.status()).isEqualTo(ALLOCATED);
        assertThat(replaced.metadata().uid()).isEqualTo(created.metadata().uid());
        assertThat(replaced.metadata().creationTimestamp()).isEqualTo(created.metadata().creationTimestamp());
        assertThat(replaced.metadata().labels()).containsEntry("app", "web");
        assertThat(storedPod("default", "web")).isEqualTo(replaced);
        assertThat(version(replaced)).isGreaterThan(version(withStatus));
    }

    @Test
    void replaceValidatesLikeCreate() {
        Pod created = registry.create(pod("default", "web"));
        Pod bad = created.withMetadata(created.metadata().withLabels(Map.of("bad key!", "x")));
        ApiException e = refusal(() -> registry.replace(bad));
        assertThat(e.reason()).isEqualTo(Reason.INVALID);
        assertThat(fields(e)).singleElement().asString().startsWith("metadata.labels");
        assertThat(storedPod("default", "web")).isEqualTo(created);
    }

    @Test
    void aUidFromAnEarlierIncarnationIsRefused() {
        Pod old = registry.create(pod("default", "web"));
        registry.delete(ResourceKind.POD, "default", "web", null);
        Pod again = registry.create(pod("default", "web"));
        Pod stale = old.withMetadata(old.metadata().withLabels(Map.of("v", "old")).withResourceVersion(null));

        ApiException e = refusal(() -> registry.replace(stale));

        assertThat(e.reason()).isEqualTo(Reason.INVALID);
        assertThat(fields(e)).containsExactly("metadata.uid");
        assertThat(storedPod("default", "web")).isEqualTo(again);
    }

    // ---- immutable fields ----

    @Test
    void networkSubnetsAreImmutable() {
        Network blue = registry.create(network("blue", "10.10.0.0/16"));
        Network wider = Network.of(blue.metadata(), NetworkSpec.of("10.10.0.0/15"));
        ApiException e = refusal(() -> registry.replace(wider));
        assertThat(e.reason()).isEqualTo(Reason.INVALID);
        assertThat(fields(e)).contains("spec.subnets");
        assertThat(registry.get(Network.class, null, "blue").orElseThrow().spec().subnets()).containsExactly("10.10.0.0/16");
        // Other fields may change.
        Network mtu = registry.replace(Network.of(blue.metadata(),
                new NetworkSpec(List.of("10.10.0.0/16"), null, null, null, true, 1400)));
        assertThat(mtu.spec().mtu()).isEqualTo(1400);
    }

    @Test
    void aPodsNodeMayBeSetOnceButNotChanged() {
        Pod unscheduled = registry.create(pod("default", "web"));
        Pod scheduled = registry.replace(new Pod(null, null, unscheduled.metadata(), unscheduled.spec().withNode("node-1"), null));
        assertThat(scheduled.spec().node()).isEqualTo("node-1");

        Pod moved = new Pod(null, null, scheduled.metadata(), scheduled.spec().withNode("node-2"), null);
        ApiException e = refusal(() -> registry.replace(moved));
        assertThat(e.reason()).isEqualTo(Reason.INVALID);
        assertThat(fields(e)).containsExactly("spec.node");
        assertThat(e.getMessage()).contains("node-1");
        Pod unset = new Pod(null, null, scheduled.metadata(), scheduled.spec().withNode(null), null);
        assertThat(fields(refusal(() -> registry.replace(unset)))).containsExactly("spec.node");
        assertThat(storedPod("default", "web").spec().node()).isEqualTo("node-1");
    }

    @Test
    void aPodsNetworksAreImmutable() {
        registry.create(network("blue", "10.10.0.0/16"));
        registry.create(network("red", "10.20.0.0/16"));
        Pod web = registry.create(pod("default", "web", "blue"));
        Pod changed = new Pod(null, null, web.metadata(), new PodSpec(null, null, List.of("blue", "red"), List.of(), List.of()), null);
        ApiException e = refusal(() -> registry.replace(changed));
        assertThat(e.reason()).isEqualTo(Reason.INVALID);
        assertThat(fields(e)).containsExactly("spec.networks");
        assertThat(storedPod("default", "web").spec().networks()).containsExactly("blue");
    }

    @Test
    void aNamespaceCannotMoveToAnotherTenant() {
        registry.create(tenant("acme"));
        Namespace shop = registry.create(namespace("shop"));
        ApiException e = refusal(() -> registry.replace(Namespace.of(shop.metadata(), new Namespace.NamespaceSpec("acme"))));
        assertThat(e.reason()).isEqualTo(Reason.INVALID);
        assertThat(fields(e)).containsExactly("spec.tenant");
    }

    // ---- replaceStatus ----

    @Test
    void replaceStatusRequiresAResourceVersion() {
        Pod web = registry.create(pod("default", "web"));
        Pod blind = web.withMetadata(web.metadata().withResourceVersion(null)).withStatus(ALLOCATED);
        ApiException e = refusal(() -> registry.replaceStatus(blind));
        assertThat(e.reason()).isEqualTo(Reason.INVALID);
        assertThat(fields(e)).containsExactly("metadata.resourceVersion");
        assertThat(storedPod("default", "web").status()).isNull();
    }

    @Test
    void replaceStatusWithAStaleVersionIsAConflict() {
        Pod web = registry.create(pod("default", "web"));
        registry.replace(web.withMetadata(web.metadata().withLabels(Map.of("a", "b"))));
        ApiException e = refusal(() -> registry.replaceStatus(web.withStatus(ALLOCATED)));
        assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
        assertThat(storedPod("default", "web").status()).isNull();
    }

    @Test
    void replaceStatusChangesOnlyTheStatus() {
        Pod web = registry.create(pod("default", "web", Map.of("app", "web"), PodSpec.EMPTY));
        Pod sent = new Pod(null, null, web.metadata().withLabels(Map.of("app", "forged")),
                PodSpec.on("node-9"), ALLOCATED);

        Pod updated = registry.replaceStatus(sent);

        assertThat(updated.status()).isEqualTo(ALLOCATED);
        assertThat(updated.spec()).isEqualTo(web.spec());
        assertThat(updated.metadata().labels()).containsExactlyEntriesOf(Map.of("app", "web"));
        assertThat(updated.metadata().uid()).isEqualTo(web.metadata().uid());
        assertThat(version(updated)).isGreaterThan(version(web));
        assertThat(storedPod("default", "web")).isEqualTo(updated);
    }

    @Test
    void theStoredJsonNeverCarriesAResourceVersionThatCouldGoStale() {
        Pod web = registry.create(pod("default", "web"));
        Pod status = registry.replaceStatus(web.withStatus(ALLOCATED));
        String key = RegistryKeys.key(ResourceKind.POD, "default", "web");
        assertThat(store.get(key).orElseThrow().valueAsString()).doesNotContain("resourceVersion");
        registry.replace(status.withMetadata(status.metadata().withLabels(Map.of("a", "b"))));
        registry.patch(ResourceKind.POD, "default", "web", json("{\"metadata\":{\"labels\":{\"c\":\"d\"}}}"));
        assertThat(store.get(key).orElseThrow().valueAsString()).doesNotContain("resourceVersion");
    }

    // ---- patch ----

    @Test
    void patchMergesLabelsAndNullDeletesOne() {
        registry.create(pod("default", "web", Map.of("app", "web", "tier", "fe"), PodSpec.EMPTY));

        var merged = registry.patch(ResourceKind.POD, "default", "web", json("{\"metadata\":{\"labels\":{\"env\":\"prod\"}}}"));
        assertThat(merged.metadata().labels()).containsExactlyInAnyOrderEntriesOf(Map.of("app", "web", "tier", "fe", "env", "prod"));

        var removed = registry.patch(ResourceKind.POD, "default", "web", json("{\"metadata\":{\"labels\":{\"tier\":null}}}"));
        assertThat(removed.metadata().labels()).containsExactlyInAnyOrderEntriesOf(Map.of("app", "web", "env", "prod"));
        assertThat(storedPod("default", "web").metadata().labels()).isEqualTo(removed.metadata().labels());
    }

    @Test
    void patchKeepsStatusAndServerFields() {
        Pod web = registry.create(pod("default", "web"));
        registry.replaceStatus(web.withStatus(ALLOCATED));
        Pod patched = (Pod) registry.patch(ResourceKind.POD, null, "web",
                json("{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"status\":{\"phase\":\"Failed\"}}"));
        assertThat(patched.status()).isEqualTo(ALLOCATED);
        assertThat(patched.metadata().uid()).isEqualTo(web.metadata().uid());
        assertThat(patched.metadata().creationTimestamp()).isEqualTo(web.metadata().creationTimestamp());
    }

    @Test
    void aResourceVersionInThePatchIsAPrecondition() {
        Pod v1 = registry.create(pod("default", "web"));
        Pod v2 = (Pod) registry.patch(ResourceKind.POD, "default", "web", json("{\"metadata\":{\"labels\":{\"v\":\"2\"}}}"));

        ApiException e = refusal(() -> registry.patch(ResourceKind.POD, "default", "web",
                json("{\"metadata\":{\"resourceVersion\":\"" + v1.metadata().resourceVersion() + "\",\"labels\":{\"v\":\"3\"}}}")));
        assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
        assertThat(storedPod("default", "web").metadata().labels()).containsEntry("v", "2");

        var ok = registry.patch(ResourceKind.POD, "default", "web",
                json("{\"metadata\":{\"resourceVersion\":\"" + v2.metadata().resourceVersion() + "\",\"labels\":{\"v\":\"3\"}}}"));
        assertThat(ok.metadata().labels()).containsEntry("v", "3");
    }

    @Test
    void aPatchCannotRenameOrMove() {
        registry.create(namespace("shop"));
        Pod web = registry.create(pod("default", "web"));
        ApiException rename = refusal(() -> registry.patch(ResourceKind.POD, "default", "web", json("{\"metadata\":{\"name\":\"other\"}}")));
        assertThat(rename.reason()).isEqualTo(Reason.INVALID);
        assertThat(fields(rename)).containsExactly("metadata.name");
        ApiException move = refusal(() -> registry.patch(ResourceKind.POD, "default", "web", json("{\"metadata\":{\"namespace\":\"shop\"}}")));
        assertThat(move.reason()).isEqualTo(Reason.INVALID);
        assertThat(registry.get(Pod.class, "default", "other")).isEmpty();
        assertThat(registry.get(Pod.class, "shop", "web")).isEmpty();
        assertThat(storedPod("default", "web")).isEqualTo(web);
    }

    @Test
    void aPatchThatBreaksARuleIsRefusedAndNothingChanges() {
        Pod web = registry.create(pod("default", "web"));
        ApiException invalid = refusal(() -> registry.patch(ResourceKind.POD, "default", "web",
                json("{\"spec\":{\"ports\":[{\"name\":\"http\",\"port\":0}]}}")));
        assertThat(invalid.reason()).isEqualTo(Reason.INVALID);
        assertThat(fields(invalid)).containsExactly("spec.ports[0].port");

        ApiException unknownField = refusal(() -> registry.patch(ResourceKind.POD, "default", "web", json("{\"spec\":{\"nodee\":\"x\"}}")));
        assertThat(unknownField.reason()).isEqualTo(Reason.BAD_REQUEST);
        assertThat(unknownField.getMessage()).contains("nodee");

        ApiException notAnObject = refusal(() -> registry.patch(ResourceKind.POD, "default", "web", json("[1]")));
        assertThat(notAnObject.reason()).isEqualTo(Reason.BAD_REQUEST);
        assertThat(storedPod("default", "web")).isEqualTo(web);
    }

    @Test
    void patchOfAMissingObjectIsNotFound() {
        ApiException e = refusal(() -> registry.patch(ResourceKind.POD, "default", "ghost", json("{}")));
        assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
        assertThat(e.getMessage()).contains("ghost");
    }

    @Test
    void removingTheNamespaceNameLabelByPatchRestoresIt() {
        registry.create(namespace("shop"));
        var patched = registry.patch(ResourceKind.NAMESPACE, null, "shop",
                json("{\"metadata\":{\"labels\":{\"" + Namespace.NAME_LABEL + "\":null,\"team\":\"a\"}}}"));
        assertThat(patched.metadata().labels()).containsEntry(Namespace.NAME_LABEL, "shop").containsEntry("team", "a");
    }

    @Test
    void aPatchWithoutPreconditionIsNotRefusedBecauseAControllerWroteTheStatusMeanwhile() throws Exception {
        // Users patch labels while controllers write status: without a resourceVersion in the patch, a concurrent
        // status write must not turn the user's patch into a Conflict.
        Pod web = registry.create(pod("default", "web"));
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger statusWrites = new java.util.concurrent.atomic.AtomicInteger();
        Thread controller = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                Pod current = storedPod("default", "web");
                try {
                    registry.replaceStatus(current.withStatus(new PodStatus(PodStatus.PENDING, List.of(), "try " + statusWrites.get())));
                    statusWrites.incrementAndGet();
                } catch (ApiException e) {
                    // A conflict with the user's patch: the controller re-reads, as controllers do.
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        int patches = 0;
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> statusWrites.get() >= 3);
            int writesBefore = statusWrites.get();
            // Patch until enough status writes ran alongside (bounded: a refused patch ends the test at once).
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((patches < 30 || statusWrites.get() - writesBefore < 20) && System.nanoTime() < deadline) {
                var patched = registry.patch(ResourceKind.POD, "default", "web", json("{\"metadata\":{\"labels\":{\"n\":\"" + patches + "\"}}}"));
                assertThat(patched.metadata().labels()).containsEntry("n", Integer.toString(patches));
                patches++;
            }
            assertThat(statusWrites.get() - writesBefore).as("status writes that ran alongside the patches").isGreaterThanOrEqualTo(20);
        } finally {
            stop.set(true);
            controller.join();
        }
        assertThat(storedPod("default", "web").metadata().labels()).containsEntry("n", Integer.toString(patches - 1));
        assertThat(storedPod("default", "web").metadata().uid()).isEqualTo(web.metadata().uid());
    }
}
