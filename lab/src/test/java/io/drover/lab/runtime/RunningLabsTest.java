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
    void aLabWithSeveralServersHandsOutTheFirstThatAccepts() throws Exception {
        LabStateStore store = new LabStateStore(dir);
        ProcessIdentity self = ProcessIdentity.of(ProcessHandle.current().pid()).orElseThrow();
        try (java.net.ServerSocket second = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int closedPort;
            try (java.net.ServerSocket gone = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                closedPort = gone.getLocalPort();
            }
            String first = "http://127.0.0.1:" + closedPort;
            String secondUrl = "http://127.0.0.1:" + second.getLocalPort();
            store.save(LabState.create("two", 1).withServer(first, null)
                    .withTopology(LabState.Topology.DEFAULT.withServers(List.of(
                            new LabState.Server("server-1", "server", first),
                            new LabState.Server("server-2", "server-2", secondUrl))))
                    .withProcess(new LabState.ProcessRecord("server", self.pid(), self.startTime(), null, List.of(), "l"))
                    .withProcess(new LabState.ProcessRecord("server-2", self.pid(), self.startTime(), null, List.of(), "l")));
            assertThat(RunningLabs.choose(store, "two")).map(LabState::serverUrl).contains(secondUrl);
            // server-1 stopped on purpose (its record kept, marked): server-2 still makes the lab up.
            store.update("two", null, s -> s.withProcessReplaced(s.process("server").orElseThrow().asStopped()));
            assertThat(RunningLabs.runningServerUrls(store.load("two").orElseThrow())).containsExactly(secondUrl);
            assertThat(RunningLabs.choose(store, null)).map(LabState::serverUrl).contains(secondUrl);
        }
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
