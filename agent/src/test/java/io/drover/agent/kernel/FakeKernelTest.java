package io.drover.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.agent.rules.BridgeNetwork;
import io.drover.agent.rules.NodeRules;
import io.drover.agent.rules.ProgrammedTable;
import io.drover.agent.rules.PublishedPort;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fake behaves as Linux does where the reconciler depends on it. */
class FakeKernelTest {

    private final FakeKernel kernel = new FakeKernel();
    private final NetNs self = NetNs.SELF;

    private static int errno(Runnable r) {
        try {
            r.run();
        } catch (KernelException e) {
            return e.errno();
        }
        throw new AssertionError("expected a KernelException");
    }

    @Test
    void creatingATakenNameFailsWithEexistAndDeletingAMissingLinkWithEnodev() {
        kernel.createBridge(self, "dr-blue", 1500, "drover:bridge/blue");
        assertThat(errno(() -> kernel.createBridge(self, "dr-blue", 1500, null))).isEqualTo(KernelException.EEXIST);
        assertThat(errno(() -> kernel.deleteLink(self, "nope"))).isEqualTo(KernelException.ENODEV);
        kernel.createNamespace("a");
        assertThat(errno(() -> kernel.createNamespace("a"))).isEqualTo(KernelException.EEXIST);
        assertThat(errno(() -> kernel.deleteNamespace("b"))).isEqualTo(KernelException.ENOENT);
        assertThat(errno(() -> kernel.links(NetNs.named("b")))).isEqualTo(KernelException.ENOENT);
    }

    @Test
    void aVethPairLivesAndDiesAsOne() {
        NetNs pod = kernel.createNamespace("p1");
        kernel.createVethPair(self, "dv1", "drover:x/y/eth0", pod, "eth0", 1400);
        assertThat(kernel.link(self, "dv1")).get().extracting(Link::kind, Link::mtu, Link::up, Link::alias)
                .containsExactly("veth", 1400, false, "drover:x/y/eth0");
        assertThat(kernel.link(pod, "eth0")).get().extracting(Link::alias).isNull();
        assertThat(kernel.peer(self, "dv1")).contains(new FakeKernel.LinkRef(pod, "eth0"));

        kernel.deleteLink(pod, "eth0");
        assertThat(kernel.link(self, "dv1")).isEmpty();

        kernel.createVethPair(self, "dv2", null, pod, "eth0", 1500);
        kernel.deleteNamespace("p1");
        assertThat(kernel.link(self, "dv2")).as("the node end goes with the pod's namespace").isEmpty();
    }

    @Test
    void bridgePortsLoseHairpinWhenTheyChangeBridgeAndAreReleasedWhenTheBridgeGoes() {
        kernel.createBridge(self, "br0", 1500, null);
        kernel.createBridge(self, "br1", 1500, null);
        kernel.addLink(self, "d0", "dummy", 1500, null);
        assertThat(errno(() -> kernel.setHairpin(self, "d0", true))).isEqualTo(FakeKernel.EOPNOTSUPP);
        kernel.setMaster(self, "d0", "br0");
        kernel.setHairpin(self, "d0", true);
        kernel.setMaster(self, "d0", "br1");
        assertThat(kernel.hairpin(self, "d0")).isFalse();
        kernel.deleteLink(self, "br1");
        assertThat(kernel.link(self, "d0")).get().extracting(Link::master).isNull();
        assertThat(errno(() -> kernel.setMaster(self, "d0", "d0"))).isEqualTo(FakeKernel.EINVAL);
    }

    @Test
    void linksGetALinkLocalAddressWhenUpAndLoseIpv6AddressesAndRoutesWhenDown() {
        NetNs pod = kernel.createNamespace("p1");
        kernel.createVethPair(self, "dv1", null, pod, "eth0", 1500);
        kernel.setUp(pod, "eth0", true);
        kernel.addAddress(pod, "eth0", Address.parse("10.10.0.7/16"));
        kernel.addAddress(pod, "eth0", Address.parse("fd00:10::7/64"));
        assertThat(kernel.addressesOf(pod, "eth0")).extracting(Address::toString)
                .anyMatch(a -> a.startsWith("fe80::")).contains("10.10.0.7/16", "fd00:10::7/64");
        kernel.addRoute(pod, new Route(Cidr.parse("0.0.0.0/0"), IpAddresses.parse("10.10.0.1"), "eth0", false));
        assertThat(kernel.routes(pod)).contains(new Route(Cidr.parse("10.10.0.0/16"), null, "eth0", false));

        kernel.setUp(pod, "eth0", false);
        assertThat(kernel.addressesOf(pod, "eth0")).extracting(Address::toString).containsExactly("10.10.0.7/16");
        assertThat(kernel.staticRoutes(pod)).isEmpty();
        assertThat(kernel.routes(pod)).isEmpty();
    }

    @Test
    void routesNeedAnUpDeviceAReachableGatewayAndAFreeDestination() {
        NetNs pod = kernel.createNamespace("p1");
        kernel.createVethPair(self, "dv1", null, pod, "eth0", 1500);
        Route def = new Route(Cidr.parse("0.0.0.0/0"), IpAddresses.parse("10.10.0.1"), "eth0", false);
        assertThat(errno(() -> kernel.addRoute(pod, def))).isEqualTo(FakeKernel.ENETDOWN);
        kernel.setUp(pod, "eth0", true);
        assertThat(errno(() -> kernel.addRoute(pod, def))).isEqualTo(FakeKernel.ENETUNREACH);
        kernel.addAddress(pod, "eth0", Address.parse("10.10.0.7/16"));
        kernel.addRoute(pod, def);
        Route other = new Route(Cidr.parse("0.0.0.0/0"), IpAddresses.parse("10.10.0.2"), "eth0", false);
        assertThat(errno(() -> kernel.addRoute(pod, other))).isEqualTo(KernelException.EEXIST);
        assertThat(errno(() -> kernel.deleteRoute(pod, other))).isEqualTo(FakeKernel.ESRCH);
        kernel.deleteRoute(pod, def);
        assertThat(errno(() -> kernel.deleteAddress(pod, "eth0", Address.parse("10.10.0.8/16"))))
                .isEqualTo(FakeKernel.EADDRNOTAVAIL);
    }

    @Test
    void callsAreLoggedAndFailuresInjected() {
        kernel.failOnce(c -> c.is("createBridge") && c.mentions("dr-red"), KernelException.EEXIST);
        assertThat(errno(() -> kernel.createBridge(self, "dr-red", 1500, null))).isEqualTo(KernelException.EEXIST);
        kernel.createBridge(self, "dr-red", 1500, null);
        kernel.links(self);
        assertThat(kernel.writes()).hasSize(2);
        assertThat(kernel.calls()).hasSize(3);
        kernel.clearCalls();
        assertThat(kernel.calls()).isEmpty();
    }

    @Test
    void nftablesScriptsApplyAsOneTransactionAndListAsNftDoes() {
        NodeRules rules = new NodeRules(
                List.of(BridgeNetwork.of("blue", List.of(Cidr.parse("10.10.0.0/16"), Cidr.parse("fd00:10::/64")), true),
                        BridgeNetwork.of("red", List.of(Cidr.parse("10.20.0.0/16")), false)),
                List.of(new PublishedPort(null, 8080, "TCP", IpAddresses.parse("10.10.0.7"), 80, "shop/web-1"),
                        new PublishedPort("192.168.1.5", 8443, "UDP", IpAddresses.parse("10.10.0.8"), 443, "shop/web-2")));
        assertThat(kernel.listNftTable(self, "inet", "drover")).isEqualTo("{\"nftables\":[]}");
        kernel.applyNftables(self, rules.nftScript());

        ProgrammedTable table = ProgrammedTable.parse(kernel.listNftTable(self, "inet", "drover"));
        assertThat(rules.isProgrammed(table)).as("the listing reads back as the rules written").isTrue();
        assertThat(rules.syncScript(table)).isEmpty();
        assertThat(kernel.nftElements(self, "inet", "drover", "bridges")).containsExactly("\"dr-blue\"", "\"dr-red\"");

        NodeRules fewer = new NodeRules(rules.networks().subList(0, 1), rules.ports().subList(0, 1));
        kernel.applyNftables(self, fewer.updateScript(rules));
        assertThat(fewer.isProgrammed(ProgrammedTable.parse(kernel.listNftTable(self, "inet", "drover")))).isTrue();

        // Deleting what is not there fails the whole transaction, which changes nothing.
        String before = kernel.listNftTable(self, "inet", "drover");
        assertThatThrownBy(() -> kernel.applyNftables(self, fewer.updateScript(rules)))
                .isInstanceOf(KernelException.class);
        assertThat(kernel.listNftTable(self, "inet", "drover")).isEqualTo(before);
        assertThat(errno(() -> kernel.applyNftables(self, "insert rule inet drover forward accept")))
                .isEqualTo(FakeKernel.EINVAL);
    }
}
