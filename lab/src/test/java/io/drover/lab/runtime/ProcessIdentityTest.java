package io.drover.lab.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessIdentityTest {

    private static final String STAT =
            "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 30 0 987654 1000 500 0";

    @Test
    void startTimeIsField22CountedAfterTheCommandName() {
        assertThat(ProcessIdentity.parseStartTime(STAT)).isEqualTo(987654L);
        assertThat(ProcessIdentity.isZombie(STAT)).isFalse();
        assertThat(ProcessIdentity.isZombie(STAT.replace(") S ", ") Z "))).isTrue();
    }

    @Test
    void thisProcessRunsAndARecycledPidDoesNot() {
        long pid = ProcessHandle.current().pid();
        ProcessIdentity self = ProcessIdentity.of(pid).orElseThrow();
        assertThat(self.isRunning()).isTrue();
        assertThat(new ProcessIdentity(pid, self.startTime() + 1).isRunning()).isFalse();
        assertThat(new ProcessIdentity(0, 0).isRunning()).isFalse();
        assertThat(ProcessIdentity.of(Integer.MAX_VALUE)).isEmpty();
    }

    @Test
    void anExitedChildIsNotRunning() throws Exception {
        Process child = new ProcessBuilder("true").start();
        ProcessIdentity identity = ProcessIdentity.of(child.pid()).orElse(new ProcessIdentity(child.pid(), -1));
        child.waitFor();
        assertThat(identity.isRunning()).isFalse();
    }
}
