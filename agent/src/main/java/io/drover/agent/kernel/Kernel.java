package io.drover.agent.kernel;

import java.util.List;

/**
 * Every kernel call the agent makes, and nothing more: the one narrow interface between the data-plane logic and
 * Linux. {@code LinuxKernel} implements it with netlink through the FFM API and {@code nft}; an in-memory fake
 * implements it for unit tests. Each method names the namespace it acts in; implementations switch namespaces on
 * a dedicated platform thread, never on the caller's (which may be virtual).
 *
 * <p>Creating methods are not idempotent (they fail with EEXIST); the reconciler reads first and decides. Deleting
 * methods fail with the kernel's own errno when the object is gone, so that the caller can tell "already gone"
 * apart: ENOENT for a namespace, ENODEV for a link, EADDRNOTAVAIL for an address, ESRCH for a route.
 */
public interface Kernel {

    // Namespaces. Named ones live at /run/netns/NAME, as iproute2's, so that `ip netns` and podman see them too.

    /** Creates a named network namespace with its loopback down; fails with EEXIST when the name is taken. */
    NetNs createNamespace(String name);

    /** Removes a named namespace (its interfaces go with it once no process holds it). */
    void deleteNamespace(String name);

    /** The names under /run/netns. */
    List<String> namespaces();

    /**
     * Runs a task on a platform thread that has entered {@code ns}, and returns its result. Sockets the task opens
     * belong to that namespace for their whole life, so a server socket opened here serves inside the pod.
     */
    <T> T inNamespace(NetNs ns, java.util.concurrent.Callable<T> task);

    // Interfaces.

    List<Link> links(NetNs ns);

    /**
     * The same as {@link #links}, for a namespace read again and again (the node's, on every sync): an
     * implementation may keep the links from the kernel's notifications rather than dump them each time.
     */
    default List<Link> trackedLinks(NetNs ns) {
        return links(ns);
    }

    /** The next {@link #trackedLinks} of every namespace reads the kernel afresh (a periodic full comparison). */
    default void forgetTrackedLinks() {}

    /** One interface by name, empty when the namespace has none of that name. */
    default java.util.Optional<Link> link(NetNs ns, String name) {
        return links(ns).stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** Creates a bridge (down) with the given MTU and alias. */
    void createBridge(NetNs ns, String name, int mtu, String alias);

    /**
     * Creates a veth pair whose first end, {@code name}, stays in {@code ns} and whose peer, {@code peerName}, is
     * created directly in {@code peerNs} (so it never appears in {@code ns}, even for a moment). Both ends get the
     * MTU; the first end gets the alias; both start down.
     */
    void createVethPair(NetNs ns, String name, String alias, NetNs peerNs, String peerName, int mtu);

    void deleteLink(NetNs ns, String name);

    /**
     * Creates a VXLAN device (down) with the given parameters, MTU, MAC address and alias, bound to no underlay
     * device (the route to each remote endpoint chooses it), with learning off.
     */
    void createVxlan(NetNs ns, String name, Vxlan vxlan, int mtu, String mac, String alias);

    /** The VXLAN parameters of a device, or empty when it is no VXLAN device. */
    java.util.Optional<Vxlan> vxlan(NetNs ns, String name);

    void setUp(NetNs ns, String name, boolean up);

    void setMtu(NetNs ns, String name, int mtu);

    /**
     * Follows NFLOG group {@code group} in a namespace: every packet an nftables {@code log group} statement sends
     * there reaches {@code sink}, on a thread of its own, until the returned handle is closed.
     */
    AutoCloseable followNflog(NetNs ns, int group, java.util.function.Consumer<NflogRecord> sink);

    /** Sets an interface's MAC address ({@code aa:bb:cc:dd:ee:ff}); a veth takes it while up. */
    void setMac(NetNs ns, String name, String mac);

    /** Enslaves an interface to a bridge ({@code bridge} null: release it). */
    void setMaster(NetNs ns, String name, String bridge);

    /**
     * Whether an interface can send: it is up, its carrier is on, and the kernel has attached its queueing discipline,
     * which it does a moment after the carrier comes, asynchronously (linkwatch); until then the interface drops what
     * it is given to send. ENODEV when there is no such interface.
     */
    boolean running(NetNs ns, String name);

    /** The bridge port's hairpin mode, so that a pod can reach itself through a service address later. */
    void setHairpin(NetNs ns, String port, boolean on);

    /**
     * Pins {@code mac} to a bridge port: a static entry in the port's bridge's forwarding database ({@code bridge fdb
     * replace MAC dev PORT master static}) that never ages out, so frames for the MAC go to that port even when the
     * bridge has not seen it send for a while, rather than to every port. The entry goes with the port.
     * EOPNOTSUPP or EINVAL when the device is no bridge port.
     */
    void pinMac(NetNs ns, String port, String mac);

    // Addresses.

    List<Address> addresses(NetNs ns, String link);

    void addAddress(NetNs ns, String link, Address address);

    void deleteAddress(NetNs ns, String link, Address address);

    // Routes (main table).

    List<Route> routes(NetNs ns);

    void addRoute(NetNs ns, Route route);

    void deleteRoute(NetNs ns, Route route);

    // Neighbours and the forwarding database of VXLAN devices, for the overlay's static entries.

    /** The permanent neighbour entries (IPv4 and IPv6) on a device; ENODEV when there is no such device. */
    List<Neighbour> neighbours(NetNs ns, String device);

    /** Adds or replaces a permanent neighbour entry. */
    void setNeighbour(NetNs ns, Neighbour neighbour);

    /** Removes a neighbour entry; ENOENT when there is none. */
    void deleteNeighbour(NetNs ns, Neighbour neighbour);

    /**
     * The permanent forwarding entries of a VXLAN device (NTF_SELF) that name a remote destination; ENODEV when there
     * is no such device.
     */
    List<FdbEntry> fdb(NetNs ns, String device);

    /**
     * Adds a permanent forwarding entry ({@code bridge fdb add ... self permanent}); EEXIST when the MAC already has
     * an entry (a unicast MAC has one destination). The all-zeros and multicast MACs collect several destinations
     * (as {@code bridge fdb append}). EOPNOTSUPP on a device that is no VXLAN device.
     */
    void addFdb(NetNs ns, FdbEntry entry);

    /** Removes a forwarding entry; ENOENT when there is none. */
    void deleteFdb(NetNs ns, FdbEntry entry);

    // Sysctls, such as net.ipv4.ip_forward, read and written inside the namespace (/proc/sys/...).

    String sysctl(NetNs ns, String key);

    void setSysctl(NetNs ns, String key, String value);

    // nftables.

    /** Runs an {@code nft -f} script in the namespace as one transaction: all of it applies, or none of it. */
    void applyNftables(NetNs ns, String script);

    /**
     * Adds and deletes set and map elements, in order, as one transaction: all of them apply, or none. Deleting an
     * element that is not there fails the whole transaction, as in nft. The default writes them as an nft script;
     * Linux sends them through nf_tables netlink, without starting a process.
     */
    default void applyNftElements(NetNs ns, List<NftElementChange> changes) {
        applyNftables(ns, NftElementChange.script(changes));
    }

    /**
     * Deletes the UDP conntrack entries DNATed from {@code destination} (null: any address, as for a NodePort) and
     * {@code port} to {@code endpoint}, so that a client's datagrams stop going to an endpoint that left its service.
     * Finding none is no error.
     */
    void deleteUdpConntrack(NetNs ns, java.net.InetAddress destination, int port, java.net.InetAddress endpoint);

    /**
     * How many conntrack entries translate a connection's destination (DNAT: a cluster IP, a NodePort) to
     * {@code endpoint}, that is, whose replies come from it and are translated back; TCP connections that are over
     * (TIME_WAIT, CLOSE) or never got an answer (SYN_SENT) do not count.
     */
    int countTranslatedConnections(NetNs ns, java.net.InetAddress endpoint);

    /** The JSON ({@code nft -j list table FAMILY NAME}) of one table, or empty JSON {"nftables":[]} when absent. */
    String listNftTable(NetNs ns, String family, String table);
}
