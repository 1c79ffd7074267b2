package io.drover.lab.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.agent.kernel.NetNs;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabPodNamespacesTest {

    private final LabNames names = LabNames.of("demo");
    private final LabPodNamespaces node2 = new LabPodNamespaces(names, 2);

    private static Pod pod(String name, String node, String mode) {
        return Pod.of(ObjectMeta.named("shop", name), new PodSpec(node, mode, List.of(), List.of(), List.of()));
    }

    @Test
    void bridgeAndNonePodsHaveTheirOwnNamespaceThatTheAgentMakes() {
        Pod web = pod("web", "node-2", null);
        assertThat(node2.namespaceOf(web)).isEqualTo(NetNs.named(names.podNamespace("shop", "web")));
        assertThat(node2.createdByAgent(web)).isTrue();
        assertThat(node2.createdByAgent(pod("quiet", "node-2", "none"))).isTrue();
        assertThat(node2.ownedPrefix()).contains("drl-demo-p-");
        assertThat(names.podNamespace("shop", "web")).startsWith(node2.ownedPrefix().orElseThrow());
        assertThat(node2.nodeNamespace()).isEqualTo(NetNs.named("drl-demo-node-2"));
    }

    @Test
    void aContainerModePodLivesInTheOtherPodsNamespace() {
        Pod sidecar = pod("web-metrics", "node-2", "container:web");
        assertThat(LabPodNamespaces.namespaceName(names, sidecar)).isEqualTo(names.podNamespace("shop", "web"));
        assertThat(node2.createdByAgent(sidecar)).isFalse();
    }

    @Test
    void aHostModePodLivesInItsNode() {
        assertThat(LabPodNamespaces.namespaceName(names, pod("h", "node-2", "host"))).isEqualTo("drl-demo-node-2");
        assertThat(node2.createdByAgent(pod("h", "node-2", "host"))).isFalse();
        assertThatThrownBy(() -> LabPodNamespaces.namespaceName(names, pod("h", "worker", "host")))
                .hasMessageContaining("not a lab node");
    }
}
