package io.drover.agent.kernel.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.FdbEntry;
import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.Neighbour;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.Route;
import io.drover.agent.kernel.Vxlan;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Drover's overlay between two nodes, on the real kernel: two node namespaces joined by a veth underlay
 * (172.31.0.11/24 and 172.31.0.12/24), a VXLAN device in each (VNI 1, local = the underlay address, port 4789, no
 * learning, a given MAC, bound to no underlay device), and for the peer's pod block an onlink route through vx0 to
 * the peer's VTEP address, a permanent neighbour entry for that address and a forwarding entry sending the peer's
 * MAC to the peer's underlay address. Flannel's vxlan backend in miniature, without a single ARP or learned entry.
 * Everything read back through LinuxKernel is also checked against iproute2 ({@code ip -d link}, {@code ip neigh},
 * {@code bridge fdb}, {@code ip route}).
 */
class VxlanOverlayE2ETest extends KernelE2E {

    /** One node of the pair: its underlay address, VXLAN MAC, VTEP addresses on vx0 and a pod-ish address on lo. */
    private record Node(String suffix, String underlay, String mac, String block4, String vtep4, String pod4,
                        String block6, String vtep6, String pod6) {

        Vxlan vxlan() {
            return new Vxlan(1, IpAddresses.parse(underlay), Vxlan.IANA_PORT, false);
        }

        Route route4() {
            return new Route(Cidr.parse(block4), IpAddresses.parse(vtep4), "vx0", true);
        }

        Route route6() {
            return new Route(Cidr.parse(block6), IpAddresses.parse(vtep6), "vx0", true);
        }

        Neighbour neighbour4() {
            return new Neighbour("vx0", IpAddresses.parse(vtep4), mac);
        }

        Neighbour neighbour6() {
            return new Neighbour("vx0", IpAddresses.parse(vtep6), mac);
        }

        FdbEntry fdb() {
            return new FdbEntry("vx0", mac, IpAddresses.parse(underlay));
        }
    }

    private static final Node ONE = new Node("n1", "172.31.0.11", "02:d0:00:00:00:01", "10.10.0.0/26", "10.10.0.0",
            "10.10.0.1", "fd00:10::1:0/112", "fd00:10::1:1", "fd00:10::1:2");
    private static final Node TWO = new Node("n2", "172.31.0.12", "02:d0:00:00:00:02", "10.10.0.64/26", "10.10.0.64",
            "10.10.0.65", "fd00:10::2:0/112", "fd00:10::2:1", "fd00:10::2:2");

    private NetNs n1;
    private NetNs n2;
    private String name1;
    private String name2;

    @BeforeEach
    void nodes() {
        n1 = spaces.create(ONE.suffix());
        n2 = spaces.create(TWO.suffix());
        name1 = spaces.name(ONE.suffix());
        name2 = spaces.name(TWO.suffix());
    }

    private NetNs ns(Node node) {
        return node == ONE ? n1 : n2;
    }

    /** eth0 of each node, the two ends of one veth pair, 172.31.0.11/24 and 172.31.0.12/24; lo up. */
    private void underlay() {
        kernel.createVethPair(n1, "eth0", null, n2, "eth0", 1500);
        for (Node node : List.of(ONE, TWO)) {
            kernel.addAddress(ns(node), "eth0", Address.parse(node.underlay() + "/24"));
            kernel.setUp(ns(node), "eth0", true);
            kernel.setUp(ns(node), "lo", true);
        }
    }

    /** vx0 in each node, up, with its VTEP addresses, a pod-ish address on lo, and the static entries towards the peer. */
    private void overlay() {
        for (Node node : List.of(ONE, TWO)) {
            NetNs ns = ns(node);
            kernel.createVxlan(ns, "vx0", node.vxlan(), 1450, node.mac(), "drover:overlay");
            kernel.setUp(ns, "vx0", true);
            kernel.addAddress(ns, "vx0", Address.parse(node.vtep4() + "/32"));
            kernel.addAddress(ns, "vx0", Address.parse(node.vtep6() + "/128"));
            kernel.addAddress(ns, "lo", Address.parse(node.pod4() + "/32"));
            kernel.addAddress(ns, "lo", Address.parse(node.pod6() + "/128"));
        }
        for (Node node : List.of(ONE, TWO)) {
            NetNs ns = ns(node);
            Node peer = node == ONE ? TWO : ONE;
            kernel.addFdb(ns, peer.fdb());
            kernel.setNeighbour(ns, peer.neighbour4());
            kernel.setNeighbour(ns, peer.neighbour6());
            kernel.addRoute(ns, peer.route4());
            kernel.addRoute(ns, peer.route6());
        }
    }

    @Test
    void podsOfTwoNodesReachEachOtherOverTheOverlay() throws Exception {
        underlay();
        overlay();
        long sentBefore = packets(name1, "vx0", "tx");
        long receivedBefore = packets(name2, "vx0", "rx");

        assertThat(Oracle.ping(name1, TWO.vtep4())).as("node-1 -> node-2's VTEP, IPv4 in VXLAN").isTrue();
        assertThat(Oracle.ping(name1, TWO.pod4())).as("node-1 -> a pod address of node-2").isTrue();
        assertThat(Oracle.ping(name2, ONE.pod4())).as("node-2 -> a pod address of node-1").isTrue();
        assertThat(Oracle.ping(name1, TWO.pod6())).as("IPv6 over the IPv4 underlay").isTrue();
        assertThat(Oracle.ping(name2, ONE.pod6())).isTrue();
        assertThat(packets(name1, "vx0", "tx")).as("node-1 encapsulated them").isGreaterThan(sentBefore);
        assertThat(packets(name2, "vx0", "rx")).as("node-2 decapsulated them").isGreaterThan(receivedBefore);

        // A whole TCP exchange, sockets opened inside the nodes through the kernel under test.
        InetAddress pod2 = IpAddresses.parse(TWO.pod4());
        try (ServerSocket server = kernel.inNamespace(n2, () -> {
                    ServerSocket s = new ServerSocket();
                    s.bind(new InetSocketAddress(pod2, 0));
                    return s;
                });
                Socket client = kernel.inNamespace(n1, () -> {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress(pod2, server.getLocalPort()), 3000);
                    return s;
                })) {
            server.setSoTimeout(3000);
            try (Socket accepted = server.accept()) {
                assertThat(accepted.getInetAddress().getHostAddress()).as("the source is node-1's VTEP address")
                        .isEqualTo(ONE.vtep4());
                OutputStream out = client.getOutputStream();
                out.write("over vxlan\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                InputStream in = accepted.getInputStream();
                assertThat(new String(in.readNBytes(11), StandardCharsets.UTF_8)).isEqualTo("over vxlan\n");
            }
        }

        // Without the forwarding entry, node-1's frames for node-2's MAC go nowhere (no learning, no default
        // destination): the overlay is made of exactly these static entries.
        kernel.deleteFdb(n1, TWO.fdb());
        assertThat(pingOnce(name1, TWO.pod4())).as("no forwarding entry, no way across").isFalse();
        kernel.addFdb(n1, TWO.fdb());
        assertThat(Oracle.ping(name1, TWO.pod4())).isTrue();
    }

    @Test
    void whatIsWrittenReadsBackExactlyThroughLinuxKernelAndIproute2() {
        underlay();
        overlay();

        assertThat(kernel.vxlan(n1, "vx0")).contains(ONE.vxlan());
        assertThat(kernel.vxlan(n2, "vx0")).contains(TWO.vxlan());
        assertThat(kernel.vxlan(n1, "eth0")).as("a veth is no VXLAN device").isEmpty();
        Link vx0 = kernel.links(n1).stream().filter(l -> l.name().equals("vx0")).findFirst().orElseThrow();
        assertThat(vx0).extracting(Link::kind, Link::mtu, Link::up, Link::mac, Link::master, Link::alias)
                .containsExactly("vxlan", 1450, true, ONE.mac(), null, "drover:overlay");

        assertThat(kernel.neighbours(n1, "vx0")).containsExactlyInAnyOrder(TWO.neighbour4(), TWO.neighbour6());
        assertThat(kernel.neighbours(n1, "eth0")).as("only permanent entries; the underlay's ARP is not").isEmpty();
        assertThat(kernel.fdb(n1, "vx0")).containsExactly(TWO.fdb());
        assertThat(kernel.fdb(n1, "eth0")).isEmpty();
        Set<Route> onVx0 = routesVia(kernel.routes(n1), "vx0");
        assertThat(onVx0).contains(TWO.route4(), TWO.route6());

        for (Node node : List.of(ONE, TWO)) {
            String name = spaces.name(node.suffix());
            Node peer = node == ONE ? TWO : ONE;
            NetNs ns = ns(node);
            // ip -d link show vx0
            JsonNode link = Oracle.ip(name, "-d", "link", "show", "vx0").get(0);
            assertThat(link.get("address").asString()).isEqualTo(node.mac());
            assertThat(link.get("mtu").asInt()).isEqualTo(1450);
            assertThat(link.get("ifalias").asString()).isEqualTo("drover:overlay");
            JsonNode info = link.get("linkinfo");
            assertThat(info.get("info_kind").asString()).isEqualTo("vxlan");
            JsonNode data = info.get("info_data");
            assertThat(data.get("id").asInt()).isEqualTo(1);
            assertThat(data.get("local").asString()).isEqualTo(node.underlay());
            assertThat(data.get("port").asInt()).as("the port went in network byte order").isEqualTo(4789);
            assertThat(data.get("learning").asBoolean()).isFalse();
            assertThat(data.has("link")).as("bound to no underlay device").isFalse();
            assertThat(data.has("remote") || data.has("group")).as("no default destination").isFalse();
            // ip neigh show dev vx0 nud permanent
            assertThat(Set.copyOf(kernel.neighbours(ns, "vx0"))).isEqualTo(ipNeighbours(name, "vx0"))
                    .containsExactlyInAnyOrder(peer.neighbour4(), peer.neighbour6());
            // bridge fdb show dev vx0
            assertThat(Set.copyOf(kernel.fdb(ns, "vx0"))).isEqualTo(bridgeFdb(name, "vx0")).containsExactly(peer.fdb());
            assertThat(Oracle.run("bridge", "-n", name, "fdb", "show", "dev", "vx0").ok().out())
                    .contains(peer.mac() + " dst " + peer.underlay() + " self permanent");
            // ip route show dev vx0
            assertThat(routesVia(kernel.routes(ns), "vx0")).isEqualTo(ipRoutes(name, "vx0"));
            assertThat(Oracle.ipText(name, "route", "show", peer.block4())).contains("via " + peer.vtep4())
                    .contains("dev vx0").contains("onlink");
        }
    }

    @Test
    void deletingWorksOnceAndThenFailsWithTheDocumentedErrno() {
        underlay();
        overlay();

        // A forwarding entry: a delete naming another destination of the MAC is ENOENT and leaves the entry be
        // (the kernel itself would answer it with success and do nothing).
        FdbEntry wrongDestination = new FdbEntry("vx0", TWO.mac(), IpAddresses.parse("172.31.0.99"));
        expectErrno(KernelException.ENOENT, () -> kernel.deleteFdb(n1, wrongDestination),
                "delete forwarding entry " + TWO.mac() + " dev vx0 dst 172.31.0.99 in " + n1);
        assertThat(kernel.fdb(n1, "vx0")).containsExactly(TWO.fdb());
        kernel.deleteFdb(n1, TWO.fdb());
        assertThat(kernel.fdb(n1, "vx0")).isEmpty();
        assertThat(bridgeFdb(name1, "vx0")).isEmpty();
        expectErrno(KernelException.ENOENT, () -> kernel.deleteFdb(n1, TWO.fdb()), "delete forwarding entry");

        // Neighbours: the address names the entry.
        kernel.deleteNeighbour(n1, TWO.neighbour4());
        assertThat(kernel.neighbours(n1, "vx0")).containsExactly(TWO.neighbour6());
        assertThat(ipNeighbours(name1, "vx0")).containsExactly(TWO.neighbour6());
        expectErrno(KernelException.ENOENT, () -> kernel.deleteNeighbour(n1, TWO.neighbour4()),
                "delete neighbour 10.10.0.64 lladdr " + TWO.mac() + " dev vx0 in " + n1 + ": No such file or directory (ENOENT)");
        kernel.deleteNeighbour(n1, TWO.neighbour6());
        expectErrno(KernelException.ENOENT, () -> kernel.deleteNeighbour(n1, TWO.neighbour6()), "fd00:10::2:1");

        // Onlink routes.
        kernel.deleteRoute(n1, TWO.route4());
        kernel.deleteRoute(n1, TWO.route6());
        assertThat(routesVia(kernel.routes(n1), "vx0")).doesNotContain(TWO.route4(), TWO.route6());
        assertThat(ipRoutes(name1, "vx0")).doesNotContain(TWO.route4(), TWO.route6());
        expectErrno(KernelException.ESRCH, () -> kernel.deleteRoute(n1, TWO.route4()),
                "delete route 10.10.0.64/26 via 10.10.0.64 dev vx0 onlink");

        // The device, and with it what is left on node-2's side.
        kernel.deleteLink(n2, "vx0");
        assertThat(kernel.links(n2)).extracting(Link::name).doesNotContain("vx0");
        assertThat(Oracle.ip(name2, "link")).noneMatch(l -> l.get("ifname").asString().equals("vx0"));
        assertThat(routesVia(kernel.routes(n2), "vx0")).as("its routes went with it").isEmpty();
        expectErrno(KernelException.ENODEV, () -> kernel.deleteLink(n2, "vx0"), "delete interface vx0");
        expectErrno(KernelException.ENODEV, () -> kernel.vxlan(n2, "vx0"), "read vxlan parameters of vx0");
        expectErrno(KernelException.ENODEV, () -> kernel.neighbours(n2, "vx0"), "list neighbours of vx0");
        expectErrno(KernelException.ENODEV, () -> kernel.fdb(n2, "vx0"), "list forwarding entries of vx0");
        expectErrno(KernelException.ENODEV, () -> kernel.setNeighbour(n2, ONE.neighbour4()), "interface vx0");
        expectErrno(KernelException.ENODEV, () -> kernel.addFdb(n2, ONE.fdb()), "interface vx0");
        // A new vx0 starts empty: neighbour and forwarding entries went with the old one.
        kernel.createVxlan(n2, "vx0", TWO.vxlan(), 1450, TWO.mac(), null);
        assertThat(kernel.neighbours(n2, "vx0")).isEmpty();
        assertThat(kernel.fdb(n2, "vx0")).isEmpty();
    }

    @Test
    void refusalsCarryTheKernelsErrnoAndLeaveNothingBehind() {
        underlay();
        overlay();
        expectErrno(KernelException.EEXIST, () -> kernel.createVxlan(n1, "vx0", ONE.vxlan(), 1450, null, null),
                "create vxlan vx0 (vni 1, local 172.31.0.11, port 4789) in " + n1 + ": File exists (EEXIST)");
        // A second device with the VNI, port and family of vx0, whatever its local address.
        Vxlan sameVni = new Vxlan(1, IpAddresses.parse("172.31.0.99"), 4789, false);
        expectErrno(KernelException.EEXIST, () -> kernel.createVxlan(n1, "vx1", sameVni, 1450, null, "drover:x"),
                "A VXLAN device with the specified VNI already exists");
        expectErrno(KernelException.EADDRNOTAVAIL, () -> kernel.createVxlan(n1, "vx1", new Vxlan(2, sameVni.local(),
                4789, false), 1450, "01:00:5e:00:00:01", null), "create vxlan vx1");
        assertThat(kernel.links(n1)).extracting(Link::name).doesNotContain("vx1");
        assertThatThrownBy(() -> kernel.createVxlan(n1, "vx1", ONE.vxlan(), 1450, "02:00:00", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a MAC address");

        // One destination per unicast MAC: the same entry again, or the MAC towards another node, is EEXIST (the
        // kernel would take `bridge fdb append` for it silently and change nothing).
        expectErrno(KernelException.EEXIST, () -> kernel.addFdb(n1, TWO.fdb()),
                "add forwarding entry " + TWO.mac() + " dev vx0 dst 172.31.0.12 in " + n1 + ": File exists (EEXIST)");
        FdbEntry moved = new FdbEntry("vx0", TWO.mac(), IpAddresses.parse("172.31.0.13"));
        expectErrno(KernelException.EEXIST, () -> kernel.addFdb(n1, moved), "already goes to 172.31.0.12");
        assertThat(bridgeFdb(name1, "vx0")).containsExactly(TWO.fdb());
        // A destination of the other family than vx0's local address.
        expectErrno(97 /* EAFNOSUPPORT */, () -> kernel.addFdb(n1,
                new FdbEntry("vx0", "02:d0:00:00:00:09", IpAddresses.parse("fd00:31::2"))), "add forwarding entry");
        // A veth would take the MAC into its unicast filter and ignore the destination; refused before that.
        expectErrno(95 /* EOPNOTSUPP */, () -> kernel.addFdb(n1, new FdbEntry("eth0", TWO.mac(),
                IpAddresses.parse(TWO.underlay()))), "a veth device");
        assertThat(Oracle.run("bridge", "-n", name1, "fdb", "show", "dev", "eth0").ok().out()).doesNotContain(TWO.mac());

        // The all-zeros MAC collects destinations (flooding lists), one of each.
        FdbEntry flood12 = new FdbEntry("vx0", "00:00:00:00:00:00", IpAddresses.parse("172.31.0.12"));
        FdbEntry flood13 = new FdbEntry("vx0", "00:00:00:00:00:00", IpAddresses.parse("172.31.0.13"));
        kernel.addFdb(n1, flood12);
        kernel.addFdb(n1, flood13);
        expectErrno(KernelException.EEXIST, () -> kernel.addFdb(n1, flood13), "the entry is there already");
        assertThat(Set.copyOf(kernel.fdb(n1, "vx0"))).isEqualTo(bridgeFdb(name1, "vx0"))
                .containsExactlyInAnyOrder(TWO.fdb(), flood12, flood13);
        kernel.deleteFdb(n1, flood12);
        assertThat(bridgeFdb(name1, "vx0")).containsExactlyInAnyOrder(TWO.fdb(), flood13);

        // A neighbour is replaced in place.
        Neighbour elsewhere = new Neighbour("vx0", IpAddresses.parse(TWO.vtep4()), "02:D0:00:00:00:77");
        kernel.setNeighbour(n1, elsewhere);
        assertThat(kernel.neighbours(n1, "vx0")).containsExactlyInAnyOrder(elsewhere, TWO.neighbour6());
        assertThat(ipNeighbours(name1, "vx0")).containsExactlyInAnyOrder(elsewhere, TWO.neighbour6());
    }

    @Test
    void takingTheDeviceDownFlushesItsNeighboursButNotItsForwardingEntries() {
        underlay();
        overlay();
        kernel.setUp(n1, "vx0", false);
        assertThat(kernel.neighbours(n1, "vx0")).as("Linux drops neighbour entries, permanent ones too").isEmpty();
        assertThat(ipNeighbours(name1, "vx0")).isEmpty();
        assertThat(kernel.fdb(n1, "vx0")).as("the VXLAN driver keeps permanent forwarding entries").containsExactly(TWO.fdb());
        assertThat(routesVia(kernel.routes(n1), "vx0")).as("and the routes through the device go").isEmpty();
        // Neighbour entries can be written to a device that is down, though.
        kernel.setNeighbour(n1, TWO.neighbour4());
        assertThat(kernel.neighbours(n1, "vx0")).containsExactly(TWO.neighbour4());
    }

    @Test
    void anIpv6UnderlayAndLearningReadBack() {
        underlay();
        kernel.addAddress(n1, "eth0", Address.parse("fd00:31::1/64"));
        Vxlan v6 = new Vxlan(0xABCDEF, IpAddresses.parse("fd00:31::1"), 8472, true);
        kernel.createVxlan(n1, "vx6", v6, 1430, null, null);
        assertThat(kernel.vxlan(n1, "vx6")).contains(v6);
        JsonNode data = Oracle.ip(name1, "-d", "link", "show", "vx6").get(0).get("linkinfo").get("info_data");
        assertThat(data.get("id").asInt()).isEqualTo(0xABCDEF);
        assertThat(data.get("local6").asString()).as("iproute2 names it local6").isEqualTo("fd00:31::1");
        assertThat(data.get("port").asInt()).isEqualTo(8472);
        assertThat(data.get("learning").asBoolean()).isTrue();
        Link vx6 = kernel.links(n1).stream().filter(l -> l.name().equals("vx6")).findFirst().orElseThrow();
        assertThat(vx6.kind()).isEqualTo("vxlan");
        assertThat(vx6.mtu()).isEqualTo(1430);
        assertThat(vx6.alias()).isNull();

        FdbEntry entry = new FdbEntry("vx6", "02:d0:00:00:00:02", IpAddresses.parse("fd00:31::2"));
        kernel.addFdb(n1, entry);
        assertThat(kernel.fdb(n1, "vx6")).containsExactly(entry);
        assertThat(bridgeFdb(name1, "vx6")).containsExactly(entry);
        expectErrno(97 /* EAFNOSUPPORT */, () -> kernel.addFdb(n1, new FdbEntry("vx6", "02:d0:00:00:00:03",
                IpAddresses.parse("172.31.0.12"))), "add forwarding entry");
    }

    // Helpers.

    private static void expectErrno(int errno, ThrowingCallable call, String messagePart) {
        Consumer<KernelException> check = e -> assertThat(e.errno()).as(e.getMessage()).isEqualTo(errno);
        assertThatThrownBy(call).isInstanceOfSatisfying(KernelException.class, check).hasMessageContaining(messagePart);
    }

    private static Set<Route> routesVia(List<Route> routes, String device) {
        Set<Route> out = new HashSet<>();
        for (Route r : routes) {
            if (device.equals(r.device())) {
                out.add(r);
            }
        }
        return out;
    }

    /** One echo request, one second to answer. */
    private static boolean pingOnce(String ns, String address) {
        List<String> command = new ArrayList<>(Oracle.has("ping") ? List.of("ping") : List.of("busybox", "ping"));
        command.addAll(List.of("-c1", "-W1", address));
        return Oracle.exec(ns, command.toArray(String[]::new)).exit() == 0;
    }

    /** The packets a device has sent ("tx") or received ("rx"), from {@code ip -s link show DEV}. */
    private static long packets(String ns, String device, String direction) {
        return Oracle.ip(ns, "-s", "link", "show", device).get(0).get("stats64").get(direction).get("packets").asLong();
    }

    /** {@code ip neigh show dev DEV nud permanent}. */
    private static Set<Neighbour> ipNeighbours(String ns, String device) {
        Set<Neighbour> out = new HashSet<>();
        for (JsonNode n : Oracle.ip(ns, "neigh", "show", "dev", device, "nud", "permanent")) {
            out.add(new Neighbour(device, IpAddresses.parse(n.get("dst").asString()), n.get("lladdr").asString()));
        }
        return out;
    }

    /** {@code bridge fdb show dev DEV}: the self permanent entries with a destination. */
    private static Set<FdbEntry> bridgeFdb(String ns, String device) {
        String out = Oracle.run("bridge", "-n", ns, "-j", "fdb", "show", "dev", device).ok().out();
        Set<FdbEntry> entries = new HashSet<>();
        for (JsonNode e : Oracle.json(out.isBlank() ? "[]" : out)) {
            boolean self = false;
            for (JsonNode f : e.path("flags")) {
                self |= f.asString().equals("self");
            }
            if (self && e.has("dst") && "permanent".equals(e.path("state").asString())) {
                entries.add(new FdbEntry(device, e.get("mac").asString(), IpAddresses.parse(e.get("dst").asString())));
            }
        }
        return entries;
    }

    /** {@code ip route show table main dev DEV}, both families, unicast routes only. */
    private static Set<Route> ipRoutes(String ns, String device) {
        Set<Route> routes = new HashSet<>();
        for (String family : List.of("-4", "-6")) {
            for (JsonNode r : Oracle.ip(ns, family, "route", "show", "table", "main", "dev", device)) {
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
                JsonNode gateway = r.get("gateway");
                routes.add(new Route(destination, gateway == null ? null : IpAddresses.parse(gateway.asString()), device,
                        onLink));
            }
        }
        return routes;
    }
}
