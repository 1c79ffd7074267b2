package io.drover.lab.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.agent.kernel.Address;
import io.drover.model.net.Cidr;
import org.junit.jupiter.api.Test;

class FabricLayoutTest {

    @Test
    void nodesGetTheirNumberAsHostAddress() {
        FabricLayout layout = FabricLayout.plan("demo", 3);
        assertThat(layout.fabric().name()).isEqualTo("drl-demo-fabric");
        assertThat(layout.bridge()).isEqualTo("underlay");
        assertThat(layout.fabricAddress()).isEqualTo(Address.parse("172.31.0.254/24"));
        assertThat(layout.nodes()).extracting(FabricLayout.Node::name).containsExactly("node-1", "node-2", "node-3");
        FabricLayout.Node node2 = layout.node("node-2");
        assertThat(node2.namespace().name()).isEqualTo("drl-demo-node-2");
        assertThat(node2.namespace().netns().path().toString()).isEqualTo("/run/netns/drl-demo-node-2");
        assertThat(node2.fabricPort()).isEqualTo("node-2");
        assertThat(node2.uplink()).isEqualTo("eth0");
        assertThat(node2.address()).isEqualTo(Address.parse("172.31.0.2/24"));
        assertThat(layout.namespaces())
                .containsExactly("drl-demo-fabric", "drl-demo-node-1", "drl-demo-node-2", "drl-demo-node-3");
    }

    @Test
    void otherUnderlaysWork() {
        FabricLayout layout = FabricLayout.plan("demo", 2, Cidr.parse("10.99.0.0/29"));
        assertThat(layout.fabricAddress()).isEqualTo(Address.parse("10.99.0.6/29"));
        assertThat(layout.node("node-2").address()).isEqualTo(Address.parse("10.99.0.2/29"));
    }

    @Test
    void impossiblePlansAreRefused() {
        assertThatThrownBy(() -> FabricLayout.plan("demo", 0)).hasMessageContaining("1 to 250");
        assertThatThrownBy(() -> FabricLayout.plan("demo", 251)).hasMessageContaining("1 to 250");
        assertThatThrownBy(() -> FabricLayout.plan("demo", 6, Cidr.parse("10.99.0.0/29")))
                .hasMessageContaining("too small");
        assertThatThrownBy(() -> FabricLayout.plan("demo", 1, Cidr.parse("fd00::/64"))).hasMessageContaining("IPv4");
        assertThatThrownBy(() -> FabricLayout.plan("demo", 1).node("node-9")).hasMessageContaining("no node node-9");
    }
}
