package io.drover.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.CliHarness;
import org.junit.jupiter.api.Test;

/** Options of {@code drover server} that are refused before anything starts. */
class ServerOptionsTest {

    @Test
    void aBadHostPortRangeSaysWhatToWrite() {
        CliHarness.Result reversed = CliHarness.run("server", "--host-port-range", "50000-40000");
        assertThat(reversed.exitCode()).isEqualTo(1);
        assertThat(reversed.err()).contains("--host-port-range: host port range \"50000-40000\" ends before it starts; "
                + "write the lower port first: 40000-50000");
        CliHarness.Result garbage = CliHarness.run("server", "--host-port-range", "high");
        assertThat(garbage.exitCode()).isEqualTo(1);
        assertThat(garbage.err()).contains("--host-port-range: host port range \"high\": the first port \"high\" is not a "
                + "port number; write FROM-TO, e.g. 32768-60999");
    }

    @Test
    void theHelpListsTheHostPortRange() {
        CliHarness.Result help = CliHarness.run("server", "--help");
        assertThat(help.out()).contains("--host-port-range=FROM-TO").contains("Default: 32768-60999");
    }
}
