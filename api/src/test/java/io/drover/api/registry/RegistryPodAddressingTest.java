package io.drover.api.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.api.ApiException;
import io.drover.api.ApiException.Reason;
import io.drover.api.ResourceEvent;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import io.drover.model.pod.PodStatus.PodAddress;
import io.drover.store.Compare;
import io.drover.store.ForwardingKeyValueStore;
import io.drover.store.KeyValueStore;
import io.drover.store.Op;
import io.drover.store.StoreException;
import io.drover.store.Txn;
import io.drover.store.TxnResult;
import io.drover.store.Watch;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A registry with a {@link PodAddressing}: pods addressed in their create, and given back when the create fails. */
class RegistryPodAddressingTest extends RegistryFixture {

    private static final String HOLDS = "/test/holds/";

    /**
     * Addresses every pod that names a node, as {@link #statusFor} says, holding a key of its own under {@link #HOLDS};
     * records what it was asked.
     */
    private final class FakeAddressing implements PodAddressing {
        final List<String> allocated = new CopyOnWriteArrayList<>();
        final List<String> released = new CopyOnWriteArrayList<>();
        /** Runs before the allocation (may throw: the allocation fails) and after it (may break the hold). */
        Consumer<Pod> before = p -> {};
        Consumer<Pod> after = p -> {};

        @Override
        public Optional<Addressed> allocate(Pod pod) {
            allocated.add(pod.metadata().uid());
            if (pod.spec().node() == null) {
                return Optional.empty();
            }
            before.accept(pod);
            String hold = HOLDS + pod.metadata().uid();
            store.put(hold, new byte[0]);
            Addressed out = new Addressed(statusFor(allocated.size()), List.of(Compare.present(hold)));
            after.accept(pod);
            return Optional.of(out);
        }

        @Override
        public void release(Pod pod) {
            released.add(pod.metadata().uid());
            deleteHold(pod.metadata().uid());
        }
    }

    private void deleteHold(String uid) {
        store.txn(Txn.when().then(Op.delete(HOLDS + uid)));
    }

    private static PodStatus statusFor(int call) {
        return new PodStatus(PodStatus.ALLOCATED, List.of(new PodAddress("blue", "eth0", "10.10.0." + (call + 1), 24, "10.10.0.1")), null);
    }

    private FakeAddressing addressing;
    private StoreResourceRegistry addressed;

    @BeforeEach
    void addressPods() {
        registry.create(network("blue", "10.10.0.0/24"));
        addressing = new FakeAddressing();
        addressed = registry.withPodAddressing(addressing);
    }

    private static Pod placed(String name) {
        return Pod.of(ObjectMeta.named("default", name), PodSpec.on("node-1", "blue"));
    }

    @Test
    void aCreatedPodIsStoredAndReturnedWithItsAddressesAndWatchersSeeThemInTheirFirstEvent() {
        Recorder recorder = new Recorder();
        Watch watch = registry.watch(ResourceKind.POD, "default", null, store.revision(), recorder);
        try {
            Pod created = addressed.create(placed("web"));

            assertThat(created.status()).isEqualTo(statusFor(1));
            assertThat(addressing.allocated).containsExactly(created.metadata().uid());
            assertThat(registry.get(Pod.class, "default", "web").orElseThrow()).isEqualTo(created);
            await().atMost(Duration.ofSeconds(5)).until(() -> !recorder.events.isEmpty());
            ResourceEvent first = recorder.events.getFirst();
            assertThat(first.type()).isEqualTo(ResourceEvent.Type.ADDED);
            assertThat(((Pod) first.object()).status()).isEqualTo(statusFor(1));
            assertThat(addressing.released).isEmpty();
        } finally {
            watch.close();
        }
    }

    @Test
    void onlyTheAllocationsStatusIsStoredNotTheOneSent() {
        Pod sent = placed("web").withStatus(new PodStatus(PodStatus.ALLOCATED,
                List.of(new PodAddress("blue", "eth0", "10.10.0.99", 24, "10.10.0.1")), null));
        assertThat(addressed.create(sent).status()).isEqualTo(statusFor(1));

        Pod unplaced = Pod.of(ObjectMeta.named("default", "later"), new PodSpec(null, null, List.of("blue"), List.of(), List.of()))
                .withStatus(sent.status());
        Pod created = addressed.create(unplaced);
        assertThat(created.status()).as("a pod the addressing leaves alone is stored without status, as before").isNull();
        assertThat(registry.get(Pod.class, "default", "later").orElseThrow().status()).isNull();
    }

    @Test
    void aPodWhoseAddressesCannotBeAllocatedIsStillCreatedWithoutStatusForTheController() {
        addressing.before = p -> {
            throw new IllegalStateException("network blue has no free IPv4 address");
        };

        Pod created = addressed.create(placed("web"));

        assertThat(created.status()).isNull();
        assertThat(registry.get(Pod.class, "default", "web").orElseThrow().status()).isNull();
        assertThat(addressing.released).as("a failed allocation holds nothing").isEmpty();
    }

    @Test
    void aCreateThatFindsTheNameTakenGivesTheAddressesBack() {
        Pod first = addressed.create(placed("web"));

        ApiException e = refusal(() -> addressed.create(placed("web")));

        assertThat(e.reason()).isEqualTo(Reason.ALREADY_EXISTS);
        String second = addressing.allocated.get(1);
        assertThat(second).isNotEqualTo(first.metadata().uid());
        assertThat(addressing.released).containsExactly(second);
        assertThat(store.get(HOLDS + second)).isEmpty();
        assertThat(registry.get(Pod.class, "default", "web").orElseThrow()).isEqualTo(first);
        assertThat(store.get(HOLDS + first.metadata().uid())).as("the first pod keeps its addresses").isPresent();
    }

    @Test
    void aCreateRefusedByItsGuardsGivesTheAddressesBack() {
        Pod elsewhere = Pod.of(ObjectMeta.named("missing", "web"), PodSpec.on("node-1", "blue"));

        ApiException e = refusal(() -> addressed.create(elsewhere));

        assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
        assertThat(e.getMessage()).contains("namespace \"missing\"");
        assertThat(addressing.released).containsExactlyElementsOf(addressing.allocated).hasSize(1);
    }

    @Test
    void aHoldLostBeforeTheWriteIsAllocatedAgainAndOnlyTheNewStatusIsStored() {
        AtomicBoolean lost = new AtomicBoolean();
        addressing.after = p -> {
            // As if the allocation were freed (by a garbage collector) between the allocation and the write.
            if (lost.compareAndSet(false, true)) {
                deleteHold(p.metadata().uid());
            }
        };

        Pod created = addressed.create(placed("web"));

        assertThat(addressing.allocated).containsExactly(created.metadata().uid(), created.metadata().uid());
        assertThat(created.status()).isEqualTo(statusFor(2));
        assertThat(registry.get(Pod.class, "default", "web").orElseThrow().status()).isEqualTo(statusFor(2));
        assertThat(addressing.released).isEmpty();
    }

    @Test
    void aWriteTheStoreMayHaveAppliedKeepsTheAddresses() {
        FailingTxns failing = new FailingTxns(store);
        StoreResourceRegistry flaky = new StoreResourceRegistry(failing).withPodAddressing(addressing);
        failing.failPodWrites = true;

        ApiException e = refusal(() -> flaky.create(placed("web")));

        assertThat(e.reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE);
        assertThat(addressing.allocated).hasSize(1);
        assertThat(addressing.released).as("the pod may be stored with them: the garbage collector judges").isEmpty();
    }

    /** A store whose transactions writing a pod fail as a timed-out write does: applied or not, nobody knows. */
    private static final class FailingTxns extends ForwardingKeyValueStore {
        volatile boolean failPodWrites;

        FailingTxns(KeyValueStore delegate) {
            super(delegate);
        }

        @Override
        public TxnResult txn(Txn txn) {
            boolean writesPod = txn.success().stream().anyMatch(op -> op instanceof Op.Put put
                    && put.key().startsWith(RegistryKeys.prefix(ResourceKind.POD, null)));
            if (failPodWrites && writesPod) {
                throw new StoreException("etcd request timed out");
            }
            return super.txn(txn);
        }
    }
}
