package io.drover.controllers.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.store.Compare;
import io.drover.store.KeyValue;
import io.drover.store.KeyValueStore;
import io.drover.store.Op;
import io.drover.store.Txn;
import io.drover.store.TxnResult;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store refuses a term's writes once its leader key is not the term's, even when the term has not noticed. */
class FencedKeyValueStoreTest {

    private static final String KEY = LeaderElection.KEY_PREFIX + "test";

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesLandOnlyWhileTheLeaderKeyIsTheTerms() {
        try (KeyValueStore store = SqliteKeyValueStore.open(dir)) {
            KeyValue leaderKey = store.put(KEY, bytes("{\"id\":\"a\"}"));
            List<String> lost = new ArrayList<>();
            Term term = new Term(KEY, leaderKey.createRevision(), 0, new Candidate("a", "h", 1, null), Instant.now(),
                    (t, reason) -> lost.add(reason));
            KeyValueStore fenced = term.fence(store);

            KeyValue written = fenced.put("/data/x", bytes("1"));
            TxnResult failed = fenced.txn(Txn.when(Compare.modRevisionIs("/data/x", written.modRevision() + 100))
                    .then(Op.put("/data/x", bytes("2"))).orElse(Op.get("/data/x")));
            assertThat(failed.succeeded()).isFalse();
            assertThat(failed.results()).as("the caller's failure reads, without the fence's").containsExactly(written);
            assertThat(fenced.txn(Txn.when().then(Op.get("/data/x"))).results()).containsExactly(written);

            // Another term took over: the key was deleted (lease expired) and created again.
            store.deleteIf(KEY, leaderKey.modRevision());
            store.put(KEY, bytes("{\"id\":\"b\"}"));
            assertThat(term.active()).as("this term has not noticed").isTrue();
            assertThatThrownBy(() -> fenced.put("/data/x", bytes("3"))).isInstanceOf(NotLeaderException.class)
                    .hasMessageContaining("the leader key belongs to term");
            assertThatThrownBy(() -> fenced.deleteIf("/data/x", written.modRevision()))
                    .isInstanceOf(NotLeaderException.class);
            assertThat(store.get("/data/x").orElseThrow().valueAsString()).isEqualTo("1");
            assertThat(lost).hasSize(2);
            fenced.close();
            assertThat(store.get("/data/x")).as("closing the fenced view leaves the store open").isPresent();
        }
    }
}
