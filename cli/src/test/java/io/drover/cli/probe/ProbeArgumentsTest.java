package io.drover.cli.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.CliHarness;
import io.drover.cli.Main;
import io.drover.lab.net.Protocol;
import io.drover.lab.probe.ProbeOptions;
import io.drover.lab.runtime.LabNames;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProbeArgumentsTest {

    private static ProbeOptions parse(String... args) {
        var cli = Main.commandLine();
        var parsed = cli.parseArgs(args);
        ProbeCommand probe = (ProbeCommand) parsed.subcommand().commandSpec().userObject();
        return probe.options();
    }

    @Test
    void defaultsAreTcpPort80OneSecond() {
        ProbeOptions options = parse("probe");
        assertThat(options.ports()).containsExactly(80);
        assertThat(options.protocols()).containsExactly(Protocol.TCP);
        assertThat(options.namespaces()).isEmpty();
        assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void listsAreCommaSeparated() {
        ProbeOptions options = parse("probe", "--namespaces", "x,y", "--ports", "80,81", "--protocols", "tcp,UDP,sctp",
                "--timeout-ms", "250");
        assertThat(options.ports()).containsExactly(80, 81);
        assertThat(options.protocols()).containsExactly(Protocol.TCP, Protocol.UDP, Protocol.SCTP);
        assertThat(options.namespaces()).isEqualTo(Set.of("x", "y"));
        assertThat(options.timeout()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void mistakesAreUsageErrors() {
        CliHarness.Result protocol = CliHarness.run("probe", "--protocols", "icmp");
        assertThat(protocol.exitCode()).isEqualTo(1);
        assertThat(protocol.err()).contains("unknown protocol 'icmp': use tcp, udp or sctp");
        assertThat(CliHarness.run("probe", "--ports", "70000").err()).contains("port 70000 is outside 1-65535");
        assertThat(CliHarness.run("probe", "--timeout-ms", "0").err()).contains("probe timeouts must be positive");
    }

    @Test
    void onlyPodsWithTheirOwnAddressesAreProbedAndTheOthersAreNamed() {
        LabNames names = LabNames.of("t");
        Pod addressed = new Pod(null, null, ObjectMeta.named("x", "a"), PodSpec.on("node-1", "blue"), new PodStatus(
                PodStatus.ALLOCATED, List.of(new PodStatus.PodAddress("blue", "eth0", "10.0.0.5", 24, null)), null));
        Pod waiting = Pod.of(ObjectMeta.named("x", "b"), PodSpec.on(null, "blue"));
        Pod sidecar = Pod.of(ObjectMeta.named("x", "c"), new PodSpec("node-1", "container:a", List.of(), List.of(), List.of()));
        ProbeTargets selected = ProbeTargets.of(names, List.of(sidecar, waiting, addressed));
        assertThat(selected.targets()).hasSize(1);
        assertThat(selected.targets().getFirst().key()).isEqualTo("x/a");
        assertThat(selected.targets().getFirst().netns().path().toString()).isEqualTo("/run/netns/" + names.podNamespace("x", "a"));
        assertThat(selected.notProbed()).containsExactly("x/b: has no address yet (not placed on a node)",
                "x/c: shares the network of x/a");
    }
}
