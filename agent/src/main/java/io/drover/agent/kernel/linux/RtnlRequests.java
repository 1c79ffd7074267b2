package io.drover.agent.kernel.linux;

import static io.drover.agent.kernel.linux.Rtnl.*;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.Route;
import io.drover.agent.kernel.Vxlan;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The rtnetlink requests Drover sends, as pure byte layouts (no socket, no namespace), laid out attribute for
 * attribute the way iproute2 6.1 lays out the same requests (the unit tests compare with its captured bytes), so that
 * the kernel sees nothing it has not seen a million times. Interfaces are named by IFLA_IFNAME where
 * the kernel accepts a name (RTM_NEWLINK, RTM_DELLINK); the other requests need an interface index.
 */
final class RtnlRequests {

    private RtnlRequests() {}

    private static final int CHANGE = NLM_F_REQUEST | NLM_F_ACK;
    private static final int CREATE = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
    private static final int DUMP = NLM_F_REQUEST | NLM_F_DUMP;

    // Links.

    /** Every link; statistics skipped, they are most of a link message and Drover never reads them. */
    static NetlinkMessageBuilder dumpLinks() {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(RTM_GETLINK, DUMP);
        IfInfoMsg.of(AF_UNSPEC, 0).writeTo(b);
        return b.attrU32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    }

    static NetlinkMessageBuilder getLink(String name) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(RTM_GETLINK, CHANGE);
        IfInfoMsg.of(AF_UNSPEC, 0).writeTo(b);
        return b.attrString(IFLA_IFNAME, name).attrU32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    }

    static NetlinkMessageBuilder getLink(int index) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(RTM_GETLINK, CHANGE);
        IfInfoMsg.of(AF_UNSPEC, index).writeTo(b);
        return b.attrU32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    }

    static NetlinkMessageBuilder newBridge(String name, int mtu) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(RTM_NEWLINK, CREATE);
        IfInfoMsg.of(AF_UNSPEC, 0).writeTo(b);
        if (mtu > 0) {
            b.attrU32(IFLA_MTU, mtu);
        }
        b.attrString(IFLA_IFNAME, name);
        int info = b.beginNested(IFLA_LINKINFO);
        b.attrBareString(IFLA_INFO_KIND, "bridge"); // without NUL, as iproute2
        return b.endNested(info);
    }

    /**
     * A veth pair. The peer's settings travel in VETH_INFO_PEER, which is not a plain nest: it starts with its own
     * ifinfomsg. With {@code peerNsFd} >= 0 the kernel creates the peer directly in that namespace.
     */
    static NetlinkMessageBuilder newVeth(String name, int mtu, String peerName, int peerNsFd) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(RTM_NEWLINK, CREATE);
        IfInfoMsg.of(AF_UNSPEC, 0).writeTo(b);
        if (mtu > 0) {
            b.attrU32(IFLA_MTU, mtu);
        }
        b.attrString(IFLA_IFNAME, name);
        int info = b.beginNested(IFLA_LINKINFO);
        b.attrBareString(IFLA_INFO_KIND, "veth");
        int data = b.beginNested(IFLA_INFO_DATA);
        int peer = b.beginNested(VETH_INFO_PEER);
        IfInfoMsg.of(AF_UNSPEC, 0).writeTo(b);
        if (mtu > 0) {
            b.attrU32(IFLA_MTU, mtu); // veth does not copy the first end's MTU to the peer
        }
        if (peerNsFd >= 0) {
            b.attrU32(IFLA_NET_NS_FD, peerNsFd);
        }
        b.attrString(IFLA_IFNAME, peerName);
        b.endNested(peer);
        b.endNested(data);
        return b.endNested(info);
    }

    /**
     * A VXLAN device, as {@code ip link add NAME mtu MTU address MAC type vxlan id VNI local IP dstport PORT
     * nolearning} sends it. No IFLA_VXLAN_LINK: the device is bound to no underlay interface, the route to each remote
     * endpoint picks one. IFLA_VXLAN_PORT is the one integer netlink wants in network byte order (4789 travels as
     * 12 b5). {@code mac} null: the kernel picks a random one.
     */
    static NetlinkMessageBuilder newVxlan(String name, int mtu, byte[] mac, Vxlan vxlan) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(RTM_NEWLINK, CREATE);
        IfInfoMsg.of(AF_UNSPEC, 0).writeTo(b);
        if (mtu > 0) {
            b.attrU32(IFLA_MTU, mtu);
        }
        if (mac != null) {
            b.attr(IFLA_ADDRESS, mac);
        }
        b.attrString(IFLA_IFNAME, name);
        int info = b.beginNested(IFLA_LINKINFO);
        b.attrBareString(IFLA_INFO_KIND, "vxlan");
        int data = b.beginNested(IFLA_INFO_DATA);
        b.attrU32(IFLA_VXLAN_ID, vxlan.vni());
        b.attr(vxlan.local() instanceof Inet4Address ? IFLA_VXLAN_LOCAL : IFLA_VXLAN_LOCAL6, vxlan.local().getAddress());
        b.attrU8(IFLA_VXLAN_LEARNING, vxlan.learning() ? 1 : 0);
        b.attr(IFLA_VXLAN_PORT, new byte[] {(byte) (vxlan.port() >> 8), (byte) vxlan.port()});
        b.endNested(data);
        return b.endNested(info);
    }

    /** The alias; the kernel ignores IFLA_IFALIAS in a create request, so it is always a change of its own. */
    static NetlinkMessageBuilder setAlias(String name, String alias) {
        return change(name, 0, 0).attrBareString(IFLA_IFALIAS, alias);
    }

    static NetlinkMessageBuilder setUp(String name, boolean up) {
        return change(name, up ? IFF_UP : 0, IFF_UP);
    }

    static NetlinkMessageBuilder setAddress(String name, byte[] mac) {
        return change(name, 0, 0).attr(IFLA_ADDRESS, mac);
    }

    static NetlinkMessageBuilder setMtu(String name, int mtu) {
        return change(name, 0, 0).attrU32(IFLA_MTU, mtu);
    }

    /** Master index 0 releases the interface from its bridge. */
    static NetlinkMessageBuilder setMaster(String name, int masterIndex) {
        return change(name, 0, 0).attrU32(IFLA_MASTER, masterIndex);
    }

    /** RTM_NEWLINK without NLM_F_CREATE changes an existing interface, found by name. */
    private static NetlinkMessageBuilder change(String name, int flags, int change) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(RTM_NEWLINK, CHANGE);
        new IfInfoMsg(AF_UNSPEC, 0, 0, flags, change).writeTo(b);
        return b.attrString(IFLA_IFNAME, name);
    }

    /**
     * A bridge port's hairpin mode, as {@code bridge link set dev PORT hairpin on} sends it: RTM_SETLINK in the
     * AF_BRIDGE family (handled by the port's bridge, which needs the index) with IFLA_PROTINFO marked nested, or the
     * bridge would read it as the old one-byte port state.
     */
    static NetlinkMessageBuilder setHairpin(int portIndex, boolean on) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(RTM_SETLINK, CHANGE);
        IfInfoMsg.of(AF_BRIDGE, portIndex).writeTo(b);
        int protinfo = b.beginNested(IFLA_PROTINFO | NLA_F_NESTED);
        b.attrU8(IFLA_BRPORT_MODE, on ? 1 : 0);
        return b.endNested(protinfo);
    }

    static NetlinkMessageBuilder deleteLink(String name) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(RTM_DELLINK, CHANGE);
        IfInfoMsg.of(AF_UNSPEC, 0).writeTo(b);
        return b.attrString(IFLA_IFNAME, name);
    }

    // Addresses.

    /** The addresses of both families on one interface (strict checking makes the kernel filter by index). */
    static NetlinkMessageBuilder dumpAddresses(int index) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(RTM_GETADDR, DUMP);
        new IfAddrMsg(AF_UNSPEC, 0, 0, 0, index).writeTo(b);
        return b;
    }

    /**
     * IFA_LOCAL and IFA_ADDRESS both carry the address (for IPv4 IFA_ADDRESS is the peer, which is the address
     * itself on a non-point-to-point link). IPv6 addresses get IFA_F_NODAD: Drover assigns them uniquely, and
     * duplicate address detection would leave them unusable (tentative) for a second or more.
     */
    static NetlinkMessageBuilder newAddress(int index, Address address) {
        boolean v4 = address.ip() instanceof Inet4Address;
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(RTM_NEWADDR, CREATE);
        int scope = v4 && address.ip().isLoopbackAddress() ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE; // as iproute2
        new IfAddrMsg(family(address.ip()), address.prefixLength(), v4 ? 0 : IFA_F_NODAD, scope, index).writeTo(b);
        byte[] ip = address.ip().getAddress();
        return b.attr(IFA_LOCAL, ip).attr(IFA_ADDRESS, ip);
    }

    static NetlinkMessageBuilder deleteAddress(int index, Address address) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(RTM_DELADDR, CHANGE);
        new IfAddrMsg(family(address.ip()), address.prefixLength(), 0, 0, index).writeTo(b);
        byte[] ip = address.ip().getAddress();
        return b.attr(IFA_LOCAL, ip).attr(IFA_ADDRESS, ip);
    }

    // Routes.

    /** The main table of one family (the table in the header is a filter under strict checking). */
    static NetlinkMessageBuilder dumpRoutes(int family) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(RTM_GETROUTE, DUMP);
        new RtMsg(family, 0, 0, 0, RT_TABLE_MAIN, RTPROT_UNSPEC, RT_SCOPE_UNIVERSE, RTN_UNSPEC, 0).writeTo(b);
        return b;
    }

    /**
     * A unicast route in the main table with iproute2's defaults: protocol boot, scope link for an IPv4 route
     * without a gateway (a connected route) and universe otherwise. {@code oif} 0: no device given.
     */
    static NetlinkMessageBuilder newRoute(Route route, int oif) {
        int family = family(route.destination().network());
        int scope = family == AF_INET && route.gateway() == null ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(RTM_NEWROUTE, CREATE);
        new RtMsg(family, route.destination().prefixLength(), 0, 0, RT_TABLE_MAIN, RTPROT_BOOT, scope, RTN_UNICAST,
                route.onLink() ? RTNH_F_ONLINK : 0).writeTo(b);
        return routeAttributes(b, route, oif);
    }

    /** A delete matches any protocol, scope (RT_SCOPE_NOWHERE) and type, like {@code ip route del}. */
    static NetlinkMessageBuilder deleteRoute(Route route, int oif) {
        int family = family(route.destination().network());
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(RTM_DELROUTE, CHANGE);
        new RtMsg(family, route.destination().prefixLength(), 0, 0, RT_TABLE_MAIN, RTPROT_UNSPEC, RT_SCOPE_NOWHERE,
                RTN_UNSPEC, route.onLink() ? RTNH_F_ONLINK : 0).writeTo(b);
        return routeAttributes(b, route, oif);
    }

    private static NetlinkMessageBuilder routeAttributes(NetlinkMessageBuilder b, Route route, int oif) {
        if (route.destination().prefixLength() > 0) {
            b.attr(RTA_DST, route.destination().network().getAddress());
        }
        if (route.gateway() != null) {
            b.attr(RTA_GATEWAY, route.gateway().getAddress());
        }
        if (oif > 0) {
            b.attrU32(RTA_OIF, oif);
        }
        return b;
    }

    // Neighbours.

    /** The neighbours of both families on one interface (NDA_IFINDEX is the filter strict checking accepts). */
    static NetlinkMessageBuilder dumpNeighbours(int index) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(RTM_GETNEIGH, DUMP);
        new NdMsg(AF_UNSPEC, 0, 0, 0, 0).writeTo(b);
        return b.attrU32(NDA_IFINDEX, index);
    }

    /** {@code ip neigh replace IP lladdr MAC dev DEV nud permanent}. */
    static NetlinkMessageBuilder replaceNeighbour(int index, InetAddress ip, byte[] mac) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(RTM_NEWNEIGH, CHANGE | NLM_F_CREATE | NLM_F_REPLACE);
        new NdMsg(family(ip), index, NUD_PERMANENT, 0, 0).writeTo(b);
        return b.attr(NDA_DST, ip.getAddress()).attr(NDA_LLADDR, mac);
    }

    /** {@code ip neigh del IP dev DEV}: the address names the entry, whatever its MAC. */
    static NetlinkMessageBuilder deleteNeighbour(int index, InetAddress ip) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(RTM_DELNEIGH, CHANGE);
        new NdMsg(family(ip), index, NUD_PERMANENT, 0, 0).writeTo(b);
        return b.attr(NDA_DST, ip.getAddress());
    }

    // Forwarding entries of a VXLAN device (family AF_BRIDGE, NTF_SELF: the device's own table, not a bridge's).

    /** The forwarding entries of one device (under strict checking ndm_ifindex is the filter). */
    static NetlinkMessageBuilder dumpFdb(int index) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(RTM_GETNEIGH, DUMP);
        new NdMsg(AF_BRIDGE, index, 0, 0, 0).writeTo(b);
        return b;
    }

    /**
     * A permanent entry sending frames for {@code mac} to {@code destination}. {@code append} false is {@code bridge
     * fdb add MAC dev DEV dst IP self permanent} (NLM_F_EXCL: EEXIST when the MAC has any entry), true is {@code bridge
     * fdb append ...}, which adds one more destination to an all-zeros or multicast MAC and which the kernel accepts
     * without a word, and without effect, for a unicast MAC that already has one.
     */
    static NetlinkMessageBuilder newFdb(int index, byte[] mac, InetAddress destination, boolean append) {
        int flags = append ? CHANGE | NLM_F_CREATE | NLM_F_APPEND : CREATE;
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(RTM_NEWNEIGH, flags);
        new NdMsg(AF_BRIDGE, index, NUD_NOARP | NUD_PERMANENT, NTF_SELF, 0).writeTo(b);
        return b.attr(NDA_LLADDR, mac).attr(NDA_DST, destination.getAddress());
    }

    /** {@code bridge fdb del MAC dev DEV dst IP self}: removes that one destination of the MAC. */
    static NetlinkMessageBuilder deleteFdb(int index, byte[] mac, InetAddress destination) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(RTM_DELNEIGH, CHANGE);
        new NdMsg(AF_BRIDGE, index, NUD_NOARP | NUD_PERMANENT, NTF_SELF, 0).writeTo(b);
        return b.attr(NDA_LLADDR, mac).attr(NDA_DST, destination.getAddress());
    }

    /**
     * {@code bridge fdb replace MAC dev PORT master static}: an entry of the port's bridge (NTF_MASTER) in state
     * NUD_NOARP, which is "static" (NUD_PERMANENT would make it "permanent", a MAC of the bridge itself, whose frames
     * the bridge keeps for the node).
     */
    static NetlinkMessageBuilder pinMac(int portIndex, byte[] mac) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(RTM_NEWNEIGH, CHANGE | NLM_F_CREATE | NLM_F_REPLACE);
        new NdMsg(AF_BRIDGE, portIndex, NUD_NOARP, NTF_MASTER, 0).writeTo(b);
        return b.attr(NDA_LLADDR, mac);
    }

    static int family(InetAddress ip) {
        return ip instanceof Inet4Address ? AF_INET : AF_INET6;
    }
}
