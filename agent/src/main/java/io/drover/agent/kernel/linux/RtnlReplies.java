package io.drover.agent.kernel.linux;

import static io.drover.agent.kernel.linux.Rtnl.*;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.Route;
import io.drover.agent.kernel.Vxlan;
import io.drover.model.net.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Decodes rtnetlink replies into the kernel model's records. Pure: bytes in, records out. */
final class RtnlReplies {

    private RtnlReplies() {}

    /** A link as one RTM_NEWLINK message describes it; the master is an index until the whole dump is known. */
    record LinkInfo(int index, String name, String kind, int mtu, boolean up, String mac, int masterIndex, String alias) {}

    /** An address with the index of its interface. */
    record AddressInfo(int index, Address address) {}

    /** A route with its device as an index. */
    record RouteInfo(Cidr destination, InetAddress gateway, int oif, boolean onLink) {}

    /** A permanent neighbour entry with the index of its interface; the MAC as the kernel prints it. */
    record NeighbourInfo(int index, InetAddress address, String mac) {}

    /** A permanent forwarding entry of a device's own table (NTF_SELF) with a remote destination. */
    record FdbInfo(int index, String mac, InetAddress destination) {}

    static LinkInfo link(NetlinkMessage m) {
        IfInfoMsg header = IfInfoMsg.read(m.payload());
        Attributes a = m.attributes(IfInfoMsg.SIZE);
        String kind = a.nested(IFLA_LINKINFO).string(IFLA_INFO_KIND);
        String mac = a.has(IFLA_ADDRESS) ? HexFormat.ofDelimiter(":").formatHex(a.bytes(IFLA_ADDRESS)) : null;
        return new LinkInfo(header.index(), a.string(IFLA_IFNAME), kind == null ? "" : kind, a.u32(IFLA_MTU, 0),
                (header.flags() & IFF_UP) != 0, mac, a.u32(IFLA_MASTER, 0), a.string(IFLA_IFALIAS));
    }

    /** The links of a dump, with masters resolved to names (a master always lives in the same namespace). */
    static List<Link> links(List<NetlinkMessage> dump) {
        return resolved(linkInfos(dump));
    }

    /** The links of a dump as the kernel describes them, masters by index. */
    static List<LinkInfo> linkInfos(List<NetlinkMessage> dump) {
        List<LinkInfo> infos = new ArrayList<>();
        for (NetlinkMessage m : dump) {
            if (m.type() == RTM_NEWLINK) {
                infos.add(link(m));
            }
        }
        return infos;
    }

    /** Links with their masters resolved to names (a master always lives in the same namespace). */
    static List<Link> resolved(java.util.Collection<LinkInfo> infos) {
        Map<Integer, String> names = new HashMap<>();
        for (LinkInfo i : infos) {
            names.put(i.index(), i.name());
        }
        List<Link> links = new ArrayList<>(infos.size());
        for (LinkInfo i : infos) {
            String master = i.masterIndex() == 0 ? null : names.get(i.masterIndex());
            links.add(new Link(i.index(), i.name(), i.kind(), i.mtu(), i.up(), i.mac(), master, i.alias()));
        }
        return links;
    }

    /**
     * The VXLAN parameters of a link message (IFLA_LINKINFO / IFLA_INFO_DATA), or empty for another kind. A device
     * without a local address (someone else's) reads as local 0.0.0.0, or :: when its group is IPv6; the port is in
     * network byte order; learning is on unless the kernel says otherwise, as for a device created without the flag.
     */
    static Optional<Vxlan> vxlan(NetlinkMessage m) {
        if (m.type() != RTM_NEWLINK) {
            return Optional.empty();
        }
        Attributes info = m.attributes(IfInfoMsg.SIZE).nested(IFLA_LINKINFO);
        if (!"vxlan".equals(info.string(IFLA_INFO_KIND))) {
            return Optional.empty();
        }
        Attributes data = info.nested(IFLA_INFO_DATA);
        InetAddress local = data.address(IFLA_VXLAN_LOCAL);
        if (local == null) {
            local = data.address(IFLA_VXLAN_LOCAL6);
        }
        if (local == null) {
            local = zero(data.has(IFLA_VXLAN_GROUP6) ? AF_INET6 : AF_INET);
        }
        return Optional.of(new Vxlan(data.u32(IFLA_VXLAN_ID, 0), local, data.u16NetworkOrder(IFLA_VXLAN_PORT),
                data.u8(IFLA_VXLAN_LEARNING, 1) != 0));
    }

    /**
     * A permanent IPv4 or IPv6 neighbour with a link-layer address. Entries the kernel keeps by itself (reachable,
     * stale, the NOARP ones of multicast addresses) and those of other families are skipped.
     */
    static Optional<NeighbourInfo> neighbour(NetlinkMessage m) {
        if (m.type() != RTM_NEWNEIGH) {
            return Optional.empty();
        }
        NdMsg header = NdMsg.read(m.payload());
        if (header.family() != AF_INET && header.family() != AF_INET6 || (header.state() & NUD_PERMANENT) == 0) {
            return Optional.empty();
        }
        Attributes a = m.attributes(NdMsg.SIZE);
        InetAddress ip = a.address(NDA_DST);
        String mac = mac(a);
        if (ip == null || mac == null) {
            return Optional.empty();
        }
        return Optional.of(new NeighbourInfo(header.index(), ip, mac));
    }

    /**
     * A permanent forwarding entry of a device itself (NTF_SELF) that names a remote destination (NDA_DST). The
     * entries without one, which the kernel lists for the device's own unicast and multicast addresses, and those
     * of a bridge's table, are skipped.
     */
    static Optional<FdbInfo> fdb(NetlinkMessage m) {
        if (m.type() != RTM_NEWNEIGH) {
            return Optional.empty();
        }
        NdMsg header = NdMsg.read(m.payload());
        if (header.family() != AF_BRIDGE || (header.flags() & NTF_SELF) == 0 || (header.state() & NUD_PERMANENT) == 0) {
            return Optional.empty();
        }
        Attributes a = m.attributes(NdMsg.SIZE);
        InetAddress destination = a.address(NDA_DST);
        String mac = mac(a);
        if (destination == null || mac == null) {
            return Optional.empty();
        }
        return Optional.of(new FdbInfo(header.index(), mac, destination));
    }

    /** NDA_LLADDR when it is an Ethernet address, else null. */
    private static String mac(Attributes a) {
        if (!a.has(NDA_LLADDR)) {
            return null;
        }
        byte[] b = a.bytes(NDA_LLADDR);
        return b.length == 6 ? HexFormat.ofDelimiter(":").formatHex(b) : null;
    }

    /**
     * An IPv4 or IPv6 address message. The interface's own address is IFA_LOCAL when present (for IPv4, IFA_ADDRESS
     * is the peer of a point-to-point link), else IFA_ADDRESS. Other families are skipped.
     */
    static Optional<AddressInfo> address(NetlinkMessage m) {
        if (m.type() != RTM_NEWADDR) {
            return Optional.empty();
        }
        IfAddrMsg header = IfAddrMsg.read(m.payload());
        if (header.family() != AF_INET && header.family() != AF_INET6) {
            return Optional.empty();
        }
        Attributes a = m.attributes(IfAddrMsg.SIZE);
        InetAddress ip = a.has(IFA_LOCAL) ? a.address(IFA_LOCAL) : a.address(IFA_ADDRESS);
        if (ip == null) {
            return Optional.empty();
        }
        return Optional.of(new AddressInfo(header.index(), new Address(ip, header.prefixLength())));
    }

    /**
     * A unicast route of the main table, as `ip route` lists them. Other tables, other types (local, broadcast,
     * unreachable, ...) and multipath routes, which a {@link Route} cannot express, are skipped.
     */
    static Optional<RouteInfo> route(NetlinkMessage m) {
        if (m.type() != RTM_NEWROUTE) {
            return Optional.empty();
        }
        RtMsg header = RtMsg.read(m.payload());
        if (header.family() != AF_INET && header.family() != AF_INET6 || header.type() != RTN_UNICAST) {
            return Optional.empty();
        }
        Attributes a = m.attributes(RtMsg.SIZE);
        int table = a.u32(RTA_TABLE, header.table()); // RTA_TABLE carries tables above 255
        if (table != RT_TABLE_MAIN || a.has(RTA_MULTIPATH)) {
            return Optional.empty();
        }
        InetAddress dst = a.address(RTA_DST);
        if (dst == null) {
            dst = zero(header.family());
        }
        return Optional.of(new RouteInfo(Cidr.containing(dst, header.dstLength()), a.address(RTA_GATEWAY),
                a.u32(RTA_OIF, 0), (header.flags() & RTNH_F_ONLINK) != 0));
    }

    private static InetAddress zero(int family) {
        try {
            return InetAddress.getByAddress(new byte[family == AF_INET ? 4 : 16]);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
