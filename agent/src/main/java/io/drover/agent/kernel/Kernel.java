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

    /** Creates a bridge (down) with the given MTU and alias. */
    void createBridge(NetNs ns, String name, int mtu, String alias);

    /**
     * Creates a veth pair whose first end, {@code name}, stays in {@code ns} and whose peer, {@code peerName}, is
     * created directly in {@code peerNs} (so it never appears in {@code ns}, even for a moment). Both ends get the
     * MTU; the first end gets the alias; both start down.
     */
    void createVethPair(NetNs ns, String name, String alias, NetNs peerNs, String peerName, int mtu);

    void deleteLink(NetNs ns, String name);

    void setUp(NetNs ns, String name, boolean up);

    void setMtu(NetNs ns, String name, int mtu);

    /** Enslaves an interface to a bridge ({@code bridge} null: release it). */
    void setMaster(NetNs ns, String name, String bridge);

    /** The bridge port's hairpin mode, so that a pod can reach itself through a service address later. */
    void setHairpin(NetNs ns, String port, boolean on);

    // Addresses.

    List<Address> addresses(NetNs ns, String link);

    void addAddress(NetNs ns, String link, Address address);

    void deleteAddress(NetNs ns, String link, Address address);

    // Routes (main table).

    List<Route> routes(NetNs ns);

    void addRoute(NetNs ns, Route route);

    void deleteRoute(NetNs ns, Route route);

    // Sysctls, such as net.ipv4.ip_forward, read and written inside the namespace (/proc/sys/...).

    String sysctl(NetNs ns, String key);

    void setSysctl(NetNs ns, String key, String value);

    // nftables.

    /** Runs an {@code nft -f} script in the namespace as one transaction: all of it applies, or none of it. */
    void applyNftables(NetNs ns, String script);

    /** The JSON ({@code nft -j list table FAMILY NAME}) of one table, or empty JSON {"nftables":[]} when absent. */
    String listNftTable(NetNs ns, String family, String table);
}
