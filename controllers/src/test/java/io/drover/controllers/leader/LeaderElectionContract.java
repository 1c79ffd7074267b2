package io.drover.controllers.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.store.KeyValueStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The election's behaviour on a store: one leader among candidates, handover when it resigns and when it dies, and
 * fenced writes that stop with its term. Each store implementation runs it ({@link SqliteLeaderElectionTest},
 * {@link EtcdLeaderElectionTest}).
 */
abstract class LeaderElectionContract {

    static final Duration TTL = Duration.ofSeconds(1);

    private final List<LeaderElection> electors = new ArrayList<>();
    /** How many candidates run their leader's work right now, across all of them: never more than one. */
    final AtomicInteger leading = new AtomicInteger();
    final AtomicInteger maxLeading = new AtomicInteger();

    /** A store that shares its keys with every other this method returns during one test. */
    abstract KeyValueStore store();

    @AfterEach
    void closeElectors() {
        electors.forEach(LeaderElection::close);
        electors.clear();
    }

    /** Records the terms a candidate led and whether its work runs. */
    final class Recorder implements LeaderElection.Leadership {
        final AtomicInteger terms = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        volatile Term term;

        @Override
        public AutoCloseable lead(Term t) {
            term = t;
            terms.incrementAndGet();
            running.incrementAndGet();
            maxLeading.accumulateAndGet(leading.incrementAndGet(), Math::max);
            return () -> {
                leading.decrementAndGet();
                running.decrementAndGet();
            };
        }
    }

    LeaderElection elector(String id, Recorder recorder) {
        LeaderElection e = LeaderElection.start(store(), new Candidate(id, "test-host", 1, "http://" + id),
                LeaderElection.Options.DEFAULTS.withTtl(TTL), recorder);
        electors.add(e);
        return e;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void ofTwoCandidatesExactlyOneLeadsAndBothNameIt() throws Exception {
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        LeaderElection a = elector("a", ra);
        LeaderElection b = elector("b", rb);
        assertThat(a.awaitSettled(Duration.ofSeconds(10))).isTrue();
        assertThat(b.awaitSettled(Duration.ofSeconds(10))).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.isLeader() != b.isLeader()
                && a.leader().isPresent() && b.leader().isPresent());
        LeaderElection leader = a.isLeader() ? a : b;
        LeaderElection follower = a.isLeader() ? b : a;
        // For a while (several renewals), one leader, the same one, named by both.
        long until = System.nanoTime() + TTL.toNanos() * 3 / 2;
        while (System.nanoTime() < until) {
            assertThat(leader.isLeader()).isTrue();
            assertThat(follower.isLeader()).isFalse();
            assertThat(follower.leader().map(l -> l.candidate().id())).contains(leader.self().id());
            assertThat(leader.status().current().candidate().url()).isEqualTo("http://" + leader.self().id());
            Thread.sleep(50);
        }
        assertThat(ra.terms.get() + rb.terms.get()).isEqualTo(1);
        assertThat(maxLeading.get()).isEqualTo(1);
        assertThat(store().get(leader.key())).isPresent();
    }

    @Test
    void aLeaderThatStopsHandsOverAtOnce() throws Exception {
        Recorder ra = new Recorder();
        LeaderElection a = elector("a", ra);
        a.awaitSettled(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
        Recorder rb = new Recorder();
        LeaderElection b = elector("b", rb);
        b.awaitSettled(Duration.ofSeconds(10));
        assertThat(b.isLeader()).isFalse();

        long start = System.nanoTime();
        a.close();
        assertThat(ra.running.get()).as("the stopped leader's work is stopped before close returns").isZero();
        // The lease is revoked: no waiting for it to expire.
        await().atMost(TTL).until(() -> b.isLeader() && rb.running.get() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TTL.plusSeconds(1));
        assertThat(b.leader().orElseThrow().candidate().id()).isEqualTo("b");
        assertThat(maxLeading.get()).isEqualTo(1);
    }

    @Test
    void aDeadLeaderIsReplacedOnceItsLeaseExpires() throws Exception {
        Recorder ra = new Recorder();
        LeaderElection a = elector("a", ra);
        a.awaitSettled(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
        Recorder rb = new Recorder();
        LeaderElection b = elector("b", rb);
        b.awaitSettled(Duration.ofSeconds(10));

        long start = System.nanoTime();
        a.abandon(); // as a crash: nothing revoked, nothing renewed
        // Leading starts on the election's thread just after isLeader turns true: wait for both.
        await().atMost(TTL.plusSeconds(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> b.isLeader() && rb.term != null);
        Duration handover = Duration.ofNanos(System.nanoTime() - start);
        assertThat(handover).as("not before the dead leader's lease could have expired")
                .isGreaterThan(TTL.dividedBy(2));
        assertThat(rb.term.revision()).isGreaterThan(ra.term.revision());
        assertThat(maxLeading.get()).isEqualTo(1);
    }

    @Test
    void writesFencedByATermStopWithIt() throws Exception {
        Recorder ra = new Recorder();
        LeaderElection a = elector("a", ra);
        a.awaitSettled(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
        KeyValueStore fencedA = ra.term.fence(store());
        fencedA.put("/fenced/a", bytes("1"));
        assertThat(fencedA.putIf("/fenced/a", bytes("2"), 1)).as("a failing compare is the caller's failure").isEmpty();

        Recorder rb = new Recorder();
        LeaderElection b = elector("b", rb);
        b.awaitSettled(Duration.ofSeconds(10));
        a.abandon();
        assertThatThrownBy(() -> fencedA.put("/fenced/a", bytes("after"))).isInstanceOf(NotLeaderException.class)
                .hasMessageContaining("no longer the leader");
        await().atMost(TTL.plusSeconds(3)).until(b::isLeader);
        KeyValueStore fencedB = rb.term.fence(store());
        fencedB.put("/fenced/b", bytes("1"));
        assertThat(store().get("/fenced/a").orElseThrow().valueAsString()).isEqualTo("1");
        assertThat(fencedA.get("/fenced/b")).as("reads are not fenced").isPresent();
    }
}
