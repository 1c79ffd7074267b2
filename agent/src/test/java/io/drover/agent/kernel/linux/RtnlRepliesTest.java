package io.drover.agent.kernel.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.Link;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Decoding replies. The captured messages are what the kernel (6.18) sent to iproute2 (strace -xx), so the parser is
 * checked against real layouts, statistics, nested attributes with and without NLA_F_NESTED and all.
 */
class RtnlRepliesTest {

    @BeforeAll
    static void littleEndian() {
        Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "golden bytes are little-endian");
    }

    private static NetlinkMessage single(String hex) {
        List<NetlinkMessage> all = NetlinkMessage.parseAll(Hex.buffer(hex));
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

    @Test
    void capturedVethBridgePort() {
        NetlinkMessage m = single(VETH_LINK_REPLY);
        assertThat(m.type()).isEqualTo(Rtnl.RTM_NEWLINK);
        assertThat(m.seq()).isEqualTo(1795260465);
        assertThat(RtnlReplies.link(m)).isEqualTo(new RtnlReplies.LinkInfo(
                2, "dv1", "veth", 1400, true, "c6:a9:8e:35:0e:62", 3, "drover:pod-1"));
    }

    @Test
    void mastersResolveToNamesWithinTheDump() {
        List<NetlinkMessage> dump = new ArrayList<>(NetlinkMessage.parseAll(Hex.buffer(VETH_LINK_REPLY)));
        dump.add(reply(linkMessage(3, "br0", "bridge", 0)));
        dump.add(reply(linkMessage(1, "lo", null, 0)));
        List<Link> links = RtnlReplies.links(dump);
        assertThat(links).extracting(Link::name).containsExactly("dv1", "br0", "lo");
        assertThat(links.get(0).master()).isEqualTo("br0");
        assertThat(links.get(1).master()).isNull();
        assertThat(links.get(1).kind()).isEqualTo("bridge");
        assertThat(links.get(2).kind()).isEmpty(); // no IFLA_LINKINFO
        assertThat(links.get(2).alias()).isNull();
    }

    @Test
    void capturedAddress() {
        NetlinkMessage m = single(ADDR_REPLY);
        assertThat(RtnlReplies.address(m)).contains(new RtnlReplies.AddressInfo(2, Address.parse("10.1.0.1/24")));
    }

    @Test
    void localIsTheAddressOfAPointToPointLink() {
        // IFA_ADDRESS is the peer on a point-to-point link; IFA_LOCAL is ours.
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(Rtnl.RTM_NEWADDR, 0);
        new IfAddrMsg(Rtnl.AF_INET, 32, 0, 0, 7).writeTo(b);
        b.attr(Rtnl.IFA_ADDRESS, IpAddresses.parse("10.0.0.2").getAddress());
        b.attr(Rtnl.IFA_LOCAL, IpAddresses.parse("10.0.0.1").getAddress());
        assertThat(RtnlReplies.address(reply(b))).contains(new RtnlReplies.AddressInfo(7, Address.parse("10.0.0.1/32")));

        NetlinkMessageBuilder v6 = new NetlinkMessageBuilder(Rtnl.RTM_NEWADDR, 0);
        new IfAddrMsg(Rtnl.AF_INET6, 64, 0, 0, 7).writeTo(v6);
        v6.attr(Rtnl.IFA_ADDRESS, IpAddresses.parse("fe80::1").getAddress());
        assertThat(RtnlReplies.address(reply(v6))).contains(new RtnlReplies.AddressInfo(7, Address.parse("fe80::1/64")));
    }

    @Test
    void capturedRoutesInOneDatagram() {
        List<NetlinkMessage> all = NetlinkMessage.parseAll(Hex.buffer(ROUTE_REPLIES));
        assertThat(all).hasSize(2);
        assertThat(all).allSatisfy(m -> assertThat(m.flags() & Rtnl.NLM_F_MULTI).isNotZero());
        assertThat(RtnlReplies.route(all.get(0)))
                .contains(new RtnlReplies.RouteInfo(Cidr.parse("10.1.0.0/24"), null, 2, false));
        assertThat(RtnlReplies.route(all.get(1)))
                .contains(new RtnlReplies.RouteInfo(Cidr.parse("10.9.0.0/16"), IpAddresses.parse("10.1.0.5"), 2, true));
    }

    @Test
    void onlyUnicastRoutesOfTheMainTable() {
        assertThat(RtnlReplies.route(reply(route(Rtnl.AF_INET, 254, Rtnl.RTN_UNICAST, -1)))).isPresent();
        assertThat(RtnlReplies.route(reply(route(Rtnl.AF_INET, 255, 2 /* RTN_LOCAL */, -1)))).isEmpty();
        assertThat(RtnlReplies.route(reply(route(Rtnl.AF_INET, 254, 7 /* RTN_UNREACHABLE */, -1)))).isEmpty();
        // Tables above 255 travel in RTA_TABLE, with 252 (RT_TABLE_COMPAT) in the header.
        assertThat(RtnlReplies.route(reply(route(Rtnl.AF_INET, 252, Rtnl.RTN_UNICAST, 1000)))).isEmpty();
        assertThat(RtnlReplies.route(reply(route(Rtnl.AF_INET, 252, Rtnl.RTN_UNICAST, 254)))).isPresent();
    }

    @Test
    void aRouteWithoutDestinationIsTheDefaultRoute() {
        NetlinkMessageBuilder b = route(Rtnl.AF_INET6, 254, Rtnl.RTN_UNICAST, -1);
        assertThat(RtnlReplies.route(reply(b)))
                .contains(new RtnlReplies.RouteInfo(Cidr.parse("::/0"), IpAddresses.parse("fd00::1"), 4, false));
    }

    @Test
    void multipathRoutesAreSkipped() {
        NetlinkMessageBuilder b = route(Rtnl.AF_INET, 254, Rtnl.RTN_UNICAST, -1);
        b.attr(Rtnl.RTA_MULTIPATH, new byte[8]);
        assertThat(RtnlReplies.route(reply(b))).isEmpty();
    }

    @Test
    void capturedErrorWithExtendedAck() {
        NetlinkMessage m = single(ERROR_ACK);
        assertThat(m.type()).isEqualTo(Rtnl.NLMSG_ERROR);
        // ip link add x1 type nosuchkind: the whole request echoed (not capped), then NLMSGERR_ATTR_MSG
        assertThat(NetlinkAck.parse(m)).isEqualTo(new NetlinkAck(95, 1795260446, "Unknown device type"));
    }

    @Test
    void cappedErrorAndPlainAck() {
        // With NETLINK_CAP_ACK only the request's header is echoed before the TLVs.
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(Rtnl.NLMSG_ERROR, Rtnl.NLM_F_CAPPED | Rtnl.NLM_F_ACK_TLVS);
        b.u32(-17);
        b.u32(200).u16(Rtnl.RTM_NEWLINK).u16(0x605).u32(42).u32(0); // the echoed nlmsghdr, len 200
        b.attrString(Rtnl.NLMSGERR_ATTR_MSG, "already there");
        assertThat(NetlinkAck.parse(reply(b))).isEqualTo(new NetlinkAck(17, 42, "already there"));

        NetlinkMessageBuilder ack = new NetlinkMessageBuilder(Rtnl.NLMSG_ERROR, Rtnl.NLM_F_CAPPED);
        ack.u32(0).u32(32).u16(Rtnl.RTM_NEWLINK).u16(5).u32(43).u32(0);
        assertThat(NetlinkAck.parse(reply(ack))).isEqualTo(new NetlinkAck(0, 43, ""));
    }

    @Test
    void messagesFollowAtAlignedOffsets() {
        // Two messages whose lengths are not multiples of 4: each next one starts at NLMSG_ALIGN(len).
        ByteBuffer b = ByteBuffer.allocate(48).order(ByteOrder.nativeOrder());
        b.putInt(0, 21).putShort(4, (short) Rtnl.NLMSG_NOOP).putInt(8, 1);
        b.putInt(24, 18).putShort(28, (short) Rtnl.NLMSG_DONE).putInt(32, 2);
        List<NetlinkMessage> all = NetlinkMessage.parseAll(b.limit(42));
        assertThat(all).extracting(NetlinkMessage::seq).containsExactly(1, 2);
        assertThat(all).extracting(m -> m.payload().limit()).containsExactly(5, 2);
    }

    @Test
    void malformedLengthsAreErrors() {
        ByteBuffer tooLong = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder()).putInt(0, 64);
        assertThatThrownBy(() -> NetlinkMessage.parseAll(tooLong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length 64");
        ByteBuffer tooShort = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder()).putInt(0, 8);
        assertThatThrownBy(() -> NetlinkMessage.parseAll(tooShort)).isInstanceOf(IllegalArgumentException.class);
        ByteBuffer badAttribute = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putShort(0, (short) 12);
        assertThatThrownBy(() -> Attributes.parse(badAttribute)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attribute");
    }

    @Test
    void attributesIgnoreTheNestedFlagAndStripNuls() {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(Rtnl.RTM_NEWLINK, 0);
        IfInfoMsg.of(0, 1).writeTo(b);
        int nest = b.beginNested(Rtnl.IFLA_LINKINFO | Rtnl.NLA_F_NESTED);
        b.attrString(Rtnl.IFLA_INFO_KIND, "vxlan");
        b.endNested(nest);
        b.attrString(Rtnl.IFLA_IFNAME, "vx0");
        Attributes a = reply(b).attributes(IfInfoMsg.SIZE);
        assertThat(a.nested(Rtnl.IFLA_LINKINFO).string(Rtnl.IFLA_INFO_KIND)).isEqualTo("vxlan");
        assertThat(a.string(Rtnl.IFLA_IFNAME)).isEqualTo("vx0");
        assertThat(a.string(Rtnl.IFLA_IFALIAS)).isNull();
        assertThat(a.nested(Rtnl.IFLA_PROTINFO).has(1)).isFalse();
    }

    // Helpers: replies built with the request builder (its layout is checked in RtnlRequestsTest).

    private static NetlinkMessage reply(NetlinkMessageBuilder b) {
        return NetlinkMessage.parseAll(ByteBuffer.wrap(b.build(99)).order(ByteOrder.nativeOrder())).getFirst();
    }

    private static NetlinkMessageBuilder linkMessage(int index, String name, String kind, int master) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(Rtnl.RTM_NEWLINK, Rtnl.NLM_F_MULTI);
        new IfInfoMsg(0, 1, index, Rtnl.IFF_UP, 0).writeTo(b);
        b.attrString(Rtnl.IFLA_IFNAME, name).attrU32(Rtnl.IFLA_MTU, 1500);
        if (master != 0) {
            b.attrU32(Rtnl.IFLA_MASTER, master);
        }
        if (kind != null) {
            int info = b.beginNested(Rtnl.IFLA_LINKINFO);
            b.attrString(Rtnl.IFLA_INFO_KIND, kind);
            b.endNested(info);
        }
        return b;
    }

    /** A route to the default destination via fd00::1 / 10.0.0.1 on interface 4. */
    private static NetlinkMessageBuilder route(int family, int table, int type, int rtaTable) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(Rtnl.RTM_NEWROUTE, Rtnl.NLM_F_MULTI);
        new RtMsg(family, 0, 0, 0, table, Rtnl.RTPROT_BOOT, 0, type, 0).writeTo(b);
        if (rtaTable >= 0) {
            b.attrU32(Rtnl.RTA_TABLE, rtaTable);
        }
        b.attr(Rtnl.RTA_GATEWAY, IpAddresses.parse(family == Rtnl.AF_INET ? "10.0.0.1" : "fd00::1").getAddress());
        return b.attrU32(Rtnl.RTA_OIF, 4);
    }

    // Captured from the kernel (see the class comment).

    /** `ip link show dev dv1`: a veth enslaved to br0 (index 3), alias drover:pod-1, up, no carrier. */
    private static final String VETH_LINK_REPLY = """
            54070000100000003180016b6c24000000000100020000000310000000000000080003006476310008000d00e8030000
            0500100002000000050011000000000005004300000000000800040078050000080032004400000008003300ffff0000
            08001b000000000008001e000100000008003d000100000008001f000200000008002800ffff00000800290000000100
            08003a000000010008003f0000000100080040000000010008003b00f8ff070008003c00ffff00000800420000000000
            080020000200000008000a000300000005002100000000001100140064726f7665723a706f642d310000000008002300
            0100000008002f000000000008003000010000000600440000000000060045000000000005002700000000000a000100
            c6a98e350e6200000a000200ffffffffffff0000cc001700000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000064000700000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            0000000000000000000000000000000000000000000000000000000000000000000000000c002b000500020000000000
            6c0112000900010076657468000000000b00040062726964676500005001050005000100000000000600020020000000
            0800030002000000050004000000000005000500000000000500060000000000050007000000000005001c0000000000
            0500080001000000050009000100000005001b000100000005001e000100000005000a000000000005000c0000000000
            0c000d008000c6a98e350e620c000e008000c6a98e350e6206000f000180000006001000000000000600110001800000
            06001200010000000500130000000000050014000000000005001d000000000006001f00000000000500200000000000
            0500230000000000050024000000000005002100000000000500270000000000050028000000000005002b0000000000
            0c00150000000000000000000c00160000000000000000000c0017000000000000000000050019000100000008002500
            000200000800260000000000080029000000000008002a0000000000080025000000000008000500020000000c000600
            6e6f71756575650030031a008c0002008800010000000000000000000000000001000000010000000100000001000000
            000000000100000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            0000000000000000000000000000000000000000000000000000000010270000e8030000000000000000000000000000
            0000000001000000a0020a00080001000000000014000500ffff000067e304001c940000e8030000f400020000000000
            400000007805000001000000010000000100000001000000ffffffffa00f0000e803000000000000803a090080510100
            0300000058020000100000000000000001000000010000000100000060ea000000000000000000000000000000000000
            000000000000000001000000000000000000000010270000e80300000100000000000000000000000100000000000000
            00000000010000000000000000000000000000000000000080ee36000000000000000000010000000000000000000000
            0000000000000000000000000004000000000000ffff0000ffffffff0100000000000000000000000000000034010300
            260000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000003c00060007000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000001400070000000000000000000000000000000000
            050008000000000024000e00000000000000000000000000000000000000000000000000000000000000000004003e80
            04004180
            """;

    /** `ip -4 addr show dev br0`: 10.1.0.1/24 on index 2, with label, flags and cacheinfo. */
    private static final String ADDR_REPLY = """
            4c000000140022002480016bca2200000218800002000000080001000a010001080002000a0100010800030062723000
            080008008000000014000600ffffffffffffffffbfdd0400bfdd0400
            """;

    /** `ip -4 route show`: the connected route of br0 and 10.9.0.0/16 via 10.1.0.5 onlink, in one datagram. */
    private static final String ROUTE_REPLIES = """
            3c000000180022002380016bd122000002180000fe02fd010000000008000f00fe000000080001000a01000008000700
            0a01000108000400020000003c000000180022002380016bd122000002100000fe0300010400000008000f00fe000000
            080001000a090000080005000a0100050800040002000000
            """;

    /** `ip link add x1 type nosuchkind`: EOPNOTSUPP with the extended ack "Unknown device type". */
    private static final String ERROR_ACK = """
            68000000020000021e80016b8c220000a1ffffff3c000000100005061e80016b00000000000000000000000000000000
            000000000700030078310000140012000e0001006e6f737563686b696e64000018000100556e6b6e6f776e2064657669
            6365207479706500
            """;
}
