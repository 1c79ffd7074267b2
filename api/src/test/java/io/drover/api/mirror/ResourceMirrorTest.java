package io.drover.api.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.api.ApiException;
import io.drover.api.ResourceEvent;
import io.drover.api.ResourceList;
import io.drover.api.ResourceRegistry;
import io.drover.api.ResourceWatcher;
import io.drover.api.registry.StoreResourceRegistry;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.LabelSelector;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.store.Watch;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The mirror on a real SQLite registry, with a wrapper that can fail lists and hands out the watchers it saw. */
class ResourceMirrorTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration RETRY = Duration.ofMillis(50);

    @TempDir
    Path dir;

    private SqliteKeyValueStore store;
    private StoreResourceRegistry backing;
    private FlakyRegistry registry;
    private ScheduledExecutorService relister;
    private final Recorder recorder = new Recorder();
    private ResourceMirror<Pod> mirror;

    @BeforeEach
    void open() {
        store = SqliteKeyValueStore.open(dir);
        backing = new StoreResourceRegistry(store);
        backing.ensureDefaults();
        registry = new FlakyRegistry(backing);
        relister = Executors.newSingleThreadScheduledExecutor();
        mirror = new ResourceMirror<>("test", registry, ResourceKind.POD, recorder, relister, RETRY);
    }

    @AfterEach
    void close() {
        mirror.close();
        relister.shutdownNow();
        store.close();
    }

    @Test
    void aListThenEveryLaterChangeInOrderIncludingWritesBetweenListAndWatch() {
        backing.create(pod("a"));
        mirror.list();
        assertThat(names(mirror.items())).containsExactly("a");
        assertThat(recorder.log).containsExactly("replaced [a]");
        // Written after the list, before the watch: replayed from the list's revision, not lost.
        backing.create(pod("b"));
        mirror.watch();
        await().atMost(WAIT).until(() -> recorder.log.size() == 2);
        backing.replace(relabelled(backing.get(Pod.class, "default", "a").orElseThrow()));
        backing.delete(ResourceKind.POD, "default", "b", null);
        await().atMost(WAIT).until(() -> recorder.log.size() == 4);

        assertThat(recorder.log).containsExactly("replaced [a]", "put b", "put a", "removed b");
        assertThat(names(mirror.items())).containsExactly("a");
        assertThat(mirror.items().getFirst().metadata().labels()).containsEntry("v", "2");
        assertThat(recorder.changes.get()).as("one call per delivery, none for the first list").isEqualTo(3);
    }

    @Test
    void itemsStayTheSameObjectUntilSomethingChanges() {
        backing.create(pod("a"));
        mirror.start();
        List<Pod> first = mirror.items();
        assertThat(mirror.items()).isSameAs(first);
        backing.create(pod("b"));
        await().atMost(WAIT).until(() -> mirror.items() != first);
        assertThat(names(mirror.items())).containsExactlyInAnyOrder("a", "b");
        assertThatThrownBy(() -> mirror.items().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aWatchWhoseRevisionWasCompactedAwayListsAgainAndCarriesOn() {
        backing.create(pod("a"));
        mirror.list();
        backing.create(pod("b"));
        backing.delete(ResourceKind.POD, "default", "a", null);
        store.compact(store.revision());
        mirror.watch();

        await().atMost(WAIT).until(() -> recorder.log.contains("replaced [b]"));
        assertThat(names(mirror.items())).containsExactly("b");
        await().atMost(WAIT).until(() -> recorder.changes.get() == 1);
        backing.create(pod("c"));
        await().atMost(WAIT).until(() -> recorder.log.contains("put c"));
        assertThat(names(mirror.items())).containsExactlyInAnyOrder("b", "c");
    }

    @Test
    void aBrokenWatchListsAgainAfterAPauseAndKeepsTryingWhileListsFail() {
        mirror.start();
        registry.failLists(3);
        backing.create(pod("a"));
        registry.lastWatcher().onError(new IllegalStateException("connection reset"));

        // The live watch may deliver "put a" before it breaks; what counts is the list that finally succeeds.
        await().atMost(WAIT).until(() -> registry.failedLists.get() == 3 && !recorder.log.isEmpty()
                && recorder.log.getLast().equals("replaced [a]"));
        assertThat(names(mirror.items())).containsExactly("a");
        backing.create(pod("b"));
        await().atMost(WAIT).until(() -> recorder.log.contains("put b"));
    }

    @Test
    void eventsOfAWatchThatANewerListReplacedAreDropped() {
        mirror.start();
        ResourceWatcher stale = registry.lastWatcher();
        stale.onExpired("compacted");
        await().atMost(WAIT).until(() -> registry.watchers.size() == 2);

        Pod ghost = backing.create(pod("ghost"));
        await().atMost(WAIT).until(() -> recorder.log.contains("put ghost"));
        int before = recorder.log.size();
        stale.onEvents(List.of(new ResourceEvent(ResourceEvent.Type.DELETED, ghost, store.revision())));
        assertThat(recorder.log).hasSize(before);
        assertThat(names(mirror.items())).containsExactly("ghost");
    }

    @Test
    void aDeleteOfAnObjectItNeverHeldIsNotReported() {
        mirror.start();
        registry.lastWatcher().onEvents(List.of(new ResourceEvent(ResourceEvent.Type.DELETED, pod("never"), store.revision() + 1)));
        assertThat(recorder.log).containsExactly("replaced []");
    }

    @Test
    void afterCloseTheListenerHearsNothingAndNoRelistHappens() {
        mirror.start();
        ResourceWatcher watcher = registry.lastWatcher();
        mirror.close();
        int lists = registry.lists.get();
        watcher.onExpired("compacted");
        watcher.onEvents(List.of(new ResourceEvent(ResourceEvent.Type.ADDED, pod("late"), store.revision() + 1)));
        backing.create(pod("after"));
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> true);
        assertThat(registry.lists.get()).isEqualTo(lists);
        assertThat(recorder.log).containsExactly("replaced []");
        assertThat(registry.openWatches()).isZero();
    }

    @Test
    void aFirstListThatFailsThrowsWhatTheRegistrySaid() {
        registry.failLists(1);
        assertThatThrownBy(mirror::start).isInstanceOf(ApiException.class).hasMessageContaining("store unavailable");
        assertThat(registry.watchers).isEmpty();
    }

    private static Pod pod(String name) {
        return Pod.of(ObjectMeta.named("default", name), new PodSpec(null, null, List.of(), List.of(), List.of()));
    }

    private static Pod relabelled(Pod pod) {
        return pod.withMetadata(pod.metadata().withLabels(Map.of("v", "2")));
    }

    private static List<String> names(List<? extends Resource> items) {
        return items.stream().map(Resource::name).sorted().toList();
    }

    /** What the mirror told its listener, as short lines. */
    private static final class Recorder implements MirrorListener<Pod> {
        final List<String> log = new CopyOnWriteArrayList<>();
        final AtomicInteger changes = new AtomicInteger();

        @Override
        public void replaced(List<Pod> items) {
            log.add("replaced " + names(items));
        }

        @Override
        public void put(Pod item) {
            log.add("put " + item.name());
        }

        @Override
        public void removed(Pod last) {
            log.add("removed " + last.name());
        }

        @Override
        public void changed() {
            changes.incrementAndGet();
        }
    }

    /** The real registry, whose lists can be made to fail and whose watchers the test can call. */
    private static final class FlakyRegistry implements ResourceRegistry {
        private final ResourceRegistry delegate;
        final AtomicInteger lists = new AtomicInteger();
        final AtomicInteger failedLists = new AtomicInteger();
        private final AtomicInteger listsToFail = new AtomicInteger();
        final List<ResourceWatcher> watchers = new CopyOnWriteArrayList<>();
        private final List<Watch> watches = new CopyOnWriteArrayList<>();
        private final AtomicInteger closedWatches = new AtomicInteger();

        FlakyRegistry(ResourceRegistry delegate) {
            this.delegate = delegate;
        }

        void failLists(int count) {
            listsToFail.set(count);
        }

        ResourceWatcher lastWatcher() {
            assertThat(watchers).as("watches started").isNotEmpty();
            return watchers.getLast();
        }

        int openWatches() {
            return watches.size() - closedWatches.get();
        }

        @Override
        public <T extends Resource> ResourceList<T> list(ResourceKind kind, String namespace, LabelSelector selector) {
            lists.incrementAndGet();
            if (listsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                failedLists.incrementAndGet();
                throw new ApiException(ApiException.Reason.SERVICE_UNAVAILABLE, "store unavailable (test)");
            }
            return delegate.list(kind, namespace, selector);
        }

        @Override
        public Watch watch(ResourceKind kind, String namespace, LabelSelector selector, long from, ResourceWatcher watcher) {
            watchers.add(watcher);
            Watch real = delegate.watch(kind, namespace, selector, from, watcher);
            Watch counted = () -> {
                closedWatches.incrementAndGet();
                real.close();
            };
            watches.add(counted);
            return counted;
        }

        @Override
        public <T extends Resource> T create(T resource) {
            return delegate.create(resource);
        }

        @Override
        public <T extends Resource> T replace(T resource) {
            return delegate.replace(resource);
        }

        @Override
        public <T extends Resource> T replaceStatus(T resource) {
            return delegate.replaceStatus(resource);
        }

        @Override
        public Resource patch(ResourceKind kind, String namespace, String name, JsonNode mergePatch) {
            return delegate.patch(kind, namespace, name, mergePatch);
        }

        @Override
        public Resource delete(ResourceKind kind, String namespace, String name, String resourceVersion) {
            return delegate.delete(kind, namespace, name, resourceVersion);
        }

        @Override
        public Optional<Resource> get(ResourceKind kind, String namespace, String name) {
            return delegate.get(kind, namespace, name);
        }
    }
}
