package io.drover.agent.kernel.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.Route;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;

/**
 * The requests, byte for byte. The "captured" layouts are what iproute2 6.1 sent for the same operation on this
 * kernel (strace -xx of `ip link add ...` and friends, sequence numbers included); the others are written out by
 * hand from the UAPI structs, where iproute2 names the interface by index and Drover by name. All in x86-64/arm64
 * byte order (little-endian), which netlink uses as host order.
 */
class RtnlRequestsTest {

    @BeforeAll
    static void littleEndian() {
        Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "golden bytes are little-endian");
    }

    private static void assertBytes(byte[] actual, String expectedHex) {
        assertThat(Hex.of(actual)).isEqualTo(Hex.of(Hex.bytes(expectedHex)));
    }

    @Test
    void bridgeAsCaptured() {
        // ip link add br0 type bridge
        assertBytes(RtnlRequests.newBridge("br0", 0).build(1795260208), BRIDGE);
        // ip link add br0 mtu 1450 type bridge
        assertBytes(RtnlRequests.newBridge("br0", 1450).build(1795260446), BRIDGE_MTU);
    }

    @Test
    void vethWithPeerInAnotherNamespaceAsCaptured() {
        // ip link add dv1 mtu 1400 type veth peer name eth0 mtu 1400 netns X   (X opened as fd 4)
        assertBytes(RtnlRequests.newVeth("dv1", 1400, "eth0", 4).build(1795260445), VETH);
    }

    @Test
    void hairpinAsCaptured() {
        // bridge link set dev dv1 hairpin on   (dv1 has index 3)
        assertBytes(RtnlRequests.setHairpin(3, true).build(1795260209), HAIRPIN);
    }

    @Test
    void addressesAsCaptured() {
        // ip addr add 10.1.0.1/24 dev br0 ; ip addr add fd00:1::1/64 dev br0 nodad   (br0 has index 2)
        assertBytes(RtnlRequests.newAddress(2, Address.parse("10.1.0.1/24")).build(1795260208), ADDR4);
        assertBytes(RtnlRequests.newAddress(2, Address.parse("fd00:1::1/64")).build(1795260208), ADDR6);
    }

    @Test
    void onLinkRouteAsCaptured() {
        // ip route add 10.9.0.0/16 via 10.1.0.5 dev br0 onlink
        Route route = new Route(Cidr.parse("10.9.0.0/16"), IpAddresses.parse("10.1.0.5"), "br0", true);
        assertBytes(RtnlRequests.newRoute(route, 2).build(1795260208), ROUTE);
    }

    @Test
    void linkChangesByName() {
        assertBytes(RtnlRequests.setUp("dv1", true).build(7), """
                28000000 1000 0500 07000000 00000000
                00 00 0000 00000000 01000000 01000000
                0800 0300 64763100
                """);
        assertBytes(RtnlRequests.setUp("dv1", false).build(7), """
                28000000 1000 0500 07000000 00000000
                00 00 0000 00000000 00000000 01000000
                0800 0300 64763100
                """);
        assertBytes(RtnlRequests.setMtu("dv1", 9000).build(8), """
                30000000 1000 0500 08000000 00000000
                00 00 0000 00000000 00000000 00000000
                0800 0300 64763100
                0800 0400 28230000
                """);
        assertBytes(RtnlRequests.setMaster("dv1", 3).build(9), """
                30000000 1000 0500 09000000 00000000
                00 00 0000 00000000 00000000 00000000
                0800 0300 64763100
                0800 0a00 03000000
                """);
        // The alias goes without its NUL (the kernel stores the attribute's length), like iproute2's.
        assertBytes(RtnlRequests.setAlias("dv1", "drover:x").build(10), """
                34000000 1000 0500 0a000000 00000000
                00 00 0000 00000000 00000000 00000000
                0800 0300 64763100
                0c00 1400 64726f7665723a78
                """);
        assertBytes(RtnlRequests.deleteLink("dv1").build(11), """
                28000000 1100 0500 0b000000 00000000
                00 00 0000 00000000 00000000 00000000
                0800 0300 64763100
                """);
    }

    @Test
    void dumpsCarryFiltersInTheirHeaders() {
        // RTM_GETLINK, NLM_F_REQUEST|NLM_F_DUMP, IFLA_EXT_MASK = RTEXT_FILTER_SKIP_STATS
        assertBytes(RtnlRequests.dumpLinks().build(1), """
                28000000 1200 0103 01000000 00000000
                00 00 0000 00000000 00000000 00000000
                0800 1d00 08000000
                """);
        // RTM_GETADDR of interface 5, both families
        assertBytes(RtnlRequests.dumpAddresses(5).build(2), """
                18000000 1600 0103 02000000 00000000
                00 00 00 00 05000000
                """);
        // RTM_GETROUTE, AF_INET6, table main
        assertBytes(RtnlRequests.dumpRoutes(Rtnl.AF_INET6).build(3), """
                1c000000 1a00 0103 03000000 00000000
                0a 00 00 00 fe 00 00 00 00000000
                """);
        // RTM_GETLINK of one interface by name, acknowledged
        assertBytes(RtnlRequests.getLink("eth0").build(4), """
                34000000 1200 0500 04000000 00000000
                00 00 0000 00000000 00000000 00000000
                0900 0300 65746830 00000000
                0800 1d00 08000000
                """);
    }

    @Test
    void deletesMatchAnyProtocolAndScope() {
        assertBytes(RtnlRequests.deleteAddress(2, Address.parse("10.1.0.1/24")).build(5), """
                28000000 1500 0500 05000000 00000000
                02 18 00 00 02000000
                0800 0200 0a010001
                0800 0100 0a010001
                """);
        // ip route del default via 10.0.0.1: no RTA_DST, scope RT_SCOPE_NOWHERE, protocol and type unspecified
        Route route = Route.via(Cidr.parse("0.0.0.0/0"), IpAddresses.parse("10.0.0.1"));
        assertBytes(RtnlRequests.deleteRoute(route, 0).build(6), """
                24000000 1900 0500 06000000 00000000
                02 00 00 00 fe 00 ff 00 00000000
                0800 0500 0a000001
                """);
    }

    @Test
    void routesGetIproute2Defaults() {
        // A connected IPv4 route (no gateway) has scope link.
        assertBytes(RtnlRequests.newRoute(new Route(Cidr.parse("10.1.0.0/24"), null, "br0", false), 2).build(1), """
                2c000000 1800 0506 01000000 00000000
                02 18 00 00 fe 03 fd 01 00000000
                0800 0100 0a010000
                0800 0400 02000000
                """);
        // An IPv6 default route: no RTA_DST, a 16-byte gateway.
        Route v6 = new Route(Cidr.parse("::/0"), IpAddresses.parse("fd00::1"), "eth0", false);
        assertBytes(RtnlRequests.newRoute(v6, 4).build(2), """
                38000000 1800 0506 02000000 00000000
                0a 00 00 00 fe 03 00 01 00000000
                1400 0500 fd000000000000000000000000000001
                0800 0400 04000000
                """);
    }

    @Test
    void loopbackAddressesGetHostScope() {
        byte[] b = RtnlRequests.newAddress(1, Address.parse("127.0.0.2/8")).build(1);
        assertThat(b[16 + 3]).isEqualTo((byte) Rtnl.RT_SCOPE_HOST);
    }

    // Captured from iproute2 6.1 (see the class comment).

    private static final String BRIDGE = """
            3800000010000506307f016b00000000000000000000000000000000000000000800030062723000100012000a000100
            6272696467650000
            """;

    private static final String BRIDGE_MTU = """
            40000000100005061e80016b000000000000000000000000000000000000000008000400aa0500000800030062723000
            100012000a0001006272696467650000
            """;

    private static final String VETH = """
            70000000100005061d80016b000000000000000000000000000000000000000008000400780500000800030064763100
            400012000800010076657468340002003000010000000000000000000000000000000000080004007805000008001c00
            04000000090003006574683000000000
            """;

    private static final String HAIRPIN = """
            2c00000013000500317f016b00000000070000000300000000000000000000000c000c800500040001000000
            """;

    private static final String ADDR4 = """
            2800000014000506307f016b000000000218000002000000080002000a010001080001000a010001
            """;

    private static final String ADDR6 = """
            4000000014000506307f016b000000000a4002000200000014000200fd00000100000000000000000000000114000100
            fd000001000000000000000000000001
            """;

    private static final String ROUTE = """
            3400000018000506307f016b0000000002100000fe03000104000000080001000a090000080005000a01000508000400
            02000000
            """;
}
