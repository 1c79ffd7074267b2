package io.drover.controllers.leader;

import io.drover.store.Compare;
import io.drover.store.ForwardingKeyValueStore;
import io.drover.store.KeyValue;
import io.drover.store.KeyValueStore;
import io.drover.store.Op;
import io.drover.store.Txn;
import io.drover.store.TxnResult;
import java.util.ArrayList;
import java.util.List;

/**
 * A store whose writes only happen while a {@link Term} lasts, checked by the store itself: a transaction that
 * writes gets one more compare, "the leader key still has this term's create revision", and one more read in its
 * failure branch, of the leader key. When the other compares fail the caller gets its failure result as if
 * nothing were added; when the term's compare fails it gets a {@link NotLeaderException} (nothing was written).
 *
 * <p>Reads, watches and leases pass through; so do writes in a failure branch, which no Drover component makes
 * (their failure branches only read). Closing it does not close the store underneath: that belongs to its owner.
 */
final class FencedKeyValueStore extends ForwardingKeyValueStore {

    private final Term term;

    FencedKeyValueStore(KeyValueStore store, Term term) {
        super(store);
        this.term = term;
    }

    @Override
    public TxnResult txn(Txn txn) {
        if (!writes(txn.success())) {
            return delegate().txn(txn);
        }
        term.requireActive();
        Compare fence = term.stillLeader();
        List<Compare> compares = new ArrayList<>(txn.compares());
        compares.add(fence);
        List<Op> failure = new ArrayList<>(txn.failure());
        failure.add(Op.get(term.key()));
        TxnResult result = delegate().txn(new Txn(compares, txn.success(), failure));
        if (result.succeeded()) {
            return result;
        }
        KeyValue leaderKey = result.results().getLast();
        if (!fence.holdsFor(leaderKey)) {
            term.requireActive();
            String reason = leaderKey == null ? "the store no longer has its leader key (its lease expired)"
                    : "the leader key belongs to term " + leaderKey.createRevision() + " now";
            term.lost(reason);
            throw term.notLeader(reason);
        }
        return new TxnResult(false, result.revision(), result.results().subList(0, result.results().size() - 1));
    }

    private static boolean writes(List<Op> ops) {
        for (Op op : ops) {
            if (!(op instanceof Op.Get)) {
                return true;
            }
        }
        return false;
    }

    /** Does not close the store underneath. */
    @Override
    public void close() {}

    @Override
    public String toString() {
        return delegate() + " fenced by " + term;
    }
}
