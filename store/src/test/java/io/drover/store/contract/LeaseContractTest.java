package io.drover.store.contract;

import static io.drover.store.contract.ContractSupport.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.store.Compare;
import io.drover.store.KeyValue;
import io.drover.store.Op;
import io.drover.store.StoreException;
import io.drover.store.Txn;
import io.drover.store.TxnResult;
import io.drover.store.WatchEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Leases: keys attached to them are deleted, in one revision, when they expire or are revoked. */
public abstract class LeaseContractTest extends StoreContractTest {
    private static final Duration TTL = Duration.ofSeconds(1);

    @Test
    public void keysOfAnExpiredLeaseAreDeletedInOneRevisionAndWatchersSeeTheDeletes() {
        long lease = store.grantLease(TTL);
        assertThat(lease).isPositive();
        store.txn(Txn.when().then(new Op.Put("/node/a", bytes("up"), lease), new Op.Put("/node/b", bytes("up"), lease)));
        store.put("/node/c", bytes("no lease"));
        KeyValue a = store.get("/node/a").orElseThrow();
        assertThat(a.lease()).isEqualTo(lease);
        RecordingListener watcher = new RecordingListener();
        store.watch("/node/", 0, watcher);

        long granted = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).until(() -> store.get("/node/a").isEmpty());
        assertThat(Duration.ofNanos(System.nanoTime() - granted)).isGreaterThanOrEqualTo(TTL.minusMillis(100));
        assertThat(store.get("/node/b")).isEmpty();
        assertThat(store.get("/node/c")).isPresent();
        assertThat(store.revision()).isEqualTo(rev(3));

        await().atMost(Duration.ofSeconds(5)).until(() -> watcher.lastRevision() == rev(3));
        assertThat(watcher.deliveries).hasSize(1);
        assertThat(watcher.events()).extracting(WatchEvent::type).containsOnly(WatchEvent.Type.DELETE);
        assertThat(watcher.events()).extracting(e -> e.prevKv().key()).containsExactly("/node/a", "/node/b");

        assertThatThrownBy(() -> store.keepAlive(lease)).isInstanceOf(StoreException.class)
                .hasMessageContaining("lease " + lease);
    }

    @Test
    public void keepAliveExtendsALease() throws Exception {
        long lease = store.grantLease(Duration.ofMillis(1500));
        store.txn(Txn.when().then(new Op.Put("/k", bytes("v"), lease)));
        for (int i = 0; i < 8; i++) {
            Thread.sleep(300);
            store.keepAlive(lease);
        }
        // 2.4 s after the grant, well past the 1.5 s TTL (etcd rounds it up to 2 s), the key is alive thanks to the
        // keep-alives.
        assertThat(store.get("/k")).isPresent();
        await().atMost(Duration.ofSeconds(5)).until(() -> store.get("/k").isEmpty());
    }

    @Test
    public void revokeDeletesTheKeysAtOnceInOneRevision() {
        long lease = store.grantLease(Duration.ofMinutes(5));
        store.txn(Txn.when().then(new Op.Put("/r/1", bytes("1"), lease), new Op.Put("/r/2", bytes("2"), lease)));
        long before = store.revision();
        store.revokeLease(lease);
        assertThat(store.range("/r/").kvs()).isEmpty();
        assertThat(store.revision()).isEqualTo(before + 1);
        assertThatThrownBy(() -> store.revokeLease(lease)).isInstanceOf(StoreException.class)
                .hasMessageContaining("not found");
        assertThatThrownBy(() -> store.keepAlive(lease)).isInstanceOf(StoreException.class);
    }

    @Test
    public void revokingALeaseWithoutKeysDoesNotAdvanceTheRevision() {
        store.put("/k", bytes("v"));
        long lease = store.grantLease(Duration.ofMinutes(5));
        store.revokeLease(lease);
        assertThat(store.revision()).isEqualTo(rev(1));
    }

    @Test
    public void aKeyRewrittenWithoutTheLeaseOutlivesIt() {
        long lease = store.grantLease(Duration.ofMinutes(5));
        store.txn(Txn.when().then(new Op.Put("/k", bytes("leased"), lease)));
        KeyValue detached = store.put("/k", bytes("mine now"));
        assertThat(detached.lease()).isZero();
        store.revokeLease(lease);
        assertThat(store.get("/k")).contains(detached);
    }

    @Test
    public void aPutWithAnUnknownLeaseIsRefusedAndChangesNothing() {
        store.put("/k", bytes("v"));
        assertThatThrownBy(() -> store.txn(Txn.when().then(Op.delete("/k"), new Op.Put("/x", bytes("x"), 777))))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("lease 777 not found");
        assertThat(store.get("/k")).isPresent();
        assertThat(store.get("/x")).isEmpty();
        assertThat(store.revision()).isEqualTo(rev(1));

        long revoked = store.grantLease(Duration.ofMinutes(1));
        store.revokeLease(revoked);
        assertThatThrownBy(() -> store.txn(Txn.when().then(new Op.Put("/x", bytes("x"), revoked))))
                .isInstanceOf(StoreException.class).hasMessageContaining("lease " + revoked + " not found");
    }

    @Test
    public void leaseIdsAreDistinctAndUnknownOnesAreRefused() {
        long a = store.grantLease(Duration.ofSeconds(30));
        long b = store.grantLease(Duration.ofSeconds(30));
        assertThat(a).isNotEqualTo(b);
        assertThatThrownBy(() -> store.keepAlive(12345)).isInstanceOf(StoreException.class)
                .hasMessageContaining("lease 12345 not found");
        assertThatThrownBy(() -> store.grantLease(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    public void aLeaseCompareSeesTheAttachedLease() {
        long lease = store.grantLease(Duration.ofMinutes(1));
        store.txn(Txn.when().then(new Op.Put("/k", bytes("v"), lease)));
        TxnResult r = store.txn(Txn.when(new Compare("/k", Compare.Target.LEASE, Compare.Result.EQUAL, lease)));
        assertThat(r.succeeded()).isTrue();
    }

    @Test
    public void leaseComparesGuardATxnLikeAnyOtherCompare() {
        long lease = store.grantLease(Duration.ofMinutes(1));
        store.txn(Txn.when().then(new Op.Put("/k", bytes("v"), lease)));
        TxnResult refused = store.txn(Txn.when(
                        new Compare("/k", Compare.Target.LEASE, Compare.Result.NOT_EQUAL, lease), Compare.present("/k"))
                .then(Op.put("/then", bytes("1")))
                .orElse(Op.put("/else", bytes("1")), Op.get("/k")));
        assertThat(refused.succeeded()).isFalse();
        assertThat(refused.revision()).isEqualTo(rev(2));
        assertThat(refused.results()).hasSize(2);
        assertThat(refused.results().get(0)).isEqualTo(new KeyValue("/else", bytes("1"), rev(2), rev(2), 1, 0));
        assertThat(refused.results().get(1).lease()).isEqualTo(lease);
        assertThat(store.get("/then")).isEmpty();

        TxnResult held = store.txn(Txn.when(
                        new Compare("/k", Compare.Target.LEASE, Compare.Result.GREATER, 0),
                        new Compare("/absent", Compare.Target.LEASE, Compare.Result.EQUAL, 0),
                        new Compare("/k", Compare.Target.LEASE, Compare.Result.LESS, lease + 1))
                .then(Op.delete("/k")));
        assertThat(held.succeeded()).isTrue();
        assertThat(held.revision()).isEqualTo(rev(3));
        assertThat(held.results().getFirst().lease()).isEqualTo(lease);
        assertThat(store.get("/k")).isEmpty();
    }
}
