package io.drover.lab.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunningLabsTest {

    @TempDir
    Path dir;

    /** A lab whose "server" is this test's own JVM (running) or a PID with another start time (not running). */
    private void lab(LabStateStore store, String name, boolean serverRuns) {
        ProcessIdentity self = ProcessIdentity.of(ProcessHandle.current().pid()).orElseThrow();
        long start = serverRuns ? self.startTime() : self.startTime() + 1;
        store.save(LabState.create(name, 1).withServer("http://127.0.0.1:4" + name.length() + "000", null)
                .withProcess(new LabState.ProcessRecord(LabLauncher.SERVER_ROLE, self.pid(), start, null, List.of(), "log")));
    }

    @Test
    void onlyLabsWhoseServerRunsAreUp() {
        LabStateStore store = new LabStateStore(dir);
        assertThat(RunningLabs.choose(store, null)).isEmpty();
        lab(store, "dead", false);
        assertThat(RunningLabs.choose(store, null)).isEmpty();
        lab(store, "alive", true);
        assertThat(RunningLabs.choose(store, null)).map(LabState::name).contains("alive");
        assertThat(RunningLabs.list(store)).extracting(LabState::name).containsExactly("alive");
    }

    @Test
    void severalLabsUpNeedAName() {
        LabStateStore store = new LabStateStore(dir);
        lab(store, "a", true);
        lab(store, "bb", true);
        assertThatThrownBy(() -> RunningLabs.choose(store, null)).isInstanceOf(LabException.class)
                .hasMessageContaining("several labs are up (a, bb)");
        assertThat(RunningLabs.choose(store, "bb")).map(LabState::serverUrl).contains("http://127.0.0.1:42000");
        assertThatThrownBy(() -> RunningLabs.choose(store, "c")).hasMessageContaining("lab c is not up");
    }
}
