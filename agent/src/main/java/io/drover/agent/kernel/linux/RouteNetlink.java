package io.drover.agent.kernel.linux;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.FdbEntry;
import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.Neighbour;
import io.drover.agent.kernel.Route;
import io.drover.agent.kernel.Vxlan;
import io.drover.model.net.IpAddresses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Link, address, route, neighbour and forwarding-entry operations of one namespace, over that namespace's netlink
 * socket. Runs only on the namespace's thread. Failures are {@link ErrnoException}s; the caller adds the operation and the namespace.
 *
 * <p>Operations that take two requests (create, then set the alias) undo the first when the second fails, so that
 * a failure leaves nothing half-made.
 */
final class RouteNetlink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RouteNetlink.class);

    private final NetlinkSocket socket;

    RouteNetlink(NetlinkSocket socket) {
        this.socket = socket;
    }

    // Links.

    List<Link> links() {
        return RtnlReplies.links(socket.dump(RtnlRequests.dumpLinks()));
    }

    /** One link by index as the kernel describes it; empty when there is none. */
    Optional<RtnlReplies.LinkInfo> linkInfo(int index) {
        try {
            for (NetlinkMessage m : socket.request(RtnlRequests.getLink(index))) {
                if (m.type() == Rtnl.RTM_NEWLINK) {
                    return Optional.of(RtnlReplies.link(m));
                }
            }
            return Optional.empty();
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENODEV) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The links as the kernel describes them, masters by index: what a {@link LinkTracker} starts from. */
    List<RtnlReplies.LinkInfo> linkInfos() {
        return RtnlReplies.linkInfos(socket.dump(RtnlRequests.dumpLinks()));
    }

    /**
     * One interface by name, without dumping the others (a node has one per pod); its master's name is asked for by
     * index. Empty when there is no such interface.
     */
    Optional<Link> find(String ifname) {
        RtnlReplies.LinkInfo info;
        try {
            info = RtnlReplies.link(link(ifname));
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENODEV) {
                return Optional.empty();
            }
            throw e;
        }
        String master = null;
        if (info.masterIndex() != 0) {
            for (NetlinkMessage m : socket.request(RtnlRequests.getLink(info.masterIndex()))) {
                if (m.type() == Rtnl.RTM_NEWLINK) {
                    master = RtnlReplies.link(m).name();
                }
            }
        }
        return Optional.of(new Link(info.index(), info.name(), info.kind(), info.mtu(), info.up(), info.mac(), master,
                info.alias()));
    }

    /** The index of an interface, or ENODEV naming it. */
    int index(String name) {
        return IfInfoMsg.read(link(name).payload()).index();
    }

    /**
     * Whether an interface is up with its carrier on and its queueing discipline attached (not "noop", which every
     * interface has until the kernel activates it and which drops all it is given), or ENODEV naming it. IFF_RUNNING
     * would not do: a new interface's operational state is "unknown", which counts as running, until the kernel gets
     * round to it.
     */
    boolean running(String name) {
        NetlinkMessage m = link(name);
        int flags = IfInfoMsg.read(m.payload()).flags();
        String qdisc = m.attributes(IfInfoMsg.SIZE).string(Rtnl.IFLA_QDISC);
        return (flags & Rtnl.IFF_UP) != 0 && (flags & Rtnl.IFF_LOWER_UP) != 0 && qdisc != null && !qdisc.equals("noop");
    }

    /** The RTM_NEWLINK message of one interface, or ENODEV naming it. */
    private NetlinkMessage link(String name) {
        try {
            for (NetlinkMessage m : socket.request(RtnlRequests.getLink(name))) {
                if (m.type() == Rtnl.RTM_NEWLINK) {
                    return m;
                }
            }
            throw new ErrnoException(Errno.ENODEV, "interface " + name);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENODEV) {
                throw new ErrnoException(Errno.ENODEV, "interface " + name);
            }
            throw e;
        }
    }

    void createBridge(String name, int mtu, String alias) {
        socket.request(RtnlRequests.newBridge(name, mtu));
        setAliasOrUndo(name, alias);
    }

    /** A veth pair whose peer is created directly in the namespace {@code peerNs} names (null: this one). */
    void createVeth(String name, String alias, Path peerNs, String peerName, int mtu) {
        int peerFd = -1;
        if (peerNs != null) {
            try {
                peerFd = Libc.open(peerNs.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            } catch (ErrnoException e) {
                throw new ErrnoException(e.errno(), "peer namespace " + peerNs);
            }
        }
        try {
            socket.request(RtnlRequests.newVeth(name, mtu, peerName, peerFd));
        } finally {
            if (peerFd >= 0) {
                Libc.close(peerFd);
            }
        }
        setAliasOrUndo(name, alias); // deleting one end deletes the peer too
    }

    private void setAliasOrUndo(String name, String alias) {
        if (alias == null || alias.isEmpty()) {
            return;
        }
        try {
            socket.request(RtnlRequests.setAlias(name, alias));
        } catch (RuntimeException e) {
            try {
                socket.request(RtnlRequests.deleteLink(name));
            } catch (RuntimeException undo) {
                log.warn("could not remove {} after failing to set its alias: {}", name, undo.getMessage());
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    /** A VXLAN device (down); the alias is a second request, undone with the device when it fails. */
    void createVxlan(String name, Vxlan vxlan, int mtu, String mac, String alias) {
        socket.request(RtnlRequests.newVxlan(name, mtu, mac == null ? null : macBytes(mac), vxlan));
        setAliasOrUndo(name, alias);
    }

    /** The VXLAN parameters of an interface; empty when it is of another kind, ENODEV when there is none. */
    Optional<Vxlan> vxlan(String name) {
        return RtnlReplies.vxlan(link(name));
    }

    void deleteLink(String name) {
        socket.request(RtnlRequests.deleteLink(name));
    }

    void setUp(String name, boolean up) {
        socket.request(RtnlRequests.setUp(name, up));
    }

    void setMac(String name, String mac) {
        socket.request(RtnlRequests.setAddress(name, macBytes(mac)));
    }

    void setMtu(String name, int mtu) {
        socket.request(RtnlRequests.setMtu(name, mtu));
    }

    void setMaster(String name, String bridge) {
        int master = bridge == null ? 0 : index(bridge);
        socket.request(RtnlRequests.setMaster(name, master));
    }

    void setHairpin(String port, boolean on) {
        socket.request(RtnlRequests.setHairpin(index(port), on));
    }

    void pinMac(String port, String mac) {
        socket.request(RtnlRequests.pinMac(index(port), macBytes(mac)));
    }

    // Addresses.

    List<Address> addresses(String link) {
        int index = index(link);
        List<Address> out = new ArrayList<>();
        for (NetlinkMessage m : socket.dump(RtnlRequests.dumpAddresses(index))) {
            // The kernel filters by index under strict checking; the check here keeps older kernels right too.
            RtnlReplies.address(m).filter(a -> a.index() == index).ifPresent(a -> out.add(a.address()));
        }
        return out;
    }

    void addAddress(String link, Address address) {
        socket.request(RtnlRequests.newAddress(index(link), address));
    }

    /** A missing address fails with the kernel's EADDRNOTAVAIL. */
    void deleteAddress(String link, Address address) {
        socket.request(RtnlRequests.deleteAddress(index(link), address));
    }

    // Routes.

    List<Route> routes() {
        List<RtnlReplies.RouteInfo> infos = new ArrayList<>();
        for (int family : new int[] {Rtnl.AF_INET, Rtnl.AF_INET6}) {
            List<NetlinkMessage> replies;
            try {
                replies = socket.dump(RtnlRequests.dumpRoutes(family));
            } catch (ErrnoException e) {
                // A strict dump filtered on the main table fails with ENOENT while the namespace has no main table
                // yet: a new namespace (a CNI runtime's) whose loopback is still down. It has no routes.
                if (e.errno() != Errno.ENOENT) {
                    throw e;
                }
                continue;
            }
            for (NetlinkMessage m : replies) {
                RtnlReplies.route(m).ifPresent(infos::add);
            }
        }
        Map<Integer, String> names = new HashMap<>();
        if (infos.stream().anyMatch(r -> r.oif() != 0)) {
            for (Link l : links()) {
                names.put(l.index(), l.name());
            }
        }
        List<Route> routes = new ArrayList<>(infos.size());
        for (RtnlReplies.RouteInfo r : infos) {
            routes.add(new Route(r.destination(), r.gateway(), r.oif() == 0 ? null : names.get(r.oif()), r.onLink()));
        }
        return routes;
    }

    void addRoute(Route route) {
        socket.request(RtnlRequests.newRoute(route, route.device() == null ? 0 : index(route.device())));
    }

    /** A missing route fails with the kernel's ESRCH. */
    void deleteRoute(Route route) {
        socket.request(RtnlRequests.deleteRoute(route, route.device() == null ? 0 : index(route.device())));
    }

    // Neighbours.

    /** The permanent neighbours of both families on an interface (ENODEV naming it when there is none). */
    List<Neighbour> neighbours(String device) {
        int index = index(device);
        List<Neighbour> out = new ArrayList<>();
        for (NetlinkMessage m : socket.dump(RtnlRequests.dumpNeighbours(index))) {
            // Filtered here too: without strict checking (before Linux 4.20) the kernel ignores NDA_IFINDEX.
            RtnlReplies.neighbour(m).filter(n -> n.index() == index)
                    .ifPresent(n -> out.add(new Neighbour(device, n.address(), n.mac())));
        }
        return out;
    }

    void setNeighbour(Neighbour n) {
        socket.request(RtnlRequests.replaceNeighbour(index(n.device()), n.address(), macBytes(n.mac())));
    }

    /** A missing entry fails with the kernel's ENOENT. */
    void deleteNeighbour(Neighbour n) {
        socket.request(RtnlRequests.deleteNeighbour(index(n.device()), n.address()));
    }

    // Forwarding entries of VXLAN devices.

    List<FdbEntry> fdb(String device) {
        return fdb(device, index(device));
    }

    private List<FdbEntry> fdb(String device, int index) {
        List<FdbEntry> out = new ArrayList<>();
        for (NetlinkMessage m : socket.dump(RtnlRequests.dumpFdb(index))) {
            RtnlReplies.fdb(m).filter(f -> f.index() == index)
                    .ifPresent(f -> out.add(new FdbEntry(device, f.mac(), f.destination())));
        }
        return out;
    }

    /**
     * A unicast MAC has one destination: adding it goes as {@code bridge fdb add}, which the kernel refuses with
     * EEXIST while the MAC has any entry (as {@code bridge fdb append} it would accept the request and ignore it). An
     * all-zeros or multicast MAC collects destinations with {@code bridge fdb append}, which the kernel accepts
     * silently for a destination it already has, so that case is looked up first to give EEXIST too.
     */
    void addFdb(FdbEntry e) {
        int index = vxlanIndex(e.device());
        byte[] mac = macBytes(e.mac());
        boolean append = (mac[0] & 1) != 0 || Arrays.equals(mac, new byte[6]);
        if (append && fdb(e.device(), index).contains(e)) {
            throw new ErrnoException(Errno.EEXIST, "", "the entry is there already");
        }
        try {
            socket.request(RtnlRequests.newFdb(index, mac, e.destination(), append));
        } catch (ErrnoException failure) {
            if (failure.errno() != Errno.EEXIST || append) {
                throw failure;
            }
            List<String> now = fdb(e.device(), index).stream().filter(f -> f.mac().equals(e.mac()))
                    .map(f -> IpAddresses.format(f.destination())).toList();
            throw new ErrnoException(Errno.EEXIST, "", now.isEmpty() ? "" : e.mac() + " already goes to "
                    + String.join(", ", now) + " (a unicast MAC has one destination; delete that entry first)");
        }
    }

    /**
     * The kernel answers a delete for a MAC it has with another destination with success, leaving the entry as it
     * is; the entry is looked up first, so that a missing one fails with ENOENT, as the kernel fails for a MAC it
     * does not have.
     */
    void deleteFdb(FdbEntry e) {
        int index = vxlanIndex(e.device());
        if (!fdb(e.device(), index).contains(e)) {
            throw new ErrnoException(Errno.ENOENT, "", "no such forwarding entry");
        }
        socket.request(RtnlRequests.deleteFdb(index, macBytes(e.mac()), e.destination()));
    }

    /**
     * The index of a VXLAN device; EOPNOTSUPP for another kind, whose driver would take the request for something
     * else (a veth adds the MAC to its unicast filter and ignores the destination; a bridge makes a local entry).
     */
    private int vxlanIndex(String device) {
        NetlinkMessage m = link(device);
        RtnlReplies.LinkInfo info = RtnlReplies.link(m);
        if (!info.kind().equals("vxlan")) {
            String kind = info.kind().isEmpty() ? "one of no kind" : "a " + info.kind() + " device";
            throw new ErrnoException(Errno.EOPNOTSUPP, "interface " + device,
                    "forwarding entries with a destination need a VXLAN device, this is " + kind);
        }
        return info.index();
    }

    private static byte[] macBytes(String mac) {
        return HexFormat.ofDelimiter(":").parseHex(Link.normalizeMac(mac));
    }

    @Override
    public void close() {
        socket.close();
    }
}
