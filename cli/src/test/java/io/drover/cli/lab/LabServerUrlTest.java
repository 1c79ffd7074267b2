package io.drover.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.cli.CliContext;
import io.drover.cli.CliException;
import io.drover.cli.DroverCommand;
import io.drover.lab.runtime.LabLauncher;
import io.drover.lab.runtime.LabState;
import io.drover.lab.runtime.LabStateStore;
import io.drover.lab.runtime.ProcessIdentity;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After {@code lab up}, the CLI talks to the lab's server without flags; explicit choices still win. */
class LabServerUrlTest {

    @TempDir
    Path labs;

    private final Map<String, String> env = new HashMap<>();

    private DroverCommand drover() {
        env.put(LabLauncher.LAB_DIR_ENV, labs.toString());
        return new DroverCommand(new CliContext(env::get, new ByteArrayInputStream(new byte[0]), Clock.systemUTC()));
    }

    /** A lab whose recorded server is this JVM (so it "runs"), or a process that is gone. */
    private void lab(String name, int port, boolean running) {
        ProcessIdentity self = ProcessIdentity.of(ProcessHandle.current().pid()).orElseThrow();
        new LabStateStore(labs).save(LabState.create(name, 1).withServer("http://127.0.0.1:" + port, null)
                .withProcess(new LabState.ProcessRecord(LabLauncher.SERVER_ROLE, self.pid(),
                        running ? self.startTime() : self.startTime() - 1, null, List.of(), "server.log")));
    }

    @Test
    void withoutFlagsTheRunningLabsServerIsUsed() {
        lab("demo", 41000, true);
        assertThat(drover().serverUrl(null)).isEqualTo(URI.create("http://127.0.0.1:41000"));
    }

    @Test
    void theFlagAndTheEnvironmentWinOverTheLab() {
        lab("demo", 41000, true);
        DroverCommand drover = drover();
        env.put(DroverCommand.SERVER_ENV, "http://127.0.0.1:5000");
        assertThat(drover.serverUrl(null)).isEqualTo(URI.create("http://127.0.0.1:5000"));
        assertThat(drover.serverUrl("http://127.0.0.1:6000")).isEqualTo(URI.create("http://127.0.0.1:6000"));
    }

    @Test
    void withoutARunningLabTheDefaultStays() {
        assertThat(drover().serverUrl(null)).isEqualTo(URI.create("http://127.0.0.1:7443"));
        lab("stopped", 41000, false);
        assertThat(drover().serverUrl(null)).isEqualTo(URI.create("http://127.0.0.1:7443"));
    }

    @Test
    void twoRunningLabsAreAmbiguous() {
        lab("one", 41000, true);
        lab("two", 42000, true);
        assertThatThrownBy(() -> drover().serverUrl(null)).isInstanceOf(CliException.class)
                .hasMessageContaining("several labs are up (one, two)");
        assertThat(drover().serverUrl("http://127.0.0.1:6000")).isEqualTo(URI.create("http://127.0.0.1:6000"));
    }
}
