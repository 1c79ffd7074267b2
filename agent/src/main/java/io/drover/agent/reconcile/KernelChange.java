package io.drover.agent.reconcile;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.FdbEntry;
import io.drover.agent.kernel.Neighbour;
import io.drover.agent.kernel.Vxlan;
import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.NftElementChange;
import io.drover.agent.kernel.Route;
import io.drover.agent.rules.NodeRules;
import java.util.List;

/**
 * One write to the kernel, as a value: the planner decides them without I/O (so a plan can be asserted in tests and
 * logged as it is applied), and {@link #applyTo} makes the one {@link Kernel} call. The {@code toString} of each is
 * the log line, close to the iproute2 command that would do the same.
 */
public sealed interface KernelChange {

    NetNs ns();

    void applyTo(Kernel kernel);

    /**
     * Whether a failure means the change is already in effect. A delete of something already gone (a veth that
     * left with its peer, a namespace removed by hand) has done its job.
     */
    default boolean alreadyDone(KernelException e) {
        return false;
    }

    /** errnos by which deleting methods say "already gone": ENOENT, ESRCH, ENODEV, EADDRNOTAVAIL. */
    private static boolean gone(KernelException e) {
        return switch (e.errno()) {
            case KernelException.ENOENT, 3, KernelException.ENODEV, 99 -> true;
            default -> false;
        };
    }

    record CreateNamespace(String name) implements KernelChange {
        @Override
        public NetNs ns() {
            return NetNs.named(name);
        }

        @Override
        public void applyTo(Kernel kernel) {
            kernel.createNamespace(name);
        }

        @Override
        public String toString() {
            return "ip netns add " + name;
        }
    }

    record DeleteNamespace(String name) implements KernelChange {
        @Override
        public NetNs ns() {
            return NetNs.named(name);
        }

        @Override
        public void applyTo(Kernel kernel) {
            kernel.deleteNamespace(name);
        }

        @Override
        public boolean alreadyDone(KernelException e) {
            return gone(e);
        }

        @Override
        public String toString() {
            return "ip netns del " + name;
        }
    }

    record CreateBridge(NetNs ns, String name, int mtu, String alias) implements KernelChange {
        @Override
        public void applyTo(Kernel kernel) {
            kernel.createBridge(ns, name, mtu, alias);
        }

        @Override
        public String toString() {
            return at(ns) + "ip link add " + name + " mtu " + mtu + " alias " + alias + " type bridge";
        }
    }

    record CreateVethPair(NetNs ns, String name, String alias, NetNs peerNs, String peerName, int mtu)
            implements KernelChange {
        @Override
        public void applyTo(Kernel kernel) {
            kernel.createVethPair(ns, name, alias, peerNs, peerName, mtu);
        }

        @Override
        public String toString() {
            return at(ns) + "ip link add " + name + " mtu " + mtu + " alias " + alias + " type veth peer " + peerName
                    + " netns " + peerNs;
        }
    }

    record CreateVxlan(NetNs ns, String name, Vxlan vxlan, int mtu, String mac, String alias) implements KernelChange {
        @Override
        public void applyTo(Kernel kernel) {
            kernel.createVxlan(ns, name, vxlan, mtu, mac, alias);
        }

        @Override
        public String toString() {
            return at(ns) + "ip link add " + name + " mtu " + mtu + " address " + mac + " alias " + alias
                    + " type vxlan id " + vxlan.vni() + " local " + vxlan.local().getHostAddress() + " dstport "
                    + vxlan.port() + (vxlan.learning() ? "" : " nolearning");
        }
    }

    record SetNeighbour(NetNs ns, Neighbour neighbour) implements KernelChange {
        @Override
        public void applyTo(Kernel kernel) {
            kernel.setNeighbour(ns, neighbour);
        }

        @Override
        public String toString() {
            return at(ns) + "ip neigh replace " + neighbour.address().getHostAddress() + " lladdr " + neighbour.mac()
                    + " dev " + neighbour.device() + " nud permanent";
        }
    }

    record DeleteNeighbour(NetNs ns, Neighbour neighbour) implements KernelChange {
        @Override
        public void applyTo(Kernel kernel) {
            kernel.deleteNeighbour(ns, neighbour);
        }

        @Override
        public boolean alreadyDone(KernelException e) {
            return gone(e);
        }

        @Override
        public String toString() {
            return at(ns) + "ip neigh del " + neighbour.address().getHostAddress() + " dev " + neighbour.device();
        }
    }

    record AddFdb(NetNs ns, FdbEntry entry) implements KernelChange {
        @Override
        public void applyTo(Kernel kernel) {
            kernel.addFdb(ns, entry);
        }

        @Override
        public boolean alreadyDone(KernelException e) {
            return e.errno() == KernelException.EEXIST;
        }

        @Override
        public String toString() {
            return at(ns) + "bridge fdb append " + entry.mac() + " dev " + entry.device() + " dst "
                    + entry.destination().getHostAddress() + " self permanent";
        }
    }

    record DeleteFdb(NetNs ns, FdbEntry entry) implements KernelChange {
        @Override
        public void applyTo(Kernel kernel) {
            kernel.deleteFdb(ns, entry);
        }

        @Override
        public boolean alreadyDone(KernelException e) {
            return gone(e);
        }

        @Override
        public String toString() {
            return at(ns) + "bridge fdb del " + entry.mac() + " dev " + entry.device() + " dst "
                    + entry.destination().getHostAddress() + " self";
        }
    }

    record DeleteLink(NetNs ns, String name) implements KernelChange {
        @Override
        public void applyTo(Kernel kernel) {
            kernel.deleteLink(ns, name);
        }

        @Override
        public boolean alreadyDone(KernelException e) {
            return gone(e);
        }

        @Override
        public String toString() {
            return at(ns) + "ip link del " + name;
        }
    }

    record SetUp(NetNs ns, String name, boolean up) implements KernelChange {
        @Override
        public void applyTo(Kernel kernel) {
            kernel.setUp(ns, name, up);
        }

        @Override
        public String toString() {
            return at(ns) + "ip link set " + name + (up ? " up" : " down");
        }
    }

    record SetMac(NetNs ns, String name, String mac) implements KernelChange {
        @Override
        public void applyTo(Kernel kernel) {
            kernel.setMac(ns, name, mac);
        }

        @Override
        public String toString() {
            return at(ns) + "ip link set " + name + " address " + mac;
        }
    }

    record SetMtu(NetNs ns, String name, int mtu) implements KernelChange {
        @Override
        public void applyTo(Kernel kernel) {
            kernel.setMtu(ns, name, mtu);
        }

        @Override
        public String toString() {
            return at(ns) + "ip link set " + name + " mtu " + mtu;
        }
    }

    record SetMaster(NetNs ns, String name, String bridge) implements KernelChange {
        @Override
        public void applyTo(Kernel kernel) {
            kernel.setMaster(ns, name, bridge);
        }

        @Override
        public String toString() {
            return at(ns) + "ip link set " + name + (bridge == null ? " nomaster" : " master " + bridge);
        }
    }

    /**
     * Waits, at most {@link #LIMIT}, until an interface that was just brought up is running. Its carrier is on at
     * once, but the kernel attaches its queueing discipline a moment later, asynchronously; a packet sent meanwhile
     * is dropped. For a pod's interface that packet is its first ARP request, so a pod that connects at once would wait
     * for the neighbour retry, a second, before anything gets through. Not running after the limit: the plan goes on.
     */
    record AwaitRunning(NetNs ns, String name) implements KernelChange {
        static final java.time.Duration LIMIT = java.time.Duration.ofMillis(200);

        @Override
        public void applyTo(Kernel kernel) {
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (!kernel.running(ns, name) && System.nanoTime() - deadline < 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
        }

        @Override
        public String toString() {
            return at(ns) + "# wait until " + name + " is running";
        }
    }

    record PinMac(NetNs ns, String port, String mac) implements KernelChange {
        @Override
        public void applyTo(Kernel kernel) {
            kernel.pinMac(ns, port, mac);
        }

        @Override
        public String toString() {
            return at(ns) + "bridge fdb replace " + mac + " dev " + port + " master static";
        }
    }

    record SetHairpin(NetNs ns, String port, boolean on) implements KernelChange {
        @Override
        public void applyTo(Kernel kernel) {
            kernel.setHairpin(ns, port, on);
        }

        @Override
        public String toString() {
            return at(ns) + "bridge link set dev " + port + " hairpin " + (on ? "on" : "off");
        }
    }

    record AddAddress(NetNs ns, String link, Address address) implements KernelChange {
        @Override
        public void applyTo(Kernel kernel) {
            kernel.addAddress(ns, link, address);
        }

        @Override
        public String toString() {
            return at(ns) + "ip addr add " + address + " dev " + link;
        }
    }

    record DeleteAddress(NetNs ns, String link, Address address) implements KernelChange {
        @Override
        public void applyTo(Kernel kernel) {
            kernel.deleteAddress(ns, link, address);
        }

        @Override
        public boolean alreadyDone(KernelException e) {
            return gone(e);
        }

        @Override
        public String toString() {
            return at(ns) + "ip addr del " + address + " dev " + link;
        }
    }

    record AddRoute(NetNs ns, Route route) implements KernelChange {
        @Override
        public void applyTo(Kernel kernel) {
            kernel.addRoute(ns, route);
        }

        @Override
        public String toString() {
            return at(ns) + "ip route add " + describe(route);
        }
    }

    record DeleteRoute(NetNs ns, Route route) implements KernelChange {
        @Override
        public void applyTo(Kernel kernel) {
            kernel.deleteRoute(ns, route);
        }

        @Override
        public boolean alreadyDone(KernelException e) {
            return gone(e);
        }

        @Override
        public String toString() {
            return at(ns) + "ip route del " + describe(route);
        }
    }

    record SetSysctl(NetNs ns, String key, String value) implements KernelChange {
        @Override
        public void applyTo(Kernel kernel) {
            kernel.setSysctl(ns, key, value);
        }

        @Override
        public String toString() {
            return at(ns) + "sysctl -w " + key + "=" + value;
        }
    }

    /**
     * Programs Drover's nftables table in one transaction: {@code script} (only the changes when the agent knows what
     * the table holds), and should the kernel refuse it because the table is not what it was believed to be (someone
     * flushed it), {@code fullScript}, which defines the whole table afresh. When the changes are element changes only
     * ({@code elements} not null, {@code script} then unused), they are written as such, without running nft.
     *
     * @param rules    what the table holds once this is applied
     * @param elements the changes as element changes, or null when they are more (chains, the whole table)
     */
    record ApplyNftables(NetNs ns, String script, boolean incremental, NodeRules rules, List<NftElementChange> elements)
            implements KernelChange {

        public ApplyNftables(NetNs ns, String script, boolean incremental, NodeRules rules) {
            this(ns, script, incremental, rules, null);
        }

        public ApplyNftables {
            elements = elements == null ? null : List.copyOf(elements);
        }

        @Override
        public void applyTo(Kernel kernel) {
            try {
                if (elements != null) {
                    kernel.applyNftElements(ns, elements);
                } else {
                    kernel.applyNftables(ns, script);
                }
            } catch (RuntimeException e) {
                if (!incremental) {
                    throw e;
                }
                // The table is not what the changes were made for: write it whole. Rendered only now, as most syncs
                // never need it and rendering every rule of the node costs more than the changes themselves.
                kernel.applyNftables(ns, rules.nftScript());
            }
        }

        @Override
        public String toString() {
            if (elements != null) {
                return at(ns) + "nft <" + elements.size() + " element changes through netlink: "
                        + rules.networks().size() + " networks, " + rules.ports().size() + " published ports>";
            }
            long lines = script.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
            return at(ns) + "nft -f <" + (incremental() ? "element changes" : "table inet drover") + ", " + lines
                    + " lines: " + rules.networks().size() + " networks, " + rules.ports().size() + " published ports>";
        }
    }

    private static String at(NetNs ns) {
        return ns.isSelf() ? "" : "[" + ns + "] ";
    }

    private static String describe(Route r) {
        return r.destination() + (r.gateway() == null ? "" : " via " + io.drover.model.net.IpAddresses.format(r.gateway()))
                + (r.device() == null ? "" : " dev " + r.device()) + (r.onLink() ? " onlink" : "");
    }
}
