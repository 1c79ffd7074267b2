package io.drover.lab.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.agent.desired.NodeCalculator;
import io.drover.agent.kernel.FakeKernel;
import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.reconcile.Reconciler;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two lab nodes' agents share one /run/netns; each must see, and so remove, only its own pods' namespaces. */
class NodeScopedKernelTest {

    @TempDir
    Path labDir;

    private final LabNames names = LabNames.of("t");
    private final FakeKernel kernel = new FakeKernel();
    private NodeScopedKernel node1;
    private NodeScopedKernel node2;

    @BeforeEach
    void nodes() {
        kernel.addNamespace(NetNs.named(names.nodeNamespace(1))).addNamespace(NetNs.named(names.nodeNamespace(2)));
        node1 = new NodeScopedKernel(kernel, names, labDir, "node-1");
        node2 = new NodeScopedKernel(kernel, names, labDir, "node-2");
    }

    private static Pod pod(String name, String node) {
        return Pod.of(ObjectMeta.named("shop", name).withServerFields("uid-" + name, "1", null),
                new PodSpec(node, "none", List.of(), List.of(), List.of()));
    }

    private static void sync(Reconciler reconciler, String node, List<Pod> pods, LabPodNamespaces namespaces) {
        assertThat(reconciler.sync(NodeCalculator.compute(node, List.of(), pods, namespaces)).errors()).isEmpty();
    }

    @Test
    void agentsOfTwoNodesKeepEachOthersPodNamespaces() {
        Reconciler agent1 = new Reconciler(node1);
        Reconciler agent2 = new Reconciler(node2);
        LabPodNamespaces ns1 = new LabPodNamespaces(names, 1);
        LabPodNamespaces ns2 = new LabPodNamespaces(names, 2);
        String a = names.podNamespace("shop", "a");
        String b = names.podNamespace("shop", "b");

        sync(agent1, "node-1", List.of(pod("a", "node-1")), ns1);
        sync(agent2, "node-2", List.of(pod("b", "node-2")), ns2);
        sync(agent1, "node-1", List.of(pod("a", "node-1")), ns1);
        assertThat(kernel.namespaces()).contains(a, b);
        assertThat(node1.namespaces()).contains(a).doesNotContain(b);
        assertThat(node2.namespaces()).contains(b).doesNotContain(a);

        // Pod a goes: node-1's agent removes its namespace, and only that one.
        sync(agent1, "node-1", List.of(), ns1);
        assertThat(kernel.namespaces()).doesNotContain(a).contains(b, names.nodeNamespace(1));
    }

    @Test
    void aClaimOutlivesTheAgentSoTheNextAgentCleansUp() {
        String a = names.podNamespace("shop", "a");
        sync(new Reconciler(node1), "node-1", List.of(pod("a", "node-1")), new LabPodNamespaces(names, 1));
        NodeScopedKernel restarted = new NodeScopedKernel(kernel, names, labDir, "node-1");
        assertThat(restarted.namespaces()).contains(a);
        sync(new Reconciler(restarted), "node-1", List.of(), new LabPodNamespaces(names, 1));
        assertThat(kernel.namespaces()).doesNotContain(a);
    }

    @Test
    void aNameAnotherNodeStillHoldsIsNotClaimed() {
        String a = names.podNamespace("shop", "a");
        node1.createNamespace(a);
        assertThatThrownBy(() -> node2.createNamespace(a)).isInstanceOf(KernelException.class);
        assertThat(node2.namespaces()).doesNotContain(a);
        assertThat(node1.namespaces()).contains(a);
    }

    @Test
    void namespacesThatAreNotLabPodsPassThrough() {
        kernel.addNamespace(NetNs.named("someone-else"));
        assertThat(node1.namespaces()).contains("someone-else", names.nodeNamespace(1), names.nodeNamespace(2));
    }
}
