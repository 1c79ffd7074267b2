package io.drover.store.contract;

import static io.drover.store.contract.ContractSupport.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.store.Compare;
import io.drover.store.KeyValue;
import io.drover.store.Op;
import io.drover.store.RangeResult;
import io.drover.store.StoreException;
import io.drover.store.Txn;
import io.drover.store.TxnResult;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Keys, revisions, ranges and transactions: what every {@link io.drover.store.KeyValueStore} does alike. */
public abstract class KeyValueContractTest extends StoreContractTest {
    @Test
    public void aNewStoreIsEmpty() {
        assertThat(store.get("/a")).isEmpty();
        RangeResult all = store.range("");
        assertThat(all.kvs()).isEmpty();
        assertThat(all.revision()).isEqualTo(base);
        assertThat(store.revision()).isEqualTo(base);
        assertThat(store.compactRevision()).isLessThanOrEqualTo(base);
    }

    @Test
    public void putThenGetReturnsTheValueWithEtcdRevisions() {
        KeyValue created = store.put("/a", bytes("one"));
        assertThat(created).isEqualTo(new KeyValue("/a", bytes("one"), rev(1), rev(1), 1, 0));
        assertThat(store.revision()).isEqualTo(rev(1));
        assertThat(store.get("/a")).contains(created);

        KeyValue updated = store.put("/a", bytes("two"));
        assertThat(updated).isEqualTo(new KeyValue("/a", bytes("two"), rev(1), rev(2), 2, 0));
        assertThat(store.get("/a")).contains(updated);

        store.put("/b", bytes("x"));
        assertThat(store.get("/b").orElseThrow().createRevision()).isEqualTo(rev(3));
        assertThat(store.get("/a")).contains(updated);
        assertThat(store.revision()).isEqualTo(rev(3));
    }

    @Test
    public void deletingAndRecreatingAKeyResetsCreateRevisionAndVersion() {
        store.put("/k", bytes("1"));
        store.put("/k", bytes("2"));
        TxnResult deleted = store.txn(Txn.when().then(Op.delete("/k")));
        assertThat(deleted.revision()).isEqualTo(rev(3));
        assertThat(deleted.results()).containsExactly(new KeyValue("/k", bytes("2"), rev(1), rev(2), 2, 0));
        assertThat(store.get("/k")).isEmpty();

        KeyValue recreated = store.put("/k", bytes("3"));
        assertThat(recreated).isEqualTo(new KeyValue("/k", bytes("3"), rev(4), rev(4), 1, 0));
    }

    @Test
    public void rangeReturnsKeysUnderThePrefixInKeyOrder() {
        for (String key : new String[] {"/a/2", "/ab", "/a/10", "/a/1", "/a", "/b/1", "/a/", "/a0"}) {
            store.put(key, bytes(key));
        }
        RangeResult a = store.range("/a/");
        assertThat(a.kvs()).extracting(KeyValue::key).containsExactly("/a/", "/a/1", "/a/10", "/a/2");
        assertThat(a.revision()).isEqualTo(rev(8));
        assertThat(store.range("/a").kvs()).extracting(KeyValue::key)
                .containsExactly("/a", "/a/", "/a/1", "/a/10", "/a/2", "/a0", "/ab");
        assertThat(store.range("/c").kvs()).isEmpty();
        assertThat(store.range("").kvs()).hasSize(8);
        assertThat(store.list("/b/")).extracting(KeyValue::valueAsString).containsExactly("/b/1");
    }

    @Test
    public void keysAreOrderedBytewiseLikeEtcd() {
        // String.compareTo (UTF-16) puts the emoji (surrogates D83D DE00) before U+FF21; etcd compares bytes, and
        // in UTF-8 U+FF21 (EF BC A1) comes before the emoji (F0 9F 98 80).
        String fullwidth = "/u/\uFF21";
        String emoji = "/u/\uD83D\uDE00";
        store.put(emoji, bytes("e"));
        store.put(fullwidth, bytes("f"));
        store.put("/u/a", bytes("a"));
        assertThat(store.range("/u/").kvs()).extracting(KeyValue::key).containsExactly("/u/a", fullwidth, emoji);
        assertThat(store.get(emoji).orElseThrow().valueAsString()).isEqualTo("e");
    }

    @Test
    public void valuesRoundTripExactlyIncludingEmptyAndBinary() {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        store.put("/bin", binary);
        store.put("/empty", new byte[0]);
        assertThat(store.get("/bin").orElseThrow().value()).isEqualTo(binary);
        assertThat(store.get("/empty").orElseThrow().value()).isEmpty();
    }

    @Test
    public void theStoreKeepsItsOwnCopyOfAPutValue() {
        byte[] value = bytes("original");
        store.put("/k", value);
        Arrays.fill(value, (byte) 'x');
        assertThat(store.get("/k").orElseThrow().valueAsString()).isEqualTo("original");
    }

    @Test
    public void txnRunsTheSuccessBranchWhenEveryCompareHolds() {
        KeyValue a = store.put("/a", bytes("1"));
        TxnResult r = store.txn(Txn.when(Compare.modRevisionIs("/a", a.modRevision()), Compare.absent("/b"))
                .then(Op.put("/b", bytes("2")), Op.get("/a"))
                .orElse(Op.put("/failed", bytes("x"))));
        assertThat(r.succeeded()).isTrue();
        assertThat(r.revision()).isEqualTo(rev(2));
        assertThat(r.results()).containsExactly(new KeyValue("/b", bytes("2"), rev(2), rev(2), 1, 0), a);
        assertThat(store.get("/failed")).isEmpty();
    }

    @Test
    public void txnRunsTheFailureBranchWhenACompareFails() {
        store.put("/a", bytes("1"));
        TxnResult r = store.txn(Txn.when(Compare.present("/a"), Compare.modRevisionIs("/a", rev(99)))
                .then(Op.put("/b", bytes("2")))
                .orElse(Op.get("/a"), Op.put("/conflict", bytes("yes"))));
        assertThat(r.succeeded()).isFalse();
        assertThat(r.revision()).isEqualTo(rev(2));
        assertThat(r.results()).hasSize(2);
        assertThat(r.results().get(0).valueAsString()).isEqualTo("1");
        assertThat(r.results().get(1).key()).isEqualTo("/conflict");
        assertThat(store.get("/b")).isEmpty();
        assertThat(store.get("/conflict")).isPresent();
    }

    @Test
    public void comparesCoverEveryTargetAndResult() {
        store.put("/k", bytes("1"));
        store.put("/k", bytes("2")); // create rev(1), mod rev(2), version 2
        assertThat(holds(new Compare("/k", Compare.Target.CREATE_REVISION, Compare.Result.EQUAL, rev(1)))).isTrue();
        assertThat(holds(new Compare("/k", Compare.Target.MOD_REVISION, Compare.Result.GREATER, rev(1)))).isTrue();
        assertThat(holds(new Compare("/k", Compare.Target.MOD_REVISION, Compare.Result.LESS, rev(2)))).isFalse();
        assertThat(holds(new Compare("/k", Compare.Target.VERSION, Compare.Result.EQUAL, 2))).isTrue();
        assertThat(holds(new Compare("/k", Compare.Target.VERSION, Compare.Result.NOT_EQUAL, 2))).isFalse();
        assertThat(holds(new Compare("/k", Compare.Target.LEASE, Compare.Result.EQUAL, 0))).isTrue();
        // An absent key has every field 0.
        assertThat(holds(new Compare("/none", Compare.Target.VERSION, Compare.Result.EQUAL, 0))).isTrue();
        assertThat(holds(Compare.absent("/none"))).isTrue();
        assertThat(holds(Compare.present("/none"))).isFalse();
    }

    @Test
    public void allOpsOfATxnShareOneRevisionAndOneCommit() {
        store.put("/x/1", bytes("a"));
        store.put("/x/2", bytes("b"));
        store.put("/y", bytes("c"));
        TxnResult r = store.txn(Txn.when().then(
                Op.put("/z", bytes("d")),
                new Op.DeletePrefix("/x/"),
                Op.delete("/y"),
                Op.delete("/absent")));
        assertThat(r.revision()).isEqualTo(rev(4));
        assertThat(r.results()).hasSize(4);
        assertThat(r.results().get(0).modRevision()).isEqualTo(rev(4));
        assertThat(r.results().get(1)).isNull();
        assertThat(r.results().get(2).valueAsString()).isEqualTo("c");
        assertThat(r.results().get(3)).isNull();
        assertThat(store.range("").kvs()).extracting(KeyValue::key).containsExactly("/z");
        assertThat(store.revision()).isEqualTo(rev(4));
    }

    @Test
    public void aGetInsideATxnSeesTheTxnsEarlierWrites() {
        TxnResult r = store.txn(Txn.when().then(Op.get("/k"), Op.put("/k", bytes("v")), Op.get("/k")));
        assertThat(r.results().get(0)).isNull();
        assertThat(r.results().get(2)).isEqualTo(new KeyValue("/k", bytes("v"), rev(1), rev(1), 1, 0));
    }

    @Test
    public void aTxnThatWritesNothingDoesNotAdvanceTheRevision() {
        store.put("/k", bytes("v"));
        TxnResult readOnly = store.txn(Txn.when().then(Op.get("/k")));
        assertThat(readOnly.revision()).isEqualTo(rev(1));
        TxnResult deleteAbsent = store.txn(Txn.when().then(Op.delete("/nope"), new Op.DeletePrefix("/nothing/")));
        assertThat(deleteAbsent.revision()).isEqualTo(rev(1));
        TxnResult failedEmpty = store.txn(Txn.when(Compare.absent("/k")).then(Op.put("/k", bytes("x"))));
        assertThat(failedEmpty.succeeded()).isFalse();
        assertThat(failedEmpty.revision()).isEqualTo(rev(1));
        assertThat(failedEmpty.results()).isEmpty();
        assertThat(store.revision()).isEqualTo(rev(1));
        assertThat(store.put("/k2", bytes("v")).modRevision()).isEqualTo(rev(2));
    }

    @Test
    public void putIfAndDeleteIfAreCompareAndSwap() {
        assertThat(store.putIf("/k", bytes("1"), 0)).isPresent();
        assertThat(store.putIf("/k", bytes("again"), 0)).isEmpty();
        KeyValue current = store.get("/k").orElseThrow();
        assertThat(store.putIf("/k", bytes("2"), current.modRevision() + 5)).isEmpty();
        KeyValue next = store.putIf("/k", bytes("2"), current.modRevision()).orElseThrow();
        assertThat(next.version()).isEqualTo(2);
        assertThat(store.deleteIf("/k", current.modRevision())).isFalse();
        assertThat(store.deleteIf("/k", next.modRevision())).isTrue();
        assertThat(store.deleteIf("/k", next.modRevision())).isFalse();
        assertThat(store.get("/k")).isEmpty();
    }

    @Test
    public void malformedTxnsAreRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> store.txn(Txn.when().then(Op.put("/k", bytes("1")), Op.put("/k", bytes("2")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/k");
        assertThatThrownBy(() -> store.txn(Txn.when().then(Op.put("/p/k", bytes("1")), new Op.DeletePrefix("/p/"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.txn(Txn.when().then(Op.put("", bytes("1")))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.txn(Txn.when().orElse(Op.delete("/k"), Op.put("/k", bytes("1")))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.revision()).isEqualTo(base);
    }

    @Test
    public void operationsAfterCloseFailWithAStoreException() {
        store.put("/k", bytes("v"));
        store.close();
        store.close(); // idempotent
        assertThatThrownBy(() -> store.get("/k")).isInstanceOf(StoreException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.put("/k", bytes("v"))).isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> store.range("/")).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.grantLease(Duration.ofSeconds(1))).isInstanceOf(StoreException.class);
    }

    private boolean holds(Compare compare) {
        return store.txn(Txn.when(compare)).succeeded();
    }
}
