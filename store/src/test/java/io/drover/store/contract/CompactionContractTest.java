package io.drover.store.contract;

import static io.drover.store.contract.ContractSupport.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.store.CompactedException;
import io.drover.store.StoreException;
import org.junit.jupiter.api.Test;

/** Compaction: history up to a revision goes, current keys stay, and watches from before it are told. */
public abstract class CompactionContractTest extends StoreContractTest {
    @Test
    public void compactDropsHistoryUpToTheRevisionButKeepsCurrentKeys() {
        for (int i = 1; i <= 10; i++) {
            store.put("/k/" + (i % 3), bytes("v" + i));
        }
        store.compact(rev(7));
        assertThat(store.compactRevision()).isEqualTo(rev(7));
        assertThat(store.range("/k/").kvs()).hasSize(3);

        RecordingListener tooOld = new RecordingListener();
        store.watch("/k/", rev(7), tooOld);
        await().atMost(WAIT).until(() -> tooOld.compacted.get() != null);
        assertThat(tooOld.compacted.get()).isEqualTo(rev(7));

        RecordingListener oldest = new RecordingListener();
        store.watch("/k/", rev(8), oldest);
        await().atMost(WAIT).until(() -> oldest.lastRevision() == rev(10));
        assertThat(oldest.revisions()).containsExactly(rev(8), rev(9), rev(10));
    }

    @Test
    public void compactRefusesRevisionsAlreadyCompactedOrNotYetWritten() {
        for (int i = 0; i < 5; i++) {
            store.put("/k", bytes("v"));
        }
        store.compact(rev(3));
        assertThatThrownBy(() -> store.compact(rev(3))).isInstanceOf(CompactedException.class)
                .satisfies(e -> assertThat(((CompactedException) e).compactRevision()).isEqualTo(rev(3)));
        assertThatThrownBy(() -> store.compact(rev(6))).isInstanceOf(StoreException.class)
                .hasMessageContaining("only at revision " + rev(5));
        store.compact(rev(5));
        assertThat(store.compactRevision()).isEqualTo(rev(5));
        // Everything is compacted, yet watching from the next revision works.
        RecordingListener next = new RecordingListener();
        store.watch("", rev(6), next);
        store.put("/k", bytes("w"));
        await().atMost(WAIT).until(() -> next.lastRevision() == rev(6));
    }
}
