package io.drover.lab.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.agent.kernel.Kernel;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabProcesses;
import io.drover.lab.runtime.LabState;
import io.drover.lab.runtime.LabStateStore;
import io.drover.lab.runtime.LabTeardown;
import io.drover.lab.runtime.ProcessIdentity;
import io.drover.lab.runtime.TeardownReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lab down}: finds the namespaces of a killed lab without its state file, stops the processes a lab
 * recorded, and never signals a PID whose start time is not the recorded one.
 */
class LabTeardownE2ETest {

    private final Kernel kernel = E2eKernel.get();
    @TempDir
    Path stateDir;
    private LabStateStore store;
    private String lab;
    /** Processes this test started itself, killed by PID whatever happens. */
    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void needsRoot(@TempDir Path state) {
        assumeTrue(TestNamespaces.rootWithIp() && TestNamespaces.onPath("setsid"), "needs root, ip, nft and setsid");
        TestNamespaces.sweepLeftovers(E2eKernel.get(), new LabStateStore(state));
    }

    @BeforeEach
    void setUp() {
        store = new LabStateStore(stateDir);
        lab = TestNamespaces.labName();
    }

    @AfterEach
    void cleanUp() {
        started.forEach(Process::destroyForcibly);
        new LabTeardown(kernel, store, Duration.ofSeconds(2)).tearDown(lab);
        new LabTeardown(kernel, store, Duration.ofSeconds(2)).tearDown(lab + "-b");
    }

    @Test
    void findsTheNamespacesOfAKilledLabWithoutItsStateFile() {
        LabNames names = LabNames.of(lab);
        List<String> leftovers = List.of(names.fabricNamespace(), names.nodeNamespace(1), names.nodeNamespace(2),
                names.podNamespace("x", "a"));
        leftovers.forEach(kernel::createNamespace);
        // A lab whose name starts with this one's: its namespaces share the prefix but are not this lab's.
        String neighbour = LabNames.of(lab + "-b").nodeNamespace(1);
        kernel.createNamespace(neighbour);

        LabTeardown teardown = new LabTeardown(kernel, store);
        assertThat(teardown.labsPresent()).contains(lab, lab + "-b");
        TeardownReport report = teardown.tearDown(lab);
        assertThat(report.hadState()).isFalse();
        assertThat(report.namespaces()).containsExactlyInAnyOrderElementsOf(leftovers);
        assertThat(report.lines()).last().asString().contains("leftovers of a killed run");
        assertThat(kernel.namespaces()).noneMatch(names::owns).contains(neighbour);

        // Idempotent.
        TeardownReport again = teardown.tearDown(lab);
        assertThat(again.foundAnything()).isFalse();
        assertThat(again.lines()).containsExactly("lab " + lab + ": nothing to remove");
    }

    @Test
    void stopsRecordedProcessesAndLeavesOthersAlone() throws Exception {
        LabNames names = LabNames.of(lab);
        kernel.createNamespace(names.nodeNamespace(1));
        LabState initial = LabState.create(lab, 1).withNamespace(names.nodeNamespace(1));
        store.save(initial);

        LabState.ProcessRecord agent = new LabProcesses(store, initial)
                .start("agent-node-1", names.nodeNamespace(1), List.of("sh", "-c", "echo started; exec sleep 300"),
                        Map.of("DROVER_TEST", "1"));
        // The recorded PID is the command's own: setsid and ip netns exec both exec.
        await().atMost(Duration.ofSeconds(5)).until(() -> comm(agent.pid()).equals("sleep"));
        assertThat(agent.identity().isRunning()).isTrue();
        assertThat(store.load(lab).orElseThrow().processes()).containsExactly(agent);
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(Path.of(agent.log())).contains("started"));

        // A process the lab did not start, running inside the lab's namespace.
        Process stray = new ProcessBuilder("ip", "netns", "exec", names.nodeNamespace(1), "sleep", "300").start();
        started.add(stray);
        await().atMost(Duration.ofSeconds(5)).until(() -> comm(stray.pid()).equals("sleep"));

        // A recorded PID whose start time does not match: the PID now belongs to another program.
        Process innocent = new ProcessBuilder("sleep", "300").start();
        started.add(innocent);
        long innocentStart = ProcessIdentity.of(innocent.pid()).orElseThrow().startTime();
        store.update(lab, initial, s -> s.withProcess(new LabState.ProcessRecord("server", innocent.pid(),
                innocentStart + 1, names.nodeNamespace(1), List.of("drover", "server"), "server.log")));

        TeardownReport report = new LabTeardown(kernel, store).tearDown(lab);

        assertThat(report.stopped()).containsExactly(new TeardownReport.Stopped("agent-node-1", agent.pid(), false));
        assertThat(agent.identity().isRunning()).isFalse();
        assertThat(report.gone()).containsExactly(new TeardownReport.Gone("server", innocent.pid()));
        assertThat(innocent.isAlive()).isTrue();
        assertThat(report.strays()).singleElement().satisfies(s -> {
            assertThat(s.pid()).isEqualTo(stray.pid());
            assertThat(s.command()).isEqualTo("sleep 300");
        });
        assertThat(stray.isAlive()).isTrue();
        assertThat(report.namespaces()).containsExactly(names.nodeNamespace(1));
        assertThat(store.load(lab)).isEmpty();
        assertThat(store.labDir(lab)).doesNotExist();
    }

    @Test
    void aProcessThatIgnoresSigtermIsKilledAfterTheGracePeriod() {
        LabNames names = LabNames.of(lab);
        kernel.createNamespace(names.nodeNamespace(1));
        LabState initial = LabState.create(lab, 1).withNamespace(names.nodeNamespace(1));
        // An ignored signal stays ignored across exec, so this sleep ignores SIGTERM.
        LabState.ProcessRecord stubborn = new LabProcesses(store, initial).start("agent-node-1",
                names.nodeNamespace(1), List.of("sh", "-c", "trap '' TERM; exec sleep 300"), Map.of());
        await().atMost(Duration.ofSeconds(5)).until(() -> comm(stubborn.pid()).equals("sleep"));

        TeardownReport report = new LabTeardown(kernel, store, Duration.ofMillis(300)).tearDown(lab);

        assertThat(report.stopped()).containsExactly(new TeardownReport.Stopped("agent-node-1", stubborn.pid(), true));
        assertThat(stubborn.identity().isRunning()).isFalse();
        assertThat(report.lines()).contains("stopped agent-node-1 (pid " + stubborn.pid()
                + ", killed after the grace period)");
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (Exception e) {
            return "";
        }
    }
}
