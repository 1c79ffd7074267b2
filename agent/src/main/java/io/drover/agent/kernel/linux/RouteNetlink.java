package io.drover.agent.kernel.linux;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.Route;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Link, address and route operations of one namespace, over that namespace's netlink socket. Runs only on the
 * namespace's thread. Failures are {@link ErrnoException}s; the caller adds the operation and the namespace.
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

    /** The index of an interface, or ENODEV naming it. */
    int index(String name) {
        try {
            for (NetlinkMessage m : socket.request(RtnlRequests.getLink(name))) {
                if (m.type() == Rtnl.RTM_NEWLINK) {
                    return IfInfoMsg.read(m.payload()).index();
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

    void deleteLink(String name) {
        socket.request(RtnlRequests.deleteLink(name));
    }

    void setUp(String name, boolean up) {
        socket.request(RtnlRequests.setUp(name, up));
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

    @Override
    public void close() {
        socket.close();
    }
}
