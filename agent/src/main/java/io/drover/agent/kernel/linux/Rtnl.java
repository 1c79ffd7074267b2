package io.drover.agent.kernel.linux;

/**
 * Netlink and rtnetlink constants from the kernel's UAPI headers (linux/netlink.h, linux/rtnetlink.h,
 * linux/if_link.h, linux/if_addr.h, linux/veth.h, linux/neighbour.h). Only the ones Drover uses.
 */
final class Rtnl {

    private Rtnl() {}

    static final int NETLINK_ROUTE = 0;
    static final int SOL_NETLINK = 270;
    static final int NETLINK_CAP_ACK = 10;
    static final int NETLINK_EXT_ACK = 11;
    static final int NETLINK_GET_STRICT_CHK = 12;

    // struct nlmsghdr
    static final int NLMSG_HDRLEN = 16;
    static final int NLMSG_NOOP = 1;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLMSG_OVERRUN = 4;

    static final int NLM_F_REQUEST = 0x01;
    static final int NLM_F_MULTI = 0x02;
    static final int NLM_F_ACK = 0x04;
    static final int NLM_F_DUMP_INTR = 0x10;
    static final int NLM_F_DUMP = 0x300; // NLM_F_ROOT | NLM_F_MATCH
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    static final int NLM_F_REPLACE = 0x100;
    static final int NLM_F_APPEND = 0x800;
    // Flags of an NLMSG_ERROR acknowledgement.
    static final int NLM_F_CAPPED = 0x100;
    static final int NLM_F_ACK_TLVS = 0x200;
    static final int NLMSGERR_ATTR_MSG = 1;

    // struct nlattr
    static final int NLA_HDRLEN = 4;
    static final int NLA_F_NESTED = 0x8000;
    static final int NLA_F_NET_BYTEORDER = 0x4000;
    static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    /** The multicast group of link notifications (RTNLGRP_LINK), as a bind mask. */
    static final int RTMGRP_LINK = 1;
    static final int RTM_GETLINK = 18;
    static final int RTM_SETLINK = 19;
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_GETADDR = 22;
    static final int RTM_NEWROUTE = 24;
    static final int RTM_DELROUTE = 25;
    static final int RTM_GETROUTE = 26;
    static final int RTM_NEWNEIGH = 28;
    static final int RTM_DELNEIGH = 29;
    static final int RTM_GETNEIGH = 30;

    static final int AF_UNSPEC = 0;
    static final int AF_INET = 2;
    static final int AF_BRIDGE = 7;
    static final int AF_INET6 = 10;

    static final int IFF_UP = 0x1;
    static final int IFF_LOWER_UP = 0x10000;

    // IFLA_*: attributes of struct ifinfomsg
    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFLA_QDISC = 6;
    static final int IFLA_MASTER = 10;
    static final int IFLA_PROTINFO = 12;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_IFALIAS = 20;
    static final int IFLA_NET_NS_FD = 28;
    static final int IFLA_EXT_MASK = 29;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;
    static final int VETH_INFO_PEER = 1;
    static final int IFLA_BRPORT_MODE = 4; // the hairpin flag
    static final int RTEXT_FILTER_SKIP_STATS = 1 << 3;

    // IFLA_VXLAN_*: inside IFLA_INFO_DATA of a vxlan link
    static final int IFLA_VXLAN_ID = 1;
    static final int IFLA_VXLAN_GROUP = 2;
    static final int IFLA_VXLAN_LOCAL = 4;
    static final int IFLA_VXLAN_LEARNING = 7;
    static final int IFLA_VXLAN_PORT = 15; // a u16 in network byte order, unlike every other integer here
    static final int IFLA_VXLAN_GROUP6 = 16;
    static final int IFLA_VXLAN_LOCAL6 = 17;

    // NDA_*: attributes of struct ndmsg (neighbours, and forwarding entries in family AF_BRIDGE)
    static final int NDA_DST = 1;
    static final int NDA_LLADDR = 2;
    static final int NDA_IFINDEX = 8;
    static final int NUD_NOARP = 0x40;
    static final int NUD_PERMANENT = 0x80;
    static final int NTF_SELF = 0x02;
    static final int NTF_MASTER = 0x04;

    // IFA_*: attributes of struct ifaddrmsg
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_F_NODAD = 0x02;

    // RTA_*: attributes of struct rtmsg
    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_TABLE = 15;
    static final int RTA_MULTIPATH = 9;

    static final int RT_TABLE_MAIN = 254;
    static final int RTPROT_UNSPEC = 0;
    static final int RTPROT_BOOT = 3; // what `ip route add` uses
    static final int RT_SCOPE_UNIVERSE = 0;
    static final int RT_SCOPE_LINK = 253;
    static final int RT_SCOPE_HOST = 254;
    static final int RT_SCOPE_NOWHERE = 255; // in a delete request: any scope
    static final int RTN_UNSPEC = 0;
    static final int RTN_UNICAST = 1;
    static final int RTNH_F_ONLINK = 4;

    static int align(int length) {
        return (length + 3) & ~3;
    }

    /** A name for log and error lines: {@code RTM_NEWLINK}. */
    static String typeName(int type) {
        return switch (type) {
            case NLMSG_NOOP -> "NLMSG_NOOP";
            case NLMSG_ERROR -> "NLMSG_ERROR";
            case NLMSG_DONE -> "NLMSG_DONE";
            case NLMSG_OVERRUN -> "NLMSG_OVERRUN";
            case RTM_NEWLINK -> "RTM_NEWLINK";
            case RTM_DELLINK -> "RTM_DELLINK";
            case RTM_GETLINK -> "RTM_GETLINK";
            case RTM_SETLINK -> "RTM_SETLINK";
            case RTM_NEWADDR -> "RTM_NEWADDR";
            case RTM_DELADDR -> "RTM_DELADDR";
            case RTM_GETADDR -> "RTM_GETADDR";
            case RTM_NEWROUTE -> "RTM_NEWROUTE";
            case RTM_DELROUTE -> "RTM_DELROUTE";
            case RTM_GETROUTE -> "RTM_GETROUTE";
            case RTM_NEWNEIGH -> "RTM_NEWNEIGH";
            case RTM_DELNEIGH -> "RTM_DELNEIGH";
            case RTM_GETNEIGH -> "RTM_GETNEIGH";
            default -> "type " + type;
        };
    }
}
