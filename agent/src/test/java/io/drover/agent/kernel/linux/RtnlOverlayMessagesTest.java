package io.drover.agent.kernel.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.kernel.Vxlan;
import io.drover.model.net.IpAddresses;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The overlay's messages, byte for byte: VXLAN devices, permanent neighbours and the forwarding entries of a VXLAN
 * device. Requests are compared with what iproute2 6.1 sent for the same command (strace -xx, sequence numbers
 * included) where it sends the same thing, and written out from the UAPI structs where Drover deliberately differs
 * (the dumps are filtered by ifindex in the header). Replies are what the kernel (6.18) answered iproute2.
 */
class RtnlOverlayMessagesTest {

    @BeforeAll
    static void littleEndian() {
        Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "golden bytes are little-endian");
    }

    private static final byte[] MAC = HexFormat.ofDelimiter(":").parseHex("02:aa:bb:cc:dd:ee");

    private static void assertBytes(byte[] actual, String expectedHex) {
        assertThat(Hex.of(actual)).isEqualTo(Hex.of(Hex.bytes(expectedHex)));
    }

    // Requests.

    @Test
    void vxlanAsCaptured() {
        // ip link add vx0 mtu 1450 address 02:11:22:33:44:55 type vxlan id 1 local 172.31.0.1 dstport 4789 nolearning
        Vxlan vxlan = new Vxlan(1, IpAddresses.parse("172.31.0.1"), 4789, false);
        byte[] mac = HexFormat.ofDelimiter(":").parseHex("02:11:22:33:44:55");
        assertBytes(RtnlRequests.newVxlan("vx0", 1450, mac, vxlan).build(1795266348), VXLAN);
    }

    @Test
    void vxlanPortTravelsInNetworkOrderAndAnIpv6LocalAsLocal6() {
        Vxlan vxlan = new Vxlan(0x123456, IpAddresses.parse("fd00:31::1"), 8472, true);
        assertBytes(RtnlRequests.newVxlan("vx6", 0, null, vxlan).build(1), """
                68000000 1000 0506 01000000 00000000
                00 00 0000 00000000 00000000 00000000
                0800 0300 76783600
                4000 1200
                  0900 0100 7678 6c61 6e000000
                  3000 0200
                    0800 0100 56341200
                    1400 1100 fd000031000000000000000000000001
                    0500 0700 01000000
                    0600 0f00 2118 0000
                """);
    }

    @Test
    void neighboursAsCaptured() {
        // ip neigh replace 10.10.0.64 lladdr 02:aa:bb:cc:dd:ee dev vx0 nud permanent   (vx0 has index 2)
        assertBytes(RtnlRequests.replaceNeighbour(2, IpAddresses.parse("10.10.0.64"), MAC).build(1795266349), NEIGH4);
        // ip neigh replace fd00:10::40 lladdr 02:aa:bb:cc:dd:ee dev vx0 nud permanent
        assertBytes(RtnlRequests.replaceNeighbour(2, IpAddresses.parse("fd00:10::40"), MAC).build(1795266349), NEIGH6);
        // ip neigh del 10.10.0.64 dev vx0
        assertBytes(RtnlRequests.deleteNeighbour(2, IpAddresses.parse("10.10.0.64")).build(5), """
                24000000 1d00 0500 05000000 00000000
                02 00 0000 02000000 8000 00 00
                0800 0100 0a0a0040
                """);
        // ip neigh show dev vx0: the interface as NDA_IFINDEX, the header all zeros (strict checking wants that)
        assertBytes(RtnlRequests.dumpNeighbours(2).build(6), """
                24000000 1e00 0103 06000000 00000000
                00 00 0000 00000000 0000 00 00
                0800 0800 02000000
                """);
    }

    @Test
    void forwardingEntriesAsCaptured() {
        // bridge fdb add 02:aa:bb:cc:dd:ee dev vx0 dst 172.31.0.12 self permanent
        assertBytes(RtnlRequests.newFdb(2, MAC, IpAddresses.parse("172.31.0.12"), false).build(1795266349), FDB_ADD);
        // bridge fdb append 00:00:00:00:00:00 dev vx0 dst 172.31.0.13 self permanent
        assertBytes(RtnlRequests.newFdb(2, new byte[6], IpAddresses.parse("172.31.0.13"), true).build(1795266349),
                FDB_APPEND);
        // bridge fdb del 02:aa:bb:cc:dd:ee dev vx0 dst 172.31.0.12 self
        assertBytes(RtnlRequests.deleteFdb(2, MAC, IpAddresses.parse("172.31.0.12")).build(7), """
                30000000 1d00 0500 07000000 00000000
                07 00 0000 02000000 c000 02 00
                0a00 0200 02aabbccddee 0000
                0800 0100 ac1f000c
                """);
        // The dump names the device in ndm_ifindex (iproute2 sends an ifinfomsg without a filter and sorts it out).
        assertBytes(RtnlRequests.dumpFdb(2).build(8), """
                1c000000 1e00 0103 08000000 00000000
                07 00 0000 02000000 0000 00 00
                """);
    }

    // Replies.

    @Test
    void capturedVxlanLink() {
        List<NetlinkMessage> all = NetlinkMessage.parseAll(Hex.buffer(VXLAN_LINK_REPLY));
        assertThat(all).hasSize(1);
        NetlinkMessage m = all.getFirst();
        assertThat(RtnlReplies.vxlan(m)).contains(new Vxlan(1, IpAddresses.parse("172.31.0.1"), 4789, false));
        assertThat(RtnlReplies.link(m)).isEqualTo(new RtnlReplies.LinkInfo(
                2, "vx0", "vxlan", 1450, true, "02:11:22:33:44:55", 0, null));
    }

    @Test
    void otherKindsHaveNoVxlanParametersAndMissingOnesGetTheKernelsDefaults() {
        assertThat(RtnlReplies.vxlan(link("bridge", null))).isEmpty();
        assertThat(RtnlReplies.vxlan(link(null, null))).isEmpty();
        // Someone else's device: no local address, learning not reported.
        Optional<Vxlan> v = RtnlReplies.vxlan(link("vxlan", b -> {
            b.attrU32(Rtnl.IFLA_VXLAN_ID, 42);
            b.attr(Rtnl.IFLA_VXLAN_PORT, new byte[] {0x21, 0x18});
        }));
        assertThat(v).contains(new Vxlan(42, IpAddresses.parse("0.0.0.0"), 8472, true));
        Optional<Vxlan> v6 = RtnlReplies.vxlan(link("vxlan", b -> {
            b.attrU32(Rtnl.IFLA_VXLAN_ID, 7);
            b.attr(Rtnl.IFLA_VXLAN_LOCAL6, IpAddresses.parse("fd00::1").getAddress());
            b.attrU8(Rtnl.IFLA_VXLAN_LEARNING, 0);
            b.attr(Rtnl.IFLA_VXLAN_PORT, new byte[] {0x12, (byte) 0xb5});
        }));
        assertThat(v6).contains(new Vxlan(7, IpAddresses.parse("fd00::1"), 4789, false));
    }

    @Test
    void capturedNeighbourDumpKeepsThePermanentEntries() {
        // 10.10.0.64 and fd00:10::40 PERMANENT on vx0, and the kernel's own NOARP entry for ff02::16.
        List<NetlinkMessage> dump = NetlinkMessage.parseAll(Hex.buffer(NEIGH_DUMP));
        assertThat(dump).hasSize(4); // three entries and NLMSG_DONE
        assertThat(dump.stream().map(RtnlReplies::neighbour).flatMap(Optional::stream).toList()).containsExactly(
                new RtnlReplies.NeighbourInfo(2, IpAddresses.parse("10.10.0.64"), "02:aa:bb:cc:dd:ee"),
                new RtnlReplies.NeighbourInfo(2, IpAddresses.parse("fd00:10::40"), "02:aa:bb:cc:dd:ee"));
        // Forwarding entries are no neighbours, and vice versa.
        assertThat(dump.stream().map(RtnlReplies::fdb).flatMap(Optional::stream)).isEmpty();
    }

    @Test
    void capturedForwardingDumpListsEntriesWithADestination() {
        List<NetlinkMessage> dump = NetlinkMessage.parseAll(Hex.buffer(FDB_DUMP));
        assertThat(dump.stream().map(RtnlReplies::fdb).flatMap(Optional::stream).toList()).containsExactly(
                new RtnlReplies.FdbInfo(2, "00:00:00:00:00:00", IpAddresses.parse("172.31.0.13")),
                new RtnlReplies.FdbInfo(2, "02:aa:bb:cc:dd:ee", IpAddresses.parse("172.31.0.12")));
        assertThat(dump.stream().map(RtnlReplies::neighbour).flatMap(Optional::stream)).isEmpty();
    }

    @Test
    void forwardingEntriesWithoutDestinationOrOfABridgeAreSkipped() {
        // What the kernel lists for a device's own addresses: self permanent, no NDA_DST.
        assertThat(RtnlReplies.fdb(fdbMessage(Rtnl.NTF_SELF, Rtnl.NUD_PERMANENT, false))).isEmpty();
        // A bridge's entry (NTF_MASTER, 0x04).
        assertThat(RtnlReplies.fdb(fdbMessage(0x04, Rtnl.NUD_PERMANENT, true))).isEmpty();
        // A learned one.
        assertThat(RtnlReplies.fdb(fdbMessage(Rtnl.NTF_SELF, 0x02 /* NUD_REACHABLE */, true))).isEmpty();
        assertThat(RtnlReplies.fdb(fdbMessage(Rtnl.NTF_SELF, Rtnl.NUD_PERMANENT, true))).isPresent();
    }

    private static NetlinkMessage fdbMessage(int flags, int state, boolean withDestination) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(Rtnl.RTM_NEWNEIGH, 0);
        new NdMsg(Rtnl.AF_BRIDGE, 3, state, flags, 0).writeTo(b);
        b.attr(Rtnl.NDA_LLADDR, MAC);
        if (withDestination) {
            b.attr(Rtnl.NDA_DST, IpAddresses.parse("172.31.0.12").getAddress());
        }
        return reply(b);
    }

    private static NetlinkMessage link(String kind, java.util.function.Consumer<NetlinkMessageBuilder> data) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(Rtnl.RTM_NEWLINK, 0);
        IfInfoMsg.of(Rtnl.AF_UNSPEC, 9).writeTo(b);
        b.attrString(Rtnl.IFLA_IFNAME, "x0");
        if (kind != null) {
            int info = b.beginNested(Rtnl.IFLA_LINKINFO);
            b.attrString(Rtnl.IFLA_INFO_KIND, kind);
            if (data != null) {
                int d = b.beginNested(Rtnl.IFLA_INFO_DATA);
                data.accept(b);
                b.endNested(d);
            }
            b.endNested(info);
        }
        return reply(b);
    }

    private static NetlinkMessage reply(NetlinkMessageBuilder b) {
        List<NetlinkMessage> all = NetlinkMessage.parseAll(java.nio.ByteBuffer.wrap(b.build(1)).order(ByteOrder.nativeOrder()));
        return all.getFirst();
    }

    // Captured from iproute2 6.1 and Linux 6.18 (see the class comment).

    private static final String VXLAN = """
            70000000100005062c97016b000000000000000000000000000000000000000008000400aa0500000a00010002112233
            445500000800030076783000340012000900010076786c616e00000024000200080001000100000008000400ac1f0001
            050007000000000006000f0012b50000
            """;

    private static final String NEIGH4 = """
            300000001c0005052d97016b00000000020000000200000080000000080001000a0a00400a00020002aabbccddee0000
            """;

    private static final String NEIGH6 = """
            3c0000001c0005052d97016b000000000a000000020000008000000014000100fd000010000000000000000000000040
            0a00020002aabbccddee0000
            """;

    private static final String FDB_ADD = """
            300000001c0005062d97016b000000000700000002000000c00002000a00020002aabbccddee000008000100ac1f000c
            """;

    private static final String FDB_APPEND = """
            300000001c00050c2d97016b000000000700000002000000c00002000a000200000000000000000008000100ac1f000d
            """;

    /** The reply to `ip -d link show vx0` (statistics included). */
    private static final String VXLAN_LINK_REPLY = """
            9c060000100000002c97016b3a71000000000100020000004310010000000000080003007678300008000d00e8030000
            05001000000000000500110000000000050043000000000008000400aa050000080032004400000008003300ffff0000
            08001b000000000008001e000000000008003d000000000008001f000100000008002800ffff00000800290000000100
            08003a000000010008003f0000000100080040000000010008003b000000010008003c00ffff00000800420000000000
            08002000010000000500210001000000080023000000000008002f000000000008003000000000000600440040000000
            060045000000000005002700000000000a00010002112233445500000a000200ffffffffffff0000cc00170000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000100000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000006400070000000000000000000000000000000000000000000000000000000000010000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            00000000000000000c002b000500020000000000e00012000a00010076786c616e000000d00002000800010001000000
            08000400ac1f0001050005000000000005001c0000000000050006000000000005001d000000000008001a0000000000
            0800200000000000050007000000000005000b000000000005000c000000000005000d000000000005000e0000000000
            0500190000000000080008002c010000080009000000000006000f0012b5000005001200010000000500130000000000
            05001400000000000500150000000000050016000000000005001f000100000008000a00000000000c002100f7ffffff
            000000ff0c0006006e6f71756575650030031a008c000200880001000000000000000000000000000100000001000000
            010000000100000000000000010000000000000000000000000000000000000000000000000000000000000000000000
            00000000000000000000000000000000000000000000000000000000000000000000000010270000e803000000000000
            00000000000000000000000001000000a0020a00080001000000008014000500ffff000057dd0d00b46b0000e8030000
            f40002000000000040000000aa05000001000000010000000100000001000000ffffffffa00f0000e803000000000000
            803a0900805101000300000058020000100000000000000001000000010000000100000060ea00000000000000000000
            0000000000000000000000000000000001000000000000000000000010270000e8030000010000000000000000000000
            010000000000000000000000010000000000000000000000000000000000000080ee3600000000000000000001000000
            00000000000000000000000000000000000000000004000000000000ffff0000ffffffff010000000000000000000000
            000000003401030026000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000010000000000000001000000000000004c00000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            01000000000000000000000000000000000000000000000000000000000000004c000000000000000000000000000000
            0000000000000000000000000000000000000000000000003c0006000700000000000000000000000000000000000000
            000000000100000000000000000000000000000000000000000000000000000000000000140007000000000000000000
            0000000000000000050008000000000024000e0000000000000000000000000000000000000000000000000000000000
            0000000004003e8004004180
            """;

    /** The reply to `ip neigh show dev vx0`: three entries and NLMSG_DONE in one datagram. */
    private static final String NEIGH_DUMP = """
            4c0000001c0022002d97016b36710000020000000200000080000003080001000a0a00400a00020002aabbccddee0000
            0800040000000000140003000b0000000b0000000b00000000000000580000001c0022002d97016b367100000a000000
            020000008000000114000100fd0000100000000000000000000000400a00020002aabbccddee00000800040000000000
            1400030006000000060000000600000000000000580000001c0022002d97016b367100000a0000000200000040000005
            14000100ff0200000000000000000000000000160a00020033330000001600000800040000000000140003007a170000
            0a0000000a0000000000000014000000030002002d97016b3671000000000000
            """;

    /** The reply to `bridge fdb show dev vx0`: two entries. */
    private static final String FDB_DUMP = """
            440000001c0002002d97016b327100000700000002000000c00002010a000200000000000000000008000100ac1f000d
            1400030000000000010000000100000000000000440000001c0002002d97016b327100000700000002000000c0000201
            0a00020002aabbccddee000008000100ac1f000c1400030000000000040000000400000000000000
            """;
}
