package io.drover.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.agent.cni.CniEndpoint;
import io.drover.agent.desired.ManagedPodNamespaces;
import io.drover.agent.kernel.NetNs;
import io.drover.cli.CliHarness;
import io.drover.lab.runtime.LabPodNamespaces;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AgentSetupTest {

    @Test
    void aRealNodeProgramsItsOwnNamespaceWithPrefixedPodNamespacesAndServesCni() {
        AgentSetup setup = AgentSetup.of("worker-1", null, null, null, null);
        assertThat(setup.inLab()).isFalse();
        assertThat(setup.namespaces()).isEqualTo(new ManagedPodNamespaces("drover-worker-1-", NetNs.SELF));
        assertThat(setup.cniSocket()).contains(CniEndpoint.DEFAULT_SOCKET);
        assertThat(setup.address()).isNull();
    }

    @Test
    void netnsPrefixAndSocketCanBeChosen() {
        AgentSetup setup = AgentSetup.of("n1", "testns", "mine-", "/tmp/x.sock", null);
        assertThat(setup.namespaces()).isEqualTo(new ManagedPodNamespaces("mine-", NetNs.named("testns")));
        assertThat(setup.cniSocket()).contains(Path.of("/tmp/x.sock"));
        assertThat(AgentSetup.of("n1", null, null, "none", null).cniSocket()).isEmpty();
    }

    @Test
    void aLabNodeUsesTheLabsNamesAndUnderlayAddressAndNoCni() {
        AgentSetup setup = AgentSetup.of("node-2", null, null, null, "demo");
        assertThat(setup.inLab()).isTrue();
        assertThat(setup.namespaces()).isInstanceOf(LabPodNamespaces.class);
        assertThat(setup.namespaces().nodeNamespace()).isEqualTo(NetNs.named("drl-demo-node-2"));
        assertThat(setup.address()).isEqualTo("172.31.0.2");
        assertThat(setup.cniSocket()).isEmpty();
        assertThat(AgentSetup.of("node-2", "drl-demo-node-2", null, null, "demo").inLab()).isTrue();
    }

    @Test
    void mistakesSayWhatToDo() {
        assertThatThrownBy(() -> AgentSetup.of("Node_1", null, null, null, null)).hasMessageContaining("--node 'Node_1'");
        assertThatThrownBy(() -> AgentSetup.of("worker", null, null, null, "demo")).hasMessageContaining("node-1, node-2");
        assertThatThrownBy(() -> AgentSetup.of("node-1", "other", null, null, "demo"))
                .hasMessageContaining("leave --netns out with --lab");
        assertThatThrownBy(() -> AgentSetup.of("node-1", null, "p-", null, "demo"))
                .hasMessageContaining("--pod-netns-prefix does not go with --lab");
        assertThatThrownBy(() -> AgentSetup.of("node-1", "a/b", null, null, null)).hasMessageContaining("under /run/netns");
        assertThatThrownBy(() -> AgentSetup.of("node-1", null, null, null, "Bad_Lab")).hasMessageContaining("lab name");
    }

    @Test
    void theVerbRefusesBadOptionsBeforeStartingAnything() {
        CliHarness.Result missing = CliHarness.run("agent");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("Missing required option: '--node=NAME'");
        CliHarness.Result wrong = CliHarness.run("agent", "--node", "worker", "--lab", "demo");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).contains("lab nodes are named node-1, node-2").contains("drover agent --help");
        CliHarness.Result serverNode = CliHarness.run("server", "--node", "n1");
        assertThat(serverNode.exitCode()).isEqualTo(1);
        assertThat(serverNode.err()).contains("--node only goes with --with-agent");
    }
}
