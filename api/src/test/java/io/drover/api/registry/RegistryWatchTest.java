package io.drover.api.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.api.ResourceEvent;
import io.drover.api.ResourceEvent.Type;
import io.drover.api.ResourceList;
import io.drover.model.ResourceKind;
import io.drover.model.codec.ResourceCodec;
import io.drover.model.meta.LabelSelector;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.store.Watch;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Watches: ordered, gap-free from a list's resourceVersion, filtered as a list would be. */
class RegistryWatchTest extends RegistryFixture {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private Pod relabel(String namespace, String name, Map<String, String> labels) {
        Pod current = registry.get(Pod.class, namespace, name).orElseThrow();
        return registry.replace(current.withMetadata(current.metadata().withLabels(labels)));
    }

    @Test
    void aWatchFromAListsVersionSeesEveryLaterChangeInOrder() {
        registry.create(pod("default", "a"));
        ResourceList<Pod> list = registry.list(ResourceKind.POD, null, null);
        // Changes made after the list but before the watch starts must be replayed, not lost.
        Pod b = registry.create(pod("default", "b"));
        Pod a2 = relabel("default", "a", Map.of("v", "2"));

        Recorder recorder = new Recorder();
        try (Watch watch = registry.watch(ResourceKind.POD, null, null, list.resourceVersion(), recorder)) {
            await().atMost(WAIT).until(() -> recorder.events.size() == 2);
            Pod deletedB = (Pod) registry.delete(ResourceKind.POD, "default", "b", null);
            long deleteRevision = store.revision();
            Pod c = registry.create(pod("default", "c"));
            await().atMost(WAIT).until(() -> recorder.events.size() == 4);

            assertThat(recorder.summary()).containsExactly("ADDED b", "MODIFIED a", "DELETED b", "ADDED c");
            assertThat(recorder.events).extracting(ResourceEvent::revision)
                    .containsExactly(version(b), version(a2), deleteRevision, version(c));
            assertThat(recorder.events.get(0).object()).isEqualTo(b);
            assertThat(recorder.events.get(1).object()).isEqualTo(a2);
            assertThat(recorder.events.get(2).object().metadata().uid()).isEqualTo(deletedB.metadata().uid());
            assertThat(recorder.events.get(3).object()).isEqualTo(c);
            // No gap: the store revisions of the writes are exactly the events' revisions.
            assertThat(recorder.events.getFirst().revision()).isEqualTo(list.resourceVersion() + 1);
            assertThat(recorder.expired).isEmpty();
            assertThat(recorder.errors).isEmpty();
        }
    }

    @Test
    void aDeletedEventCarriesTheDeletionsResourceVersion() {
        registry.create(pod("default", "a"));
        long from = store.revision();
        Recorder recorder = new Recorder();
        try (Watch watch = registry.watch(ResourceKind.POD, null, null, from, recorder)) {
            registry.delete(ResourceKind.POD, "default", "a", null);
            long deletedAt = store.revision();
            await().atMost(WAIT).until(() -> recorder.events.size() == 1);
            ResourceEvent deleted = recorder.events.getFirst();
            assertThat(deleted.type()).isEqualTo(Type.DELETED);
            assertThat(deleted.revision()).isEqualTo(deletedAt);
            // A client that resumes from the last object's resourceVersion must not see the delete again.
            assertThat(deleted.object().metadata().resourceVersion()).isEqualTo(Long.toString(deletedAt));
        }
    }

    @Test
    void aWatchFromZeroStartsNowWithoutReplayingExistingObjects() {
        registry.create(pod("default", "old"));
        Recorder recorder = new Recorder();
        try (Watch watch = registry.watch(ResourceKind.POD, null, null, 0, recorder)) {
            registry.create(pod("default", "new"));
            await().atMost(WAIT).until(() -> recorder.saw(Type.ADDED, "new"));
            assertThat(recorder.summary()).containsExactly("ADDED new");
        }
    }

    @Test
    void aSelectorWatchReportsObjectsEnteringAndLeavingTheSelectionAsAddedAndDeleted() {
        long from = store.revision();
        Recorder recorder = new Recorder();
        try (Watch watch = registry.watch(ResourceKind.POD, null, LabelSelector.parse("app=web"), from, recorder)) {
            registry.create(pod("default", "x", Map.of("app", "db"), PodSpec.EMPTY));      // not matching: nothing
            relabel("default", "x", Map.of("app", "web"));                                // starts matching: ADDED
            relabel("default", "x", Map.of("app", "web", "v", "2"));                      // still matching: MODIFIED
            Pod left = relabel("default", "x", Map.of("app", "db"));                      // stops matching: DELETED
            relabel("default", "x", Map.of("app", "db", "v", "3"));                       // not matching: nothing
            registry.delete(ResourceKind.POD, "default", "x", null);                      // not matching: nothing
            registry.create(pod("default", "y", Map.of("app", "web"), PodSpec.EMPTY));    // ADDED
            registry.delete(ResourceKind.POD, "default", "y", null);                      // DELETED
            await().atMost(WAIT).until(() -> recorder.saw(Type.DELETED, "y"));

            assertThat(recorder.summary()).containsExactly("ADDED x", "MODIFIED x", "DELETED x", "ADDED y", "DELETED y");
            ResourceEvent leaving = recorder.events.get(2);
            assertThat(leaving.revision()).isEqualTo(version(left));
            assertThat(leaving.object().metadata().labels()).containsEntry("app", "web");
        }
    }

    @Test
    void aNamespaceWatchSeesOnlyThatNamespaceAndANullNamespaceSeesAll() {
        registry.create(namespace("shop"));
        registry.create(namespace("shop2"));
        long from = store.revision();
        Recorder shop = new Recorder();
        Recorder all = new Recorder();
        try (Watch w1 = registry.watch(ResourceKind.POD, "shop", null, from, shop);
                Watch w2 = registry.watch(ResourceKind.POD, null, null, from, all)) {
            registry.create(pod("default", "a"));
            registry.create(pod("shop2", "b"));
            registry.create(pod("shop", "c"));
            registry.create(network("blue", "10.10.0.0/16"));
            registry.create(pod("default", "end"));
            await().atMost(WAIT).until(() -> all.saw(Type.ADDED, "end"));
            await().atMost(WAIT).until(() -> shop.saw(Type.ADDED, "c"));

            assertThat(all.summary()).containsExactly("ADDED a", "ADDED b", "ADDED c", "ADDED end");
            assertThat(shop.summary()).containsExactly("ADDED c");
            assertThat(shop.events.getFirst().object().namespace()).isEqualTo("shop");
        }
    }

    @Test
    void aWatchOfOneKindDoesNotSeeOtherKinds() {
        long from = store.revision();
        Recorder networks = new Recorder();
        try (Watch w = registry.watch(ResourceKind.NETWORK, null, null, from, networks)) {
            registry.create(namespace("shop"));
            registry.create(pod("default", "a"));
            registry.create(network("blue", "10.10.0.0/16"));
            await().atMost(WAIT).until(() -> networks.saw(Type.ADDED, "blue"));
            assertThat(networks.summary()).containsExactly("ADDED blue");
            assertThat(networks.events.getFirst().object().resourceKind()).isEqualTo(ResourceKind.NETWORK);
        }
    }

    @Test
    void aWatchFromACompactedVersionExpiresAndDeliversNothing() {
        registry.create(pod("default", "a"));
        long listed = store.revision();
        registry.create(pod("default", "b"));
        registry.create(pod("default", "c"));
        store.compact(store.revision());

        Recorder recorder = new Recorder();
        try (Watch watch = registry.watch(ResourceKind.POD, null, null, listed, recorder)) {
            await().atMost(WAIT).until(() -> !recorder.expired.isEmpty());
            assertThat(recorder.expired).singleElement().asString().contains(Long.toString(listed)).contains("list again");
            assertThat(recorder.events).isEmpty();
            // After expiring, a fresh list and a watch from its version work.
            ResourceList<Pod> relist = registry.list(ResourceKind.POD, null, null);
            assertThat(relist.items()).hasSize(3);
            Recorder again = new Recorder();
            try (Watch w2 = registry.watch(ResourceKind.POD, null, null, relist.resourceVersion(), again)) {
                registry.create(pod("default", "d"));
                await().atMost(WAIT).until(() -> again.saw(Type.ADDED, "d"));
                assertThat(again.summary()).containsExactly("ADDED d");
                assertThat(again.expired).isEmpty();
            }
        }
    }

    @Test
    void aStatusWriteIsAModification() {
        Pod a = registry.create(pod("default", "a"));
        long from = store.revision();
        Recorder recorder = new Recorder();
        try (Watch watch = registry.watch(ResourceKind.POD, "default", null, from, recorder)) {
            Pod withStatus = registry.replaceStatus(a.withStatus(new io.drover.model.pod.PodStatus("Pending", List.of(), "waiting")));
            await().atMost(WAIT).until(() -> recorder.events.size() == 1);
            assertThat(recorder.events.getFirst().type()).isEqualTo(Type.MODIFIED);
            assertThat(recorder.events.getFirst().object()).isEqualTo(withStatus);
        }
    }

    @Test
    void noEventArrivesAfterTheWatchIsClosed() throws Exception {
        Recorder recorder = new Recorder();
        Watch watch = registry.watch(ResourceKind.POD, null, null, store.revision(), recorder);
        registry.create(pod("default", "a"));
        await().atMost(WAIT).until(() -> recorder.events.size() == 1);
        watch.close();
        registry.create(pod("default", "b"));
        // Let the store deliver b anywhere it would; a watch started now sees it, the closed one must not.
        Recorder probe = new Recorder();
        try (Watch w = registry.watch(ResourceKind.POD, null, null, version(registry.get(Pod.class, "default", "a").orElseThrow()), probe)) {
            await().atMost(WAIT).until(() -> probe.saw(Type.ADDED, "b"));
        }
        assertThat(recorder.summary()).containsExactly("ADDED a");
    }

    @Test
    void eventObjectsSerializeAsTheyWereStored() {
        Pod a = registry.create(pod("default", "a", Map.of("app", "web"), PodSpec.on("node-1")));
        Recorder recorder = new Recorder();
        try (Watch watch = registry.watch(ResourceKind.POD, null, null, version(a) - 1, recorder)) {
            await().atMost(WAIT).until(() -> recorder.events.size() == 1);
            assertThat(ResourceCodec.toJsonString(recorder.events.getFirst().object())).isEqualTo(ResourceCodec.toJsonString(a));
        }
    }
}
