package io.drover.lab.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TeardownReportTest {

    @Test
    void saysNothingWasThere() {
        TeardownReport report = new TeardownReport("demo", false, List.of(), List.of(), List.of(), List.of());
        assertThat(report.foundAnything()).isFalse();
        assertThat(report.lines()).containsExactly("lab demo: nothing to remove");
    }

    @Test
    void listsWhatWasRemoved() {
        TeardownReport report = new TeardownReport("demo", false,
                List.of(new TeardownReport.Stopped("agent-node-1", 10, false), new TeardownReport.Stopped("server", 11, true)),
                List.of(), List.of("drl-demo-fabric", "drl-demo-node-1"),
                List.of(new TeardownReport.Stray(12, "drl-demo-node-1", "bash")));
        assertThat(report.lines()).containsExactly(
                "stopped agent-node-1 (pid 10)",
                "stopped server (pid 11, killed after the grace period)",
                "deleted namespace drl-demo-fabric",
                "deleted namespace drl-demo-node-1",
                "warning: pid 12 (bash) was running in drl-demo-node-1 but was not started by the lab; left running",
                "lab demo removed (it had no state file: leftovers of a killed run)");
    }
}
