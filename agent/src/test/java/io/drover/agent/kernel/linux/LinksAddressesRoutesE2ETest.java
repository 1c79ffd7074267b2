package io.drover.agent.kernel.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.Route;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Links, addresses and routes, checked against iproute2 and ping. The topology is Drover's bridge mode in miniature:
 * a node namespace with a bridge, a pod namespace whose eth0 is the peer of a veth enslaved to the bridge.
 */
class LinksAddressesRoutesE2ETest extends KernelE2E {

    private NetNs node;
    private NetNs pod;
    private String nodeName;
    private String podName;

    @BeforeEach
    void namespaces() {
        node = spaces.create("node");
        pod = spaces.create("pod");
        nodeName = spaces.name("node");
        podName = spaces.name("pod");
    }

    /** br0 10.77.0.1/24 fd00:77::1/64 in the node; dv1 (port of br0) <-> eth0 10.77.0.2/24 fd00:77::2/64 in the pod. */
    private void buildBridgeTopology() {
        kernel.createBridge(node, "br0", 1450, "drover:bridge");
        kernel.createVethPair(node, "dv1", "drover:pod/web-1", pod, "eth0", 1450);
        kernel.setMaster(node, "dv1", "br0");
        kernel.addAddress(node, "br0", Address.parse("10.77.0.1/24"));
        kernel.addAddress(node, "br0", Address.parse("fd00:77::1/64"));
        kernel.addAddress(pod, "eth0", Address.parse("10.77.0.2/24"));
        kernel.addAddress(pod, "eth0", Address.parse("fd00:77::2/64"));
        for (String l : List.of("br0", "dv1", "lo")) {
            kernel.setUp(node, l, true);
        }
        kernel.setUp(pod, "eth0", true);
        kernel.setUp(pod, "lo", true);
    }

    @Test
    void podReachesTheBridgeAndBeyondOverBothFamilies() {
        buildBridgeTopology();
        // Something beyond the bridge, reachable only through the pod's default routes.
        kernel.addAddress(node, "lo", Address.parse("10.99.0.1/32"));
        kernel.addAddress(node, "lo", Address.parse("fd00:99::1/128"));
        kernel.addRoute(pod, Route.via(Cidr.parse("0.0.0.0/0"), IpAddresses.parse("10.77.0.1")));
        kernel.addRoute(pod, new Route(Cidr.parse("::/0"), IpAddresses.parse("fd00:77::1"), "eth0", false));

        assertThat(Oracle.ping(podName, "10.77.0.1")).as("pod -> bridge, IPv4").isTrue();
        assertThat(Oracle.ping(podName, "fd00:77::1")).as("pod -> bridge, IPv6 (no DAD wait)").isTrue();
        assertThat(Oracle.ping(podName, "10.99.0.1")).as("pod -> node via default route, IPv4").isTrue();
        assertThat(Oracle.ping(podName, "fd00:99::1")).as("pod -> node via default route, IPv6").isTrue();
        assertThat(Oracle.ping(nodeName, "10.77.0.2")).as("node -> pod").isTrue();

        // Our IPv6 addresses were usable at once: not tentative (the kernel's own link-local one may still be).
        for (JsonNode a : Oracle.ip(podName, "-6", "addr", "show", "dev", "eth0").get(0).get("addr_info")) {
            if (a.get("local").asString().equals("fd00:77::2")) {
                assertThat(a.has("tentative")).as(a.toString()).isFalse();
            }
        }
    }

    @Test
    void linksShowKindMtuAliasMasterAndState() {
        buildBridgeTopology();
        Link br0 = link(node, "br0");
        Link dv1 = link(node, "dv1");
        Link eth0 = link(pod, "eth0");
        assertThat(br0.kind()).isEqualTo("bridge");
        assertThat(br0.alias()).isEqualTo("drover:bridge");
        assertThat(br0.mtu()).isEqualTo(1450);
        assertThat(dv1.kind()).isEqualTo("veth");
        assertThat(dv1.master()).isEqualTo("br0");
        assertThat(dv1.alias()).isEqualTo("drover:pod/web-1");
        assertThat(dv1.ownedByDrover()).isTrue();
        assertThat(dv1.up()).isTrue();
        assertThat(eth0.mtu()).as("the peer gets the MTU too").isEqualTo(1450);
        assertThat(eth0.alias()).isNull();
        assertThat(eth0.master()).isNull();
        // The peer was created directly in the pod: it never shows up in the node.
        assertThat(kernel.links(node)).extracting(Link::name).doesNotContain("eth0");

        // iproute2 sees the same.
        String dv1Text = Oracle.ipText(nodeName, "-d", "link", "show", "dv1");
        assertThat(dv1Text).contains("mtu 1450").contains("master br0").contains("alias drover:pod/web-1");

        kernel.setMtu(node, "dv1", 1400);
        assertThat(link(node, "dv1").mtu()).isEqualTo(1400);
        kernel.setUp(node, "dv1", false);
        assertThat(link(node, "dv1").up()).isFalse();
        assertThat(Oracle.ip(nodeName, "link", "show", "dv1").get(0).get("flags").toString()).doesNotContain("\"UP\"");
        kernel.setMaster(node, "dv1", null);
        assertThat(link(node, "dv1").master()).isNull();
        assertThat(Oracle.ipText(nodeName, "link", "show", "dv1")).doesNotContain("master");
    }

    @Test
    void oneLinkByNameIsWhatTheListShows() {
        buildBridgeTopology();
        for (String name : List.of("br0", "dv1")) {
            assertThat(kernel.link(node, name)).contains(link(node, name));
        }
        assertThat(kernel.link(node, "dv1")).get().satisfies(l -> {
            assertThat(l.master()).isEqualTo("br0");
            assertThat(l.alias()).isEqualTo("drover:pod/web-1");
        });
        assertThat(kernel.link(pod, "eth0")).contains(link(pod, "eth0"));
        assertThat(kernel.link(node, "no-such")).isEmpty();
    }

    @Test
    void hairpinIsVisibleToIproute2() {
        buildBridgeTopology();
        kernel.setHairpin(node, "dv1", true);
        assertThat(hairpin("dv1")).isTrue();
        assertThat(Oracle.ipText(nodeName, "-d", "link", "show", "dv1")).contains("hairpin on");
        kernel.setHairpin(node, "dv1", false);
        assertThat(hairpin("dv1")).isFalse();
    }

    @Test
    void aPinnedMacStaysInTheBridgesForwardingDatabaseLongAfterTheBridgeWouldHaveForgottenIt() throws Exception {
        buildBridgeTopology();
        // A bridge that forgets what it learned after 1 s (ageing_time is in hundredths of a second).
        Oracle.exec(nodeName, "ip", "link", "set", "br0", "type", "bridge", "ageing_time", "100").ok();
        kernel.pinMac(node, "dv1", "0a:58:0a:4d:00:02");
        kernel.pinMac(node, "dv1", "0A:58:0A:4D:00:02"); // again: a replace, not an error
        Thread.sleep(2_500);
        assertThat(Oracle.exec(nodeName, "bridge", "fdb", "show", "dev", "dv1").ok().out())
                .containsOnlyOnce("0a:58:0a:4d:00:02 master br0 static");
        expectErrno(95 /* EOPNOTSUPP */, () -> kernel.pinMac(node, "br0", "0a:58:0a:4d:00:03"),
                "pin MAC 0a:58:0a:4d:00:03 to bridge port br0");
        // The entry goes with the port.
        kernel.setMaster(node, "dv1", null);
        assertThat(Oracle.exec(nodeName, "bridge", "fdb", "show", "dev", "dv1").ok().out()).doesNotContain("0a:58:0a:4d:00:02");
    }

    @Test
    void aVethRunsOnceBothEndsAreUpAndStopsWhenItsPeerGoesDown() {
        buildBridgeTopology();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(2)).until(() -> kernel.running(pod, "eth0"));
        assertThat(Oracle.ipText(podName, "link", "show", "eth0")).contains("LOWER_UP").contains("state UP");
        kernel.setUp(node, "dv1", false);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(2)).until(() -> !kernel.running(pod, "eth0"));
        expectErrno(KernelException.ENODEV, () -> kernel.running(pod, "eth9"), "eth9");
    }

    @Test
    void aBridgeKeepsTheMacItWasGivenWhilePortsComeAndGo() {
        buildBridgeTopology();
        kernel.setMac(node, "br0", "0e:00:00:00:00:99");
        // A port whose MAC is lower than the bridge's: a bridge left to itself would take it.
        kernel.createVethPair(node, "dv2", null, node, "dv2p", 1450);
        kernel.setMac(node, "dv2", "02:00:00:00:00:01");
        kernel.setMaster(node, "dv2", "br0");
        assertThat(kernel.link(node, "br0").orElseThrow().mac()).isEqualTo("0e:00:00:00:00:99");
        kernel.deleteLink(node, "dv2");
        assertThat(kernel.link(node, "br0").orElseThrow().mac()).isEqualTo("0e:00:00:00:00:99");
        assertThat(Oracle.ipText(nodeName, "link", "show", "br0")).contains("link/ether 0e:00:00:00:00:99");
    }

    private boolean hairpin(String port) {
        JsonNode info = Oracle.ip(nodeName, "-d", "link", "show", port).get(0).get("linkinfo").get("info_slave_data");
        return info.get("hairpin").asBoolean();
    }

    @Test
    void vethPairsCanStayInOneNamespace() {
        kernel.createVethPair(node, "va", null, node, "vb", 1500);
        assertThat(kernel.links(node)).extracting(Link::name).contains("va", "vb");
        kernel.deleteLink(node, "vb");
        assertThat(kernel.links(node)).extracting(Link::name).doesNotContain("va", "vb");
    }

    @Test
    void deletingOneEndOfAVethDeletesThePeer() {
        buildBridgeTopology();
        kernel.deleteLink(node, "dv1");
        assertThat(kernel.links(pod)).extracting(Link::name).containsExactly("lo");
        assertThat(Oracle.ip(podName, "link")).hasSize(1);
    }

    @Test
    void addressesAndRoutesCanBeRemoved() {
        buildBridgeTopology();
        Route toOverlay = new Route(Cidr.parse("10.50.0.0/16"), IpAddresses.parse("10.77.0.1"), "eth0", false);
        kernel.addRoute(pod, toOverlay);
        assertThat(kernel.routes(pod)).contains(toOverlay);
        kernel.deleteRoute(pod, toOverlay);
        assertThat(kernel.routes(pod)).doesNotContain(toOverlay);

        kernel.deleteAddress(pod, "eth0", Address.parse("fd00:77::2/64"));
        kernel.deleteAddress(pod, "eth0", Address.parse("10.77.0.2/24"));
        assertThat(kernel.addresses(pod, "eth0")).noneMatch(a -> a.toString().equals("10.77.0.2/24") || a.toString().equals("fd00:77::2/64"));
        assertThat(Oracle.ipText(podName, "addr", "show", "dev", "eth0")).doesNotContain("10.77.0.2").doesNotContain("fd00:77::2");
    }

    @Test
    void onLinkRoutesInBothFamilies() {
        buildBridgeTopology();
        // A gateway outside every subnet of eth0, as in overlay routes: only valid with onlink.
        Route v4 = new Route(Cidr.parse("10.60.0.0/16"), IpAddresses.parse("192.168.255.1"), "eth0", true);
        Route v6 = new Route(Cidr.parse("fd00:60::/64"), IpAddresses.parse("fd00:ffff::1"), "eth0", true);
        kernel.addRoute(pod, v4);
        kernel.addRoute(pod, v6);
        assertThat(kernel.routes(pod)).contains(v4, v6);
        assertThat(Oracle.ipText(podName, "route", "show", "10.60.0.0/16")).contains("onlink");
        assertThat(Oracle.ipText(podName, "-6", "route", "show", "fd00:60::/64")).contains("onlink");
        kernel.deleteRoute(pod, v4);
        kernel.deleteRoute(pod, v6);
        assertThat(kernel.routes(pod)).doesNotContain(v4, v6);
        // Without onlink, the same gateway is refused: it is not on any subnet of eth0.
        Route notOnLink = new Route(v4.destination(), v4.gateway(), "eth0", false);
        assertThatThrownBy(() -> kernel.addRoute(pod, notOnLink)).isInstanceOf(KernelException.class)
                .hasMessageContaining("add route 10.60.0.0/16 via 192.168.255.1 dev eth0 in " + pod);
    }

    @Test
    void failuresCarryTheKernelsErrnoAndSayWhatAndWhere() {
        buildBridgeTopology();
        expectErrno(KernelException.EEXIST, () -> kernel.createBridge(node, "br0", 1500, null),
                "create bridge br0 in " + node + ": File exists (EEXIST)");
        expectErrno(KernelException.ENODEV, () -> kernel.deleteLink(node, "nope0"),
                "delete interface nope0 in " + node + ": No such device (ENODEV)");
        expectErrno(KernelException.ENODEV, () -> kernel.setUp(node, "nope0", true), "nope0");
        expectErrno(KernelException.ENODEV, () -> kernel.setMtu(node, "nope0", 1400), "nope0");
        expectErrno(KernelException.ENODEV, () -> kernel.setMaster(node, "dv1", "nobridge"), "interface nobridge");
        expectErrno(KernelException.ENODEV, () -> kernel.addAddress(node, "nope0", Address.parse("10.1.1.1/24")), "nope0");
        expectErrno(KernelException.ENODEV, () -> kernel.addresses(node, "nope0"), "nope0");
        expectErrno(KernelException.EEXIST, () -> kernel.addAddress(pod, "eth0", Address.parse("10.77.0.2/24")),
                "add address 10.77.0.2/24 to eth0 in " + pod);
        expectErrno(KernelException.EADDRNOTAVAIL, () -> kernel.deleteAddress(pod, "eth0", Address.parse("10.77.0.9/24")),
                "delete address 10.77.0.9/24 from eth0");
        Route route = Route.via(Cidr.parse("10.88.0.0/16"), IpAddresses.parse("10.77.0.1"));
        expectErrno(KernelException.ESRCH, () -> kernel.deleteRoute(pod, route), "delete route 10.88.0.0/16 via 10.77.0.1");
        kernel.addRoute(pod, route);
        expectErrno(KernelException.EEXIST, () -> kernel.addRoute(pod, route), "add route 10.88.0.0/16");
        // Hairpin is a bridge port's setting; br0 is no port.
        expectErrno(95 /* EOPNOTSUPP */, () -> kernel.setHairpin(node, "br0", true), "hairpin on on bridge port br0");
    }

    @Test
    void aFailedVethLeavesNothingBehind() {
        buildBridgeTopology();
        // The peer's name is taken in the pod: the kernel refuses the pair as a whole.
        expectErrno(KernelException.EEXIST, () -> kernel.createVethPair(node, "dv2", "drover:x", pod, "eth0", 1500),
                "create veth dv2 (peer eth0 in " + pod + ")");
        assertThat(kernel.links(node)).extracting(Link::name).doesNotContain("dv2");
        // A peer namespace that does not exist: nothing is created either.
        NetNs gone = NetNs.named(spaces.name("gone"));
        expectErrno(KernelException.ENOENT, () -> kernel.createVethPair(node, "dv3", null, gone, "eth0", 1500),
                "peer namespace " + gone);
        assertThat(kernel.links(node)).extracting(Link::name).doesNotContain("dv3");
    }

    private static void expectErrno(int errno, ThrowingCallable call, String messagePart) {
        Consumer<KernelException> check = e -> assertThat(e.errno()).as(e.getMessage()).isEqualTo(errno);
        assertThatThrownBy(call).isInstanceOfSatisfying(KernelException.class, check).hasMessageContaining(messagePart);
    }

    @Test
    void listingsAgreeWithIproute2() {
        buildBridgeTopology();
        kernel.setHairpin(node, "dv1", true);
        kernel.createBridge(node, "br1", 9000, null);
        kernel.addRoute(pod, Route.via(Cidr.parse("0.0.0.0/0"), IpAddresses.parse("10.77.0.1")));
        kernel.addRoute(pod, new Route(Cidr.parse("::/0"), IpAddresses.parse("fd00:77::1"), "eth0", false));
        kernel.addRoute(pod, new Route(Cidr.parse("10.60.0.0/16"), IpAddresses.parse("192.168.255.1"), "eth0", true));
        kernel.addRoute(pod, new Route(Cidr.parse("10.61.0.0/16"), null, "eth0", false));
        kernel.addRoute(node, new Route(Cidr.parse("10.62.0.5/32"), null, "br0", false));

        for (String ns : List.of(nodeName, podName)) {
            NetNs n = NetNs.named(ns);
            assertThat(Set.copyOf(kernel.links(n))).as("links of " + ns).isEqualTo(ipLinks(ns));
            for (Link l : kernel.links(n)) {
                assertThat(Set.copyOf(kernel.addresses(n, l.name()))).as("addresses of " + l.name() + " in " + ns)
                        .isEqualTo(ipAddresses(ns, l.name()));
            }
            assertThat(Set.copyOf(kernel.routes(n))).as("routes of " + ns).isEqualTo(ipRoutes(ns));
        }
    }

    private Link link(NetNs ns, String name) {
        return kernel.links(ns).stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    // The oracle's view, from `ip -j`.

    private static Set<Link> ipLinks(String ns) {
        Set<Link> links = new HashSet<>();
        for (JsonNode l : Oracle.ip(ns, "-d", "link", "show")) {
            JsonNode info = l.path("linkinfo").path("info_kind");
            boolean up = false;
            for (JsonNode f : l.get("flags")) {
                up |= f.asString().equals("UP");
            }
            links.add(new Link(l.get("ifindex").asInt(), l.get("ifname").asString(), info.isMissingNode() ? "" : info.asString(),
                    l.get("mtu").asInt(), up, text(l, "address"), text(l, "master"), text(l, "ifalias")));
        }
        return links;
    }

    private static Set<Address> ipAddresses(String ns, String link) {
        Set<Address> addresses = new HashSet<>();
        for (JsonNode l : Oracle.ip(ns, "addr", "show", "dev", link)) {
            for (JsonNode a : l.path("addr_info")) {
                addresses.add(new Address(IpAddresses.parse(a.get("local").asString()), a.get("prefixlen").asInt()));
            }
        }
        return addresses;
    }

    private static Set<Route> ipRoutes(String ns) {
        Set<Route> routes = new HashSet<>();
        for (String family : List.of("-4", "-6")) {
            for (JsonNode r : Oracle.ip(ns, family, "route", "show", "table", "main")) {
                if (r.has("type") && !r.get("type").asString().equals("unicast")) {
                    continue;
                }
                String dst = r.get("dst").asString();
                Cidr destination = dst.equals("default") ? Cidr.parse(family.equals("-4") ? "0.0.0.0/0" : "::/0")
                        : dst.contains("/") ? Cidr.parse(dst)
                        : Cidr.parse(dst + (family.equals("-4") ? "/32" : "/128"));
                boolean onLink = false;
                for (JsonNode f : r.path("flags")) {
                    onLink |= f.asString().equals("onlink");
                }
                String gateway = text(r, "gateway");
                routes.add(new Route(destination, gateway == null ? null : IpAddresses.parse(gateway), text(r, "dev"), onLink));
            }
        }
        return routes;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }
}
