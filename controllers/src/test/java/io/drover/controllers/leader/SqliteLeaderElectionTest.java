package io.drover.controllers.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.store.KeyValueStore;
import io.drover.store.sqlite.SqliteKeyValueStore;
import io.drover.store.sqlite.SqliteStoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The election on the embedded store: candidates in one process share the store. */
class SqliteLeaderElectionTest extends LeaderElectionContract {

    @TempDir
    Path dir;

    private KeyValueStore store;

    @BeforeEach
    void open() {
        store = SqliteKeyValueStore.open(dir, SqliteStoreOptions.defaults().withLeaseCheckInterval(Duration.ofMillis(50)));
    }

    @AfterEach
    void closeStore() {
        closeElectors();
        store.close();
    }

    @Override
    KeyValueStore store() {
        return store;
    }

    @Test
    void aSoleCandidateRemovesTheKeyItsDeadPredecessorLeft() throws Exception {
        Recorder dead = new Recorder();
        LeaderElection predecessor = LeaderElection.start(store, new Candidate("old", "h", 1, null),
                LeaderElection.Options.DEFAULTS.withTtl(Duration.ofSeconds(30)), dead);
        await().atMost(Duration.ofSeconds(10)).until(predecessor::isLeader);
        predecessor.abandon(); // its key would stay 30 s

        Recorder recorder = new Recorder();
        LeaderElection sole = LeaderElection.start(store, new Candidate("new", "h", 2, null),
                LeaderElection.Options.DEFAULTS.withTtl(Duration.ofSeconds(30)).withSoleCandidate(true), recorder);
        try {
            assertThat(sole.awaitSettled(Duration.ofSeconds(5))).isTrue();
            assertThat(sole.isLeader()).as("leads at once").isTrue();
            assertThat(recorder.running.get()).isEqualTo(1);
        } finally {
            sole.close();
        }
        assertThat(store.get(sole.key())).as("a stopped leader leaves no key").isEmpty();
    }
}
