package io.drover.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.cli.CliException;
import io.drover.cli.CliHarness;
import io.drover.lab.runtime.LabLauncher;
import io.drover.lab.runtime.LabState;
import io.drover.lab.runtime.ProcessIdentity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabArgumentsTest {

    @TempDir
    Path labs;

    private CliHarness.Result run(String... args) {
        return CliHarness.run(Map.of(LabLauncher.LAB_DIR_ENV, labs.toString()), "", args);
    }

    @Test
    void labUpRefusesBadNamesAndNodeCounts() {
        assertThat(run("lab", "up", "--nodes", "0").err()).contains("a lab has 1 to 250 nodes, not 0");
        CliHarness.Result bad = run("lab", "up", "--name", "Bad_Name");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("lab name 'Bad_Name' is invalid");
    }

    @Test
    void labUpRefusesImpossibleStoresServersAndUnderlays() {
        assertThat(run("lab", "up", "--servers", "2").err())
                .contains("--servers 2 needs --store etcd: the embedded store is a file of one server");
        assertThat(run("lab", "up", "--etcd-members", "3").err()).contains("--etcd-members goes with --store etcd");
        assertThat(run("lab", "up", "--store", "etcd", "--etcd-members", "2").err()).contains("1, 3 or 5 members");
        assertThat(run("lab", "up", "--underlay", "mesh").err()).contains("--underlay mesh");
        assertThat(run("lab", "up", "--store", "zk").err()).contains("--store zk");
    }

    @Test
    void faultVerbsWithoutALabSayHowToStartOne() {
        org.junit.jupiter.api.Assumptions.assumeTrue(RootCheck.isRoot(), "without root, they say that they need it");
        CliHarness.Result stop = run("lab", "node", "stop", "node-1");
        assertThat(stop.exitCode()).isEqualTo(1);
        assertThat(stop.err()).contains("no lab is on this machine; start one with 'drover lab up'");
        assertThat(run("lab", "etcd", "start", "etcd-1", "--lab", "nope").err()).contains("there is no lab nope");
    }

    @Test
    void labExecNeedsAPodAndACommand() {
        assertThat(run("lab", "exec", "shop/web").err()).contains("Missing required parameter: 'CMD'");
        assertThat(LabExecCommand.PodRef.parse("shop/web")).isEqualTo(new LabExecCommand.PodRef("shop", "web"));
        assertThat(LabExecCommand.PodRef.parse("web")).isEqualTo(new LabExecCommand.PodRef("default", "web"));
        assertThatThrownBy(() -> LabExecCommand.PodRef.parse("a/b/c")).hasMessageContaining("write NAMESPACE/POD");
    }

    @Test
    void labExecAndProbeWithoutALabSayHowToStartOne() {
        org.junit.jupiter.api.Assumptions.assumeTrue(RootCheck.isRoot(), "without root, both say that they need it");
        CliHarness.Result exec = run("lab", "exec", "shop/web", "--", "true");
        assertThat(exec.exitCode()).isEqualTo(1);
        assertThat(exec.err()).contains("no lab is up on this machine; start one with 'drover lab up'");
        assertThat(run("probe").err()).contains("no lab is up");
    }

    @Test
    void labDownWithoutANamePicksTheOnlyLab() {
        assertThat(LabDownCommand.onlyLab(List.of("x"))).isEqualTo("x");
        assertThat(LabDownCommand.onlyLab(List.of())).isEqualTo("default");
        assertThatThrownBy(() -> LabDownCommand.onlyLab(List.of("a", "b"))).isInstanceOf(CliException.class)
                .hasMessageContaining("say which one to remove with --name NAME");
    }

    @Test
    void labStatusTellsUpFromStoppedAndLeftovers() {
        ProcessIdentity self = ProcessIdentity.of(ProcessHandle.current().pid()).orElseThrow();
        LabState up = LabState.create("a", 2).withServer("http://127.0.0.1:1234", null).withProcess(
                new LabState.ProcessRecord("server", self.pid(), self.startTime(), null, List.of(), "log"));
        List<String> ns = List.of("drl-a-fabric", "drl-a-node-1", "drl-a-node-2", "drl-b-fabric");
        assertThat(LabStatusCommand.row("a", Optional.of(up), ns))
                .containsExactly("a", "2", "http://127.0.0.1:1234", "1/1", "3", "up");
        LabState stopped = LabState.create("a", 2).withProcess(
                new LabState.ProcessRecord("server", self.pid(), self.startTime() - 1, null, List.of(), "log"));
        assertThat(LabStatusCommand.row("a", Optional.of(stopped), ns).getLast()).startsWith("stopped");
        assertThat(LabStatusCommand.row("b", Optional.empty(), ns).getLast()).startsWith("leftovers");
    }

    @Test
    void theLabVerbAloneListsItsSubcommands() {
        CliHarness.Result alone = run("lab");
        assertThat(alone.exitCode()).isEqualTo(1);
        assertThat(alone.err()).contains("up, down, status, exec, node, etcd or server");
        CliHarness.Result node = run("lab", "node");
        assertThat(node.exitCode()).isEqualTo(1);
        assertThat(node.err()).contains("say what to do with the node: stop, start, cut or heal");
        assertThat(run("lab", "node", "cut", "--help").out()).contains("Cut a node off the underlay");
        assertThat(run("lab", "etcd", "stop").err()).contains("Missing required parameter: 'MEMBER'");
        assertThat(run("lab", "server", "start", "--help").out()).contains("Start an API server again");
    }
}
