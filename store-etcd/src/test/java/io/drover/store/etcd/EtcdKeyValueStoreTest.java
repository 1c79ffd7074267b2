package io.drover.store.etcd;

import static io.drover.store.contract.ContractSupport.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.store.KeyValue;
import io.drover.store.KeyValueStore;
import io.drover.store.Op;
import io.drover.store.RangeResult;
import io.drover.store.StoreException;
import io.drover.store.Txn;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What is particular to the etcd store: paged ranges, namespaces, etcd's limits. */
class EtcdKeyValueStoreTest {
    @RegisterExtension
    static final EtcdForTests etcd = new EtcdForTests();

    @Test
    void aRangeLargerThanOnePageIsReadWholeInKeyOrderAtOneRevision() {
        KeyValueStore store = etcd.newStore();
        int count = 2 * EtcdKeyValueStore.RANGE_PAGE + 7;
        List<String> keys = IntStream.range(0, count).mapToObj(i -> String.format("/big/%05d", i)).toList();
        for (int from = 0; from < count; from += 100) {
            List<Op> puts = new ArrayList<>();
            keys.subList(from, Math.min(count, from + 100)).forEach(k -> puts.add(Op.put(k, bytes(k))));
            store.txn(Txn.when().then(puts.toArray(Op[]::new)));
        }
        store.put("/bigger", bytes("outside the prefix"));
        RangeResult range = store.range("/big/");
        assertThat(range.kvs()).extracting(KeyValue::key).isEqualTo(keys);
        assertThat(range.revision()).isEqualTo(store.revision());
        assertThat(store.range("").kvs()).hasSize(count + 1);
    }

    @Test
    void storesInDifferentNamespacesDoNotSeeEachOthersKeysButShareRevisions() {
        try (KeyValueStore blue = EtcdKeyValueStore.open(etcd.options().withNamespace("/blue/"));
                KeyValueStore green = EtcdKeyValueStore.open(etcd.options().withNamespace("/green/"));
                KeyValueStore root = EtcdKeyValueStore.open(etcd.options())) {
            KeyValue b = blue.put("/k", bytes("blue"));
            KeyValue g = green.put("/k", bytes("green"));
            assertThat(g.modRevision()).isEqualTo(b.modRevision() + 1);
            assertThat(blue.range("").kvs()).extracting(KeyValue::valueAsString).containsExactly("blue");
            assertThat(green.get("/k").orElseThrow().valueAsString()).isEqualTo("green");
            assertThat(root.get("/blue//k").orElseThrow().valueAsString()).isEqualTo("blue");
            blue.txn(Txn.when().then(new Op.DeletePrefix("")));
            assertThat(green.get("/k")).isPresent();
        }
    }

    @Test
    void aTxnBeyondEtcdsOperationLimitIsRefusedNamingTheLimit() {
        KeyValueStore store = etcd.newStore();
        Op[] puts = IntStream.range(0, 129).mapToObj(i -> Op.put("/many/" + i, bytes("v"))).toArray(Op[]::new);
        assertThatThrownBy(() -> store.txn(Txn.when().then(puts))).isInstanceOf(StoreException.class)
                .hasMessageContaining("too many operations").hasMessageContaining("--max-txn-ops");
        assertThat(store.range("/many/").kvs()).isEmpty();
    }
}
