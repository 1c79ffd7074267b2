package io.drover.controllers.leader;

import io.drover.store.Compare;
import io.drover.store.KeyValueStore;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * One term of leadership of one candidate: from the moment its leader key was created (at {@link #revision()})
 * until it stepped down or the key went away. A term ends only once; a candidate elected again gets a new term.
 *
 * <p>Leader-only components write through {@link #fence(KeyValueStore)}: each of their writes carries, in the same
 * transaction, the compare "the leader key still has the create revision of this term", so a write the store
 * commits was made by the leader of that moment, even when this process has not noticed yet that it lost the
 * leadership (a long pause, an expired lease). After the term has ended locally, writes fail at once.
 */
public final class Term {

    private final String key;
    private final long revision;
    private final long lease;
    private final Candidate leader;
    private final Instant since;
    /** Told when a fenced write finds that the store has another leader key (the election steps down). */
    private final BiConsumer<Term, String> lost;
    /** Null while the term lasts; why it ended afterwards. */
    private final AtomicReference<String> ended = new AtomicReference<>();

    Term(String key, long revision, long lease, Candidate leader, Instant since, BiConsumer<Term, String> lost) {
        this.key = key;
        this.lost = lost;
        this.revision = revision;
        this.lease = lease;
        this.leader = leader;
        this.since = since;
    }

    /** The election's key in the store. */
    public String key() {
        return key;
    }

    /** The leader key's create revision: tells this term apart from every other, in the store too. */
    public long revision() {
        return revision;
    }

    /** The lease the leader key is attached to. */
    public long lease() {
        return lease;
    }

    public Candidate leader() {
        return leader;
    }

    public Instant since() {
        return since;
    }

    /** Whether this process still considers itself the leader of this term. */
    public boolean active() {
        return ended.get() == null;
    }

    /** Why the term ended, or null while it lasts. */
    public String endReason() {
        return ended.get();
    }

    /** {@code store} as seen by a leader-only component: every write is fenced by this term (see the class comment). */
    public KeyValueStore fence(KeyValueStore store) {
        return new FencedKeyValueStore(store, this);
    }

    /** The compare that holds while the store still has this term's leader key. */
    Compare stillLeader() {
        return new Compare(key, Compare.Target.CREATE_REVISION, Compare.Result.EQUAL, revision);
    }

    /** Fails with a {@link NotLeaderException} when the term has ended. */
    void requireActive() {
        String reason = ended.get();
        if (reason != null) {
            throw notLeader(reason);
        }
    }

    NotLeaderException notLeader(String reason) {
        return new NotLeaderException("this server is no longer the leader (term " + revision + " of " + leader.id()
                + " ended: " + reason + "); only the leader's controllers write, and the new leader's take over");
    }

    /** The store says the term is over: the election steps down (at once, on another thread). */
    void lost(String reason) {
        lost.accept(this, reason);
    }

    /** Ends the term; true only for the call that ended it. */
    boolean end(String reason) {
        return ended.compareAndSet(null, reason);
    }

    @Override
    public String toString() {
        return "term " + revision + " of " + leader.id() + (active() ? "" : " (ended: " + ended.get() + ")");
    }
}
