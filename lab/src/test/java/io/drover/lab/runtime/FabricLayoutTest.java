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
    void aRoutedUnderlayHasTwoSegmentsJoinedByARouter() {
        FabricLayout layout = FabricLayout.plan("demo", 3, FabricLayout.Kind.ROUTED);
        assertThat(layout.kind()).isEqualTo(FabricLayout.Kind.ROUTED);
        assertThat(layout.segments()).extracting(FabricLayout.Segment::bridge).containsExactly("underlay-1", "underlay-2");
        assertThat(layout.segments()).extracting(s -> s.subnet().toString())
                .containsExactly("172.31.1.0/24", "172.31.2.0/24");
        assertThat(layout.router().namespace().name()).isEqualTo("drl-demo-router");
        assertThat(layout.router().ports()).containsExactly(
                new FabricLayout.RouterPort("router-1", "eth1", Address.parse("172.31.1.254/24"), "underlay-1"),
                new FabricLayout.RouterPort("router-2", "eth2", Address.parse("172.31.2.254/24"), "underlay-2"));
        // Nodes alternate between the segments, keep their number as host part, and route through the router.
        assertThat(layout.nodes()).extracting(n -> n.address().toString())
                .containsExactly("172.31.1.1/24", "172.31.2.2/24", "172.31.1.3/24");
        assertThat(layout.nodes()).extracting(FabricLayout.Node::bridge)
                .containsExactly("underlay-1", "underlay-2", "underlay-1");
        assertThat(layout.node("node-2").gateway().getHostAddress()).isEqualTo("172.31.2.254");
        assertThat(layout.bridge()).isEqualTo("underlay-1");
        assertThat(layout.fabricAddress()).isEqualTo(Address.parse("172.31.1.253/24"));
        assertThat(layout.fabricGateway().getHostAddress()).isEqualTo("172.31.1.254");
        assertThat(layout.underlay()).isEqualTo(Cidr.parse("172.31.0.0/16"));
        assertThat(layout.memberAddress(2)).isEqualTo(Address.parse("172.31.1.202/24"));
        assertThat(layout.namespaces()).containsExactly("drl-demo-fabric", "drl-demo-router", "drl-demo-node-1",
                "drl-demo-node-2", "drl-demo-node-3");
    }

    @Test
    void aFlatUnderlayHasOneSegmentAndNoRouter() {
        FabricLayout layout = FabricLayout.plan("demo", 2, FabricLayout.Kind.FLAT);
        assertThat(layout).isEqualTo(FabricLayout.plan("demo", 2));
        assertThat(layout.router()).isNull();
        assertThat(layout.fabricGateway()).isNull();
        assertThat(layout.node("node-1").gateway()).isEqualTo(layout.fabricAddress().ip());
        assertThat(layout.memberAddress(1)).isEqualTo(Address.parse("172.31.0.201/24"));
        assertThat(layout.memberAddress(5)).isEqualTo(Address.parse("172.31.0.205/24"));
        assertThatThrownBy(() -> layout.memberAddress(6)).hasMessageContaining("1 to 5");
        assertThat(FabricLayout.Kind.parse("routed")).isEqualTo(FabricLayout.Kind.ROUTED);
        assertThatThrownBy(() -> FabricLayout.Kind.parse("mesh")).hasMessageContaining("flat (one L2 segment) or routed");
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

    @Test
    void aFlatUnderlayGivesLoadBalancerAddressesApartFromNodesMembersAndFabricARoutedOneNone() {
        FabricLayout flat = FabricLayout.plan("lb", 3);
        assertThat(flat.loadBalancerPool()).contains("172.31.0.240-172.31.0.247");
        assertThat(flat.nodes()).extracting(n -> n.address().ip().getHostAddress()).doesNotContain("172.31.0.240");
        assertThat(flat.fabricAddress().ip().getHostAddress()).isEqualTo("172.31.0.254");
        assertThat(flat.memberAddress(FabricLayout.MAX_MEMBERS).ip().getHostAddress()).isEqualTo("172.31.0.205");

        assertThat(FabricLayout.plan("lb", 3, FabricLayout.Kind.ROUTED).loadBalancerPool()).isEmpty();
        assertThat(FabricLayout.plan("lb", 245).loadBalancerPool()).isEmpty();
    }
}
