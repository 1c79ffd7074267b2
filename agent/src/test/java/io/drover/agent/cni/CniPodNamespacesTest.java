package io.drover.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.TestObjects;
import io.drover.agent.desired.DesiredInterface;
import io.drover.agent.desired.DesiredNode;
import io.drover.agent.desired.ManagedPodNamespaces;
import io.drover.agent.desired.NodeCalculator;
import io.drover.agent.kernel.NetNs;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.pod.Pod;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the agent wants for CNI pods: the runtime's namespace and interface name, plumbed before IPAM answers. */
class CniPodNamespacesTest {

    private static final CniPodNamespaces NAMESPACES = new CniPodNamespaces(ManagedPodNamespaces.withPrefix("drover-n1-"));
    private static final List<Network> NETWORKS = List.of(TestObjects.network("blue", "10.10.0.0/16"),
            TestObjects.network("red", "10.20.0.0/16"));

    private static Pod cni(String name, String network, String ifName, boolean primary) {
        Pod pod = TestObjects.pod("default", name, "node-1", network);
        Map<String, String> annotations = new HashMap<>(new CniAttachment("c-" + name, ifName,
                "/run/netns/cni-" + name, primary).annotations());
        ObjectMeta m = pod.metadata();
        return pod.withMetadata(new ObjectMeta(m.name(), m.namespace(), m.labels(), annotations, m.uid(),
                m.resourceVersion(), m.creationTimestamp()));
    }

    private static DesiredNode compute(Pod... pods) {
        return NodeCalculator.compute("node-1", NETWORKS, List.of(pods), NAMESPACES);
    }

    @Test
    void aCniPodIsPlumbedIntoItsRuntimesNamespaceBeforeItHasAnAddress() {
        DesiredNode node = compute(cni("a", "blue", "net1", true));

        assertThat(node.namespaces()).as("the runtime's namespace is not the agent's to make").isEmpty();
        DesiredInterface i = node.interfacesOf("default/a").getFirst();
        assertThat(i.netns()).isEqualTo(new NetNs(Path.of("/run/netns/cni-a")));
        assertThat(i.podNamespaceOwned()).isFalse();
        assertThat(i.name()).isEqualTo("net1");
        assertThat(i.addresses()).isEmpty();
        assertThat(node.waiting()).extracting(w -> w.pod()).containsExactly("default/a");
    }

    @Test
    void itsAddressesComeFromIpamsStatusAndOnlyAPrimaryAttachmentRoutes() {
        Pod primary = TestObjects.addressed(cni("a", "blue", "eth0", true), "blue=10.10.0.5/16");
        Pod secondary = TestObjects.addressed(cni("b", "red", "net1", false), "red=10.20.0.5/16");
        DesiredNode node = compute(primary, secondary);

        DesiredInterface a = node.interfacesOf("default/a").getFirst();
        DesiredInterface b = node.interfacesOf("default/b").getFirst();
        assertThat(a.addresses()).extracting(Object::toString).containsExactly("10.10.0.5/16");
        assertThat(a.routes()).hasSize(1);
        assertThat(b.name()).isEqualTo("net1");
        assertThat(b.addresses()).extracting(Object::toString).containsExactly("10.20.0.5/16");
        assertThat(b.routes()).isEmpty();
        assertThat(node.waiting()).isEmpty();
    }

    @Test
    void otherPodsAreTheAgentsAsBefore() {
        Pod api = TestObjects.pod("default", "api", "node-1", "blue");
        DesiredNode waiting = compute(api);
        assertThat(waiting.interfaces()).as("no interface before its address").isEmpty();
        assertThat(waiting.namespaces()).extracting(n -> n.name()).containsExactly(
                ManagedPodNamespaces.withPrefix("drover-n1-").nameOf(api));

        DesiredNode plumbed = compute(TestObjects.addressed(api, "blue=10.10.0.9/16"));
        assertThat(plumbed.interfacesOf("default/api").getFirst().name()).isEqualTo("eth0");
        assertThat(plumbed.interfacesOf("default/api").getFirst().podNamespaceOwned()).isTrue();
    }
}
