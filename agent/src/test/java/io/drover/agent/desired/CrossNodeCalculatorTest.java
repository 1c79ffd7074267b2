package io.drover.agent.desired;

import static io.drover.agent.TestObjects.addressed;
import static io.drover.agent.TestObjects.network;
import static io.drover.agent.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.kernel.FdbEntry;
import io.drover.agent.kernel.Neighbour;
import io.drover.agent.kernel.Route;
import io.drover.model.ipam.Block;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.network.Network;
import io.drover.model.node.Node;
import io.drover.model.pod.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrossNodeCalculatorTest {

    private static final Network BLUE = network("blue", "10.10.0.0/16", "fd00:10::/64");
    private static final Network RED = network("red", "10.20.0.0/16");
    private static final List<Node> NODES = List.of(node("node-1", "172.31.0.11"), node("node-2", "172.31.0.12"),
            node("node-3", "172.31.0.13"));
    private static final List<Block> BLOCKS = List.of(
            block("blue", "10.10.0.0/26", "node-1"), block("blue", "10.10.0.64/26", "node-2"),
            block("blue", "fd00:10::40/122", "node-2"), block("red", "10.20.0.0/26", "node-3"),
            block("blue", "10.10.0.128/26", "node-3"));

    private static Node node(String name, String address) {
        return Node.of(ObjectMeta.named(name), new Node.NodeSpec(address));
    }

    private static Block block(String network, String cidr, String node) {
        return Block.of(ObjectMeta.named(Block.nameOf(network, cidr)), new Block.BlockSpec(network, cidr, node));
    }

    private static CrossNodeConfig config(CrossNodeMode mode, String address, String subnet) {
        return new CrossNodeConfig(mode, IpAddresses.parse(address), Cidr.parse(subnet), 1500, CrossNodeConfig.DEFAULT_VNI);
    }

    private static DesiredCrossNode compute(CrossNodeConfig config, List<Node> nodes) {
        return CrossNodeCalculator.compute("node-1", config, nodes, BLOCKS, List.of(BLUE, RED), List.of());
    }

    private static Route route(String cidr, String via, String device, boolean onLink) {
        return new Route(Cidr.parse(cidr), IpAddresses.parse(via), device, onLink);
    }

    @Test
    void routedModeSendsEveryOtherNodesBlocksToThatNodesUnderlayAddress() {
        DesiredCrossNode routed = compute(config(CrossNodeMode.ROUTED, "172.31.0.11", "172.31.0.0/24"), NODES);
        assertThat(routed.routes()).containsExactly(
                route("10.10.0.128/26", "172.31.0.13", null, false),
                route("10.10.0.64/26", "172.31.0.12", null, false),
                route("10.20.0.0/26", "172.31.0.13", null, false));
        assertThat(routed.vxlan()).isEmpty();
        assertThat(routed.fdb()).isEmpty();
        assertThat(routed.problems()).singleElement().asString()
                .contains("IPv6 blocks of other nodes are not routed").contains("underlay is IPv4");
    }

    @Test
    void aPeerOffTheSegmentIsReportedNotRoutedInRoutedModeButReachedInVxlanMode() {
        List<Node> nodes = List.of(node("node-1", "172.31.0.11"), node("node-2", "172.31.1.12"));
        DesiredCrossNode routed = compute(config(CrossNodeMode.ROUTED, "172.31.0.11", "172.31.0.0/24"), nodes);
        assertThat(routed.routes()).isEmpty();
        assertThat(routed.problems()).anySatisfy(p -> assertThat(p)
                .contains("node node-2 (172.31.1.12) is not on this node's L2 segment (172.31.0.0/24)")
                .contains("use vxlan mode"));

        DesiredCrossNode vxlan = compute(config(CrossNodeMode.VXLAN, "172.31.0.11", "172.31.0.0/24"), nodes);
        assertThat(vxlan.routes()).containsExactly(route("10.10.0.64/26", "172.31.1.12", "drover-vxlan", true));
    }

    @Test
    void vxlanModeHasOneDeviceAndStaticEntriesPerPeerWithMacsDerivedFromTheirAddresses() {
        DesiredCrossNode vxlan = compute(config(CrossNodeMode.VXLAN, "172.31.0.11", "172.31.0.0/24"), NODES);
        assertThat(vxlan.vxlan()).hasValueSatisfying(v -> {
            assertThat(v.name()).isEqualTo("drover-vxlan");
            assertThat(v.vxlan().vni()).isEqualTo(CrossNodeConfig.DEFAULT_VNI);
            assertThat(v.vxlan().local()).isEqualTo(IpAddresses.parse("172.31.0.11"));
            assertThat(v.vxlan().port()).isEqualTo(4789);
            assertThat(v.vxlan().learning()).isFalse();
            assertThat(v.mtu()).isEqualTo(1450);
            assertThat(v.mac()).isEqualTo("0e:d0:ac:1f:00:0b");
        });
        assertThat(vxlan.fdb()).containsExactly(
                new FdbEntry("drover-vxlan", "0e:d0:ac:1f:00:0c", IpAddresses.parse("172.31.0.12")),
                new FdbEntry("drover-vxlan", "0e:d0:ac:1f:00:0d", IpAddresses.parse("172.31.0.13")));
        assertThat(vxlan.neighbours()).containsExactly(
                new Neighbour("drover-vxlan", IpAddresses.parse("172.31.0.12"), "0e:d0:ac:1f:00:0c"),
                new Neighbour("drover-vxlan", IpAddresses.parse("172.31.0.13"), "0e:d0:ac:1f:00:0d"));
        assertThat(vxlan.routes()).contains(route("10.10.0.64/26", "172.31.0.12", "drover-vxlan", true));
    }

    @Test
    void aNodeWithoutAddressIsReportedAndItsBlocksAreNotRouted() {
        List<Node> nodes = List.of(node("node-1", "172.31.0.11"), node("node-2", null), node("node-3", "172.31.0.13"));
        DesiredCrossNode routed = compute(config(CrossNodeMode.ROUTED, "172.31.0.11", "172.31.0.0/24"), nodes);
        assertThat(routed.routes()).extracting(r -> r.destination().toString())
                .containsExactly("10.10.0.128/26", "10.20.0.0/26");
        assertThat(routed.problems()).anySatisfy(p -> assertThat(p).contains("node node-2 has no underlay address"));
    }

    @Test
    void aNewBlockIsOneMoreRouteAndNothingElseChanges() {
        CrossNodeConfig config = config(CrossNodeMode.VXLAN, "172.31.0.11", "172.31.0.0/24");
        DesiredCrossNode before = compute(config, NODES);
        List<Block> more = new java.util.ArrayList<>(BLOCKS);
        more.add(block("blue", "10.10.0.192/26", "node-2"));
        DesiredCrossNode after = CrossNodeCalculator.compute("node-1", config, NODES, more, List.of(BLUE, RED), List.of());
        assertThat(after.routes()).containsAll(before.routes()).hasSize(before.routes().size() + 1);
        assertThat(after.fdb()).isEqualTo(before.fdb());
        assertThat(after.neighbours()).isEqualTo(before.neighbours());
    }

    @Test
    void onlyGatewayRoutesIntoPodSubnetsAreDrovers() {
        DesiredCrossNode routed = compute(config(CrossNodeMode.ROUTED, "172.31.0.11", "172.31.0.0/24"), NODES);
        assertThat(routed.ownsRoute(route("10.10.0.64/26", "172.31.0.99", null, false))).isTrue();
        assertThat(routed.ownsRoute(new Route(Cidr.parse("10.10.0.0/16"), null, "dr-blue", false))).isFalse();
        assertThat(routed.ownsRoute(route("192.168.0.0/24", "172.31.0.1", null, false))).isFalse();
        assertThat(routed.ownsRoute(route("0.0.0.0/0", "172.31.0.1", null, false))).isFalse();
    }

    @Test
    void inVxlanModePodsAndBridgesGetTheUnderlayMtuLessTheEncapsulationAndBridgesProxyArp() {
        Pod web = addressed(pod("shop", "web", "node-1", "blue"), "blue=10.10.0.7/16");
        DesiredNode node = NodeCalculator.compute("node-1", List.of(BLUE, RED), List.of(web),
                ManagedPodNamespaces.withPrefix("drover-n1-"), config(CrossNodeMode.VXLAN, "172.31.0.11", "172.31.0.0/24"),
                NODES, BLOCKS);
        assertThat(node.interfaces()).singleElement().extracting(DesiredInterface::mtu).isEqualTo(1450);
        assertThat(node.bridges()).singleElement().extracting(DesiredBridge::mtu).isEqualTo(1450);
        assertThat(node.crossNode().bridgeSysctls()).containsExactly(
                new DesiredCrossNode.BridgeSysctl("dr-blue", "net.ipv4.conf.dr-blue.proxy_arp", "1"),
                new DesiredCrossNode.BridgeSysctl("dr-blue", "net.ipv4.neigh.dr-blue.proxy_delay", "0"));
        assertThat(node.sysctls()).containsEntry(NodeCalculator.IPV4_FORWARDING, "1");

        DesiredNode routed = NodeCalculator.compute("node-1", List.of(BLUE, RED), List.of(web),
                ManagedPodNamespaces.withPrefix("drover-n1-"), config(CrossNodeMode.ROUTED, "172.31.0.11", "172.31.0.0/24"),
                NODES, BLOCKS);
        assertThat(routed.interfaces()).singleElement().extracting(DesiredInterface::mtu).isEqualTo(1500);
    }
}
