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
import java.util.Optional;
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

    // ---- VXLAN devices, neighbours, forwarding entries ----

    private static final Vxlan VXLAN = new Vxlan(1, IpAddresses.parse("172.31.0.11"), Vxlan.IANA_PORT, false);

    @Test
    void vxlanDevicesKeepTheirParametersMacAndAliasAndAVniIsTakenOncePerPortAndFamily() {
        kernel.createVxlan(self, "vx0", VXLAN, 1450, "02:AA:00:00:00:01", "drover:overlay");
        assertThat(kernel.link(self, "vx0")).get().extracting(Link::kind, Link::mtu, Link::up, Link::mac, Link::alias)
                .containsExactly("vxlan", 1450, false, "02:aa:00:00:00:01", "drover:overlay");
        assertThat(kernel.vxlan(self, "vx0")).contains(VXLAN);
        assertThat(kernel.vxlan(self, "lo")).isEmpty();
        assertThat(errno(() -> kernel.vxlan(self, "vx9"))).isEqualTo(KernelException.ENODEV);

        assertThat(errno(() -> kernel.createVxlan(self, "vx0", new Vxlan(2, VXLAN.local(), 4789, false), 1450, null, null)))
                .as("the name is taken").isEqualTo(KernelException.EEXIST);
        Vxlan sameVniOtherLocal = new Vxlan(1, IpAddresses.parse("172.31.0.99"), 4789, false);
        assertThat(errno(() -> kernel.createVxlan(self, "vx1", sameVniOtherLocal, 1450, null, null)))
                .as("Linux: A VXLAN device with the specified VNI already exists").isEqualTo(KernelException.EEXIST);
        kernel.createVxlan(self, "vx2", new Vxlan(1, VXLAN.local(), 4790, false), 1450, null, null);
        kernel.createVxlan(self, "vx6", new Vxlan(1, IpAddresses.parse("fd00:31::1"), 4789, false), 1450, null, null);
        assertThat(kernel.link(self, "vx2").orElseThrow().mac()).isNotEqualTo(kernel.link(self, "vx6").orElseThrow().mac());
        assertThat(errno(() -> kernel.createVxlan(self, "vx3", new Vxlan(3, VXLAN.local(), 4789, false), 1450,
                "01:00:5e:00:00:01", null))).as("a multicast MAC").isEqualTo(FakeKernel.EADDRNOTAVAIL);
        assertThat(errno(() -> kernel.createVxlan(self, "vx3", new Vxlan(3, VXLAN.local(), 4789, false), 40, null, null)))
                .isEqualTo(FakeKernel.EINVAL);
        assertThatThrownBy(() -> kernel.createVxlan(self, "vx3", new Vxlan(3, VXLAN.local(), 4789, false), 1450, "02:00", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(kernel.link(self, "vx3")).isEmpty();
    }

    @Test
    void neighboursAreReplacedDeletedByAddressAndFlushedWhenTheirDeviceGoesDown() {
        kernel.createVxlan(self, "vx0", VXLAN, 1450, null, null);
        Neighbour v4 = new Neighbour("vx0", IpAddresses.parse("10.10.0.64"), "02:aa:00:00:00:02");
        Neighbour v6 = new Neighbour("vx0", IpAddresses.parse("fd00:10::2:1"), "02:aa:00:00:00:02");
        kernel.setNeighbour(self, v4);
        kernel.setNeighbour(self, v6);
        Neighbour moved = new Neighbour("vx0", v4.address(), "02:aa:00:00:00:03");
        kernel.setNeighbour(self, moved);
        assertThat(kernel.neighbours(self, "vx0")).containsExactly(moved, v6);
        assertThat(kernel.neighbours(self, "lo")).isEmpty();
        assertThat(errno(() -> kernel.neighbours(self, "vx9"))).isEqualTo(KernelException.ENODEV);
        assertThat(errno(() -> kernel.setNeighbour(self, new Neighbour("vx9", v4.address(), v4.mac()))))
                .isEqualTo(KernelException.ENODEV);

        kernel.deleteNeighbour(self, v4); // the address names the entry, whatever the MAC
        assertThat(kernel.neighboursOf(self, "vx0")).containsExactly(v6);
        assertThat(errno(() -> kernel.deleteNeighbour(self, v4))).isEqualTo(KernelException.ENOENT);

        kernel.setUp(self, "vx0", true);
        kernel.setNeighbour(self, v4);
        kernel.setUp(self, "vx0", false);
        assertThat(kernel.neighboursOf(self, "vx0")).as("Linux flushes them, permanent or not").isEmpty();
    }

    @Test
    void aUnicastMacHasOneDestinationTheZeroMacCollectsThem() {
        kernel.createVxlan(self, "vx0", VXLAN, 1450, null, null);
        FdbEntry toNode2 = new FdbEntry("vx0", "02:aa:00:00:00:02", IpAddresses.parse("172.31.0.12"));
        kernel.addFdb(self, toNode2);
        assertThat(errno(() -> kernel.addFdb(self, toNode2))).isEqualTo(KernelException.EEXIST);
        FdbEntry elsewhere = new FdbEntry("vx0", toNode2.mac(), IpAddresses.parse("172.31.0.13"));
        assertThat(errno(() -> kernel.addFdb(self, elsewhere))).isEqualTo(KernelException.EEXIST);
        assertThat(errno(() -> kernel.deleteFdb(self, elsewhere))).isEqualTo(KernelException.ENOENT);

        FdbEntry flood12 = new FdbEntry("vx0", "00:00:00:00:00:00", IpAddresses.parse("172.31.0.12"));
        FdbEntry flood13 = new FdbEntry("vx0", "00:00:00:00:00:00", IpAddresses.parse("172.31.0.13"));
        kernel.addFdb(self, flood12);
        kernel.addFdb(self, flood13);
        assertThat(errno(() -> kernel.addFdb(self, flood13))).isEqualTo(KernelException.EEXIST);
        assertThat(kernel.fdb(self, "vx0")).containsExactly(toNode2, flood12, flood13);

        kernel.deleteFdb(self, flood12);
        assertThat(kernel.fdbOf(self, "vx0")).containsExactly(toNode2, flood13);
        assertThat(errno(() -> kernel.deleteFdb(self, flood12))).isEqualTo(KernelException.ENOENT);

        FdbEntry v6 = new FdbEntry("vx0", "02:aa:00:00:00:09", IpAddresses.parse("fd00:31::2"));
        assertThat(errno(() -> kernel.addFdb(self, v6))).as("the other family than local")
                .isEqualTo(FakeKernel.EAFNOSUPPORT);
        kernel.createVethPair(self, "va", null, self, "vb", 1500);
        assertThat(errno(() -> kernel.addFdb(self, new FdbEntry("va", toNode2.mac(), toNode2.destination()))))
                .isEqualTo(FakeKernel.EOPNOTSUPP);
        assertThat(kernel.fdb(self, "va")).isEmpty();
        assertThat(errno(() -> kernel.fdb(self, "vx9"))).isEqualTo(KernelException.ENODEV);

        kernel.setUp(self, "vx0", true);
        kernel.setUp(self, "vx0", false);
        assertThat(kernel.fdbOf(self, "vx0")).as("forwarding entries outlive a down").containsExactly(toNode2, flood13);
    }

    @Test
    void overlayEntriesGoWithTheirDeviceAndNamespace() {
        NetNs node = kernel.createNamespace("n1");
        kernel.createVxlan(node, "vx0", VXLAN, 1450, null, null);
        Neighbour n = new Neighbour("vx0", IpAddresses.parse("10.10.0.64"), "02:aa:00:00:00:02");
        FdbEntry f = new FdbEntry("vx0", "02:aa:00:00:00:02", IpAddresses.parse("172.31.0.12"));
        kernel.setNeighbour(node, n);
        kernel.addFdb(node, f);
        kernel.deleteLink(node, "vx0");
        kernel.createVxlan(node, "vx0", VXLAN, 1450, null, null);
        assertThat(kernel.neighbours(node, "vx0")).isEmpty();
        assertThat(kernel.fdb(node, "vx0")).isEmpty();

        kernel.setNeighbour(node, n);
        kernel.addFdb(node, f);
        kernel.deleteNamespace("n1");
        NetNs again = kernel.createNamespace("n1");
        kernel.createVxlan(again, "vx0", VXLAN, 1450, null, null);
        assertThat(kernel.neighbours(again, "vx0")).isEmpty();
        assertThat(kernel.fdb(again, "vx0")).isEmpty();
        assertThat(errno(() -> kernel.fdb(NetNs.named("n2"), "vx0"))).isEqualTo(KernelException.ENOENT);
    }

    @Test
    void overlayCallsAreLoggedAsReadsAndWritesAndCanFail() {
        kernel.clearCalls();
        kernel.createVxlan(self, "vx0", VXLAN, 1450, null, "drover:overlay");
        FdbEntry f = new FdbEntry("vx0", "02:aa:00:00:00:02", IpAddresses.parse("172.31.0.12"));
        Neighbour n = new Neighbour("vx0", IpAddresses.parse("10.10.0.64"), "02:aa:00:00:00:02");
        kernel.addFdb(self, f);
        kernel.setNeighbour(self, n);
        kernel.vxlan(self, "vx0");
        kernel.fdb(self, "vx0");
        kernel.neighbours(self, "vx0");
        kernel.deleteFdb(self, f);
        kernel.deleteNeighbour(self, n);
        assertThat(kernel.writes()).extracting(FakeKernel.Call::method)
                .containsExactly("createVxlan", "addFdb", "setNeighbour", "deleteFdb", "deleteNeighbour");
        assertThat(kernel.calls()).hasSize(8);
        assertThat(kernel.writes().get(1).mentions("172.31.0.12")).isTrue();

        kernel.failOnce(c -> c.is("addFdb"), KernelException.EEXIST);
        assertThat(errno(() -> kernel.addFdb(self, f))).isEqualTo(KernelException.EEXIST);
        assertThat(kernel.fdbOf(self, "vx0")).isEmpty();
        kernel.addFdb(self, f);
        assertThat(kernel.vxlanOf(self, "vx0")).isEqualTo(Optional.of(VXLAN));
    }
}
