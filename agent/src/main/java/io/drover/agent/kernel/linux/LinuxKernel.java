package io.drover.agent.kernel.linux;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.FdbEntry;
import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.Neighbour;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.NflogRecord;
import io.drover.agent.kernel.NftElementChange;
import io.drover.agent.kernel.Route;
import io.drover.agent.kernel.Vxlan;
import io.drover.model.net.IpAddresses;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The {@link Kernel} of a Linux host: rtnetlink through the FFM API on per-namespace platform threads
 * ({@link NamespaceThread}), named namespaces as iproute2 keeps them ({@link NamespaceFiles}), sysctls through
 * /proc/sys ({@link Sysctls}), nftables through {@code nsenter --net=PATH nft -f -} ({@link Nft}).
 *
 * <p>Needs CAP_NET_ADMIN and CAP_SYS_ADMIN (root), and {@code --enable-native-access=ALL-UNNAMED} on the JVM.
 * Every failure is a {@link KernelException} whose message names the operation, the object and the namespace, and
 * whose errno is the kernel's own (deleting a missing link: ENODEV, address: EADDRNOTAVAIL, route: ESRCH,
 * neighbour or forwarding entry: ENOENT). Reading the VXLAN parameters, neighbours or forwarding entries of a
 * missing device fails with ENODEV; forwarding entries are written to VXLAN devices only (EOPNOTSUPP otherwise).
 *
 * <p>Close it to end its namespace threads; unclosed, they end by themselves after the idle time (they are
 * daemon threads either way).
 */
public final class LinuxKernel implements Kernel, AutoCloseable {

    /** How long a namespace thread (and its netlink socket) waits for more work before it ends. */
    public static final Duration DEFAULT_IDLE = Duration.ofSeconds(30);

    private static final int IFNAMSIZ = 16;
    private static final int IFALIASZ = 256;

    private final NamespaceThreads threads;
    private final NamespaceFiles files;
    private final Nft nft;
    private final Conntrack conntrack = new Conntrack();
    private final java.util.concurrent.atomic.AtomicLong trackedLinksEpoch = new java.util.concurrent.atomic.AtomicLong();

    public LinuxKernel() {
        this(DEFAULT_IDLE);
    }

    public LinuxKernel(Duration idle) {
        this.threads = new NamespaceThreads(idle);
        this.files = new NamespaceFiles();
        this.nft = new Nft();
    }

    @Override
    public void close() {
        threads.close();
    }

    // Namespaces.

    @Override
    public NetNs createNamespace(String name) {
        files.path(name); // validates before any side effect
        try {
            files.create(name);
            return NetNs.named(name);
        } catch (ErrnoException e) {
            throw failure("create namespace " + name, null, e);
        } catch (java.io.UncheckedIOException e) {
            throw new KernelException("create namespace " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void deleteNamespace(String name) {
        files.path(name);
        NetNs ns = NetNs.named(name);
        // The namespace thread holds the namespace (and its socket) open: end it first, so that the namespace and
        // its interfaces go away now rather than when the thread would have idled out.
        threads.retire(ns.path());
        try {
            files.delete(name);
        } catch (ErrnoException e) {
            throw failure("delete namespace " + name, null, e);
        }
    }

    @Override
    public List<String> namespaces() {
        return files.list();
    }

    /**
     * {@inheritDoc}
     *
     * <p>The task runs on the namespace's thread, queued with the namespace's other work, so it should be short:
     * open the sockets there, use them from anywhere afterwards. It must not start threads or hand work to
     * executors (a thread started inside a namespace stays in it), nor wait for another namespace's task that waits
     * for this one. Exceptions of the task reach the caller unchanged when unchecked, and as the cause of a
     * KernelException when checked.
     */
    @Override
    public <T> T inNamespace(NetNs ns, Callable<T> task) {
        try {
            return threads.call(ns, context -> task.call());
        } catch (ErrnoException e) {
            throw failure("run a task", ns, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new KernelException("task in " + ns + " failed: " + e, e);
        }
    }

    @Override
    public AutoCloseable followNflog(NetNs ns, int group, Consumer<NflogRecord> sink) {
        // Opened in the namespace (a socket stays in the namespace it was made in), used by the reader thread alone:
        // the socket's buffers belong to the thread that adopts it.
        int fd = inNamespace(ns, () -> Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Nflog.NETLINK_NETFILTER));
        AtomicBoolean closed = new AtomicBoolean();
        java.util.concurrent.CompletableFuture<Void> bound = new java.util.concurrent.CompletableFuture<>();
        // The socket is closed by the reader itself, once it has left recvfrom: closing it under a blocked read would
        // free the buffer the kernel is writing to.
        Thread reader = Thread.ofPlatform().daemon().name("nflog-" + group + "-" + ns).start(() -> {
            NetlinkSocket socket;
            try {
                socket = NetlinkSocket.adopt(fd);
            } catch (RuntimeException e) {
                Libc.close(fd);
                bound.completeExceptionally(e);
                return;
            }
            try (socket) {
                try {
                    Nflog.bind(socket, group);
                    socket.receiveTimeout(Duration.ofMillis(500));
                    bound.complete(null);
                } catch (RuntimeException e) {
                    bound.completeExceptionally(e);
                    return;
                }
                while (!closed.get()) {
                    try {
                        socket.receiveAny().forEach(m -> Nflog.record(m).ifPresent(sink));
                    } catch (ErrnoException e) {
                        if (e.errno() != Errno.EAGAIN && e.errno() != Errno.ENOBUFS && e.errno() != Errno.EINTR) {
                            org.slf4j.LoggerFactory.getLogger(LinuxKernel.class)
                                    .warn("NFLOG group {} in {}: {}; no more firewall log lines", group, ns, e.getMessage());
                            return;
                        }
                    }
                }
            }
        });
        try {
            bound.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            closed.set(true);
            throw e.getCause() instanceof ErrnoException errno ? failure("follow NFLOG group " + group, ns, errno)
                    : new KernelException("cannot follow NFLOG group " + group + " in " + ns + ": " + e.getCause(), e.getCause());
        } catch (Exception e) {
            closed.set(true);
            throw new KernelException("cannot follow NFLOG group " + group + " in " + ns + ": " + e, e);
        }
        return () -> {
            closed.set(true);
            reader.join(Duration.ofSeconds(5));
        };
    }

    // Interfaces.

    @Override
    public List<Link> links(NetNs ns) {
        return netlink(ns, "list interfaces", RouteNetlink::links);
    }

    /** Kept from link notifications on the namespace's thread; a new epoch makes every tracker dump again. */
    @Override
    public List<Link> trackedLinks(NetNs ns) {
        long epoch = trackedLinksEpoch.get();
        return call(ns, "list interfaces", context -> context.linkTracker().links(context.netlink(), epoch));
    }

    @Override
    public void forgetTrackedLinks() {
        trackedLinksEpoch.incrementAndGet();
    }

    @Override
    public Optional<Link> link(NetNs ns, String name) {
        return netlink(ns, "read interface " + name, n -> n.find(name));
    }

    @Override
    public boolean running(NetNs ns, String name) {
        return netlink(ns, "read the state of interface " + name, n -> n.running(name));
    }

    @Override
    public void createBridge(NetNs ns, String name, int mtu, String alias) {
        requireInterfaceName(name);
        requireAlias(alias);
        netlinkDo(ns, "create bridge " + name, n -> n.createBridge(name, mtu, alias));
    }

    @Override
    public void createVethPair(NetNs ns, String name, String alias, NetNs peerNs, String peerName, int mtu) {
        requireInterfaceName(name);
        requireInterfaceName(peerName);
        requireAlias(alias);
        String what = "create veth " + name + " (peer " + peerName + (peerNs.equals(ns) ? "" : " in " + peerNs) + ")";
        netlinkDo(ns, what, n -> n.createVeth(name, alias, peerNs.equals(ns) ? null : peerNs.path(), peerName, mtu));
    }

    @Override
    public void createVxlan(NetNs ns, String name, Vxlan vxlan, int mtu, String mac, String alias) {
        requireInterfaceName(name);
        requireAlias(alias);
        String normalized = mac == null ? null : Link.normalizeMac(mac);
        netlinkDo(ns, "create vxlan " + name + " (vni " + vxlan.vni() + ", local " + IpAddresses.format(vxlan.local())
                + ", port " + vxlan.port() + ")", n -> n.createVxlan(name, vxlan, mtu, normalized, alias));
    }

    @Override
    public Optional<Vxlan> vxlan(NetNs ns, String name) {
        return netlink(ns, "read vxlan parameters of " + name, n -> n.vxlan(name));
    }

    @Override
    public void deleteLink(NetNs ns, String name) {
        netlinkDo(ns, "delete interface " + name, n -> n.deleteLink(name));
    }

    @Override
    public void setUp(NetNs ns, String name, boolean up) {
        netlinkDo(ns, "set " + name + (up ? " up" : " down"), n -> n.setUp(name, up));
    }

    @Override
    public void setMac(NetNs ns, String name, String mac) {
        String normalized = Link.normalizeMac(mac);
        netlinkDo(ns, "set address " + normalized + " on " + name, n -> n.setMac(name, normalized));
    }

    @Override
    public void setMtu(NetNs ns, String name, int mtu) {
        netlinkDo(ns, "set mtu " + mtu + " on " + name, n -> n.setMtu(name, mtu));
    }

    @Override
    public void setMaster(NetNs ns, String name, String bridge) {
        String what = bridge == null ? "release " + name + " from its bridge" : "attach " + name + " to bridge " + bridge;
        netlinkDo(ns, what, n -> n.setMaster(name, bridge));
    }

    @Override
    public void setHairpin(NetNs ns, String port, boolean on) {
        netlinkDo(ns, "set hairpin " + (on ? "on" : "off") + " on bridge port " + port, n -> n.setHairpin(port, on));
    }

    @Override
    public void pinMac(NetNs ns, String port, String mac) {
        netlinkDo(ns, "pin MAC " + mac + " to bridge port " + port, n -> n.pinMac(port, mac));
    }

    // Addresses.

    @Override
    public List<Address> addresses(NetNs ns, String link) {
        return netlink(ns, "list addresses of " + link, n -> n.addresses(link));
    }

    @Override
    public void addAddress(NetNs ns, String link, Address address) {
        netlinkDo(ns, "add address " + address + " to " + link, n -> n.addAddress(link, address));
    }

    @Override
    public void deleteAddress(NetNs ns, String link, Address address) {
        netlinkDo(ns, "delete address " + address + " from " + link, n -> n.deleteAddress(link, address));
    }

    // Routes.

    @Override
    public List<Route> routes(NetNs ns) {
        return netlink(ns, "list routes", RouteNetlink::routes);
    }

    @Override
    public void addRoute(NetNs ns, Route route) {
        netlinkDo(ns, "add route " + describe(route), n -> n.addRoute(route));
    }

    @Override
    public void deleteRoute(NetNs ns, Route route) {
        netlinkDo(ns, "delete route " + describe(route), n -> n.deleteRoute(route));
    }

    // Neighbours and forwarding entries.

    @Override
    public List<Neighbour> neighbours(NetNs ns, String device) {
        return netlink(ns, "list neighbours of " + device, n -> n.neighbours(device));
    }

    @Override
    public void setNeighbour(NetNs ns, Neighbour neighbour) {
        netlinkDo(ns, "set neighbour " + describe(neighbour), n -> n.setNeighbour(neighbour));
    }

    @Override
    public void deleteNeighbour(NetNs ns, Neighbour neighbour) {
        netlinkDo(ns, "delete neighbour " + describe(neighbour), n -> n.deleteNeighbour(neighbour));
    }

    @Override
    public List<FdbEntry> fdb(NetNs ns, String device) {
        return netlink(ns, "list forwarding entries of " + device, n -> n.fdb(device));
    }

    @Override
    public void addFdb(NetNs ns, FdbEntry entry) {
        netlinkDo(ns, "add forwarding entry " + describe(entry), n -> n.addFdb(entry));
    }

    @Override
    public void deleteFdb(NetNs ns, FdbEntry entry) {
        netlinkDo(ns, "delete forwarding entry " + describe(entry), n -> n.deleteFdb(entry));
    }

    // Sysctls.

    @Override
    public String sysctl(NetNs ns, String key) {
        Sysctls.path(key); // validates on the caller's thread
        return call(ns, "read sysctl " + key, context -> Sysctls.read(key));
    }

    @Override
    public void setSysctl(NetNs ns, String key, String value) {
        Sysctls.path(key);
        call(ns, "set sysctl " + key + "=" + value, context -> {
            Sysctls.write(key, value);
            return null;
        });
    }

    // nftables.

    @Override
    public void applyNftables(NetNs ns, String script) {
        try {
            nft.apply(ns, script);
        } catch (Nft.NftException e) {
            throw new KernelException("apply nftables script (" + script.getBytes(StandardCharsets.UTF_8).length
                    + " bytes) in " + ns + ": " + e.getMessage(), e.errno());
        } catch (ErrnoException e) {
            throw failure("apply nftables script", ns, e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Through nf_tables netlink on the namespace's thread: no process is started, which saves the 5 ms or more
     * an {@code nft} run costs on every pod that comes or goes, and compiles nothing: 100,000 elements take a fraction of
     * what nft takes to parse them. However many, they are one batch, so one transaction (the messages are cut to
     * size, the socket's buffer grown to the datagram). Changes the encoder does not handle (interval sets) go
     * through nft.
     */
    @Override
    public void applyNftElements(NetNs ns, List<NftElementChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<NetlinkMessageBuilder> batch;
        try {
            batch = NftElementMessages.batch(changes);
        } catch (NftElementMessages.Unsupported e) {
            batch = null;
        }
        if (batch == null) {
            applyNftables(ns, NftElementChange.script(changes));
            return;
        }
        List<NetlinkMessageBuilder> messages = batch;
        call(ns, "apply " + changes.size() + " nftables element changes (the first: " + changes.getFirst().nftLine() + ")",
                context -> {
                    context.netfilter().batch(messages);
                    return null;
                });
    }

    @Override
    public int countTranslatedConnections(NetNs ns, java.net.InetAddress endpoint) {
        try {
            return conntrack.countDestinationNat(ns, endpoint);
        } catch (ErrnoException e) {
            throw failure("count the conntrack entries translated to " + IpAddresses.format(endpoint), ns, e);
        }
    }

    @Override
    public void deleteUdpConntrack(NetNs ns, java.net.InetAddress destination, int port, java.net.InetAddress endpoint) {
        try {
            conntrack.deleteUdp(ns, destination, port, endpoint);
        } catch (ErrnoException e) {
            throw failure("delete UDP conntrack entries of " + IpAddresses.format(endpoint), ns, e);
        }
    }

    @Override
    public String listNftTable(NetNs ns, String family, String table) {
        try {
            return nft.listTable(ns, family, table);
        } catch (Nft.NftException e) {
            throw new KernelException("list nftables table " + family + " " + table + " in " + ns + ": "
                    + e.getMessage(), e.errno());
        } catch (ErrnoException e) {
            throw failure("list nftables table " + family + " " + table, ns, e);
        }
    }

    // Plumbing.

    /** A netlink operation with no result. */
    private void netlinkDo(NetNs ns, String operation, java.util.function.Consumer<RouteNetlink> op) {
        netlink(ns, operation, n -> {
            op.accept(n);
            return null;
        });
    }

    private <T> T netlink(NetNs ns, String operation, Function<RouteNetlink, T> op) {
        return call(ns, operation, context -> op.apply(context.netlink()));
    }

    private <T> T call(NetNs ns, String operation, NamespaceThreads.Task<T> task) {
        try {
            return threads.call(ns, task);
        } catch (ErrnoException e) {
            throw failure(operation, ns, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new KernelException(operation + " in " + ns + " failed: " + e, e);
        }
    }

    /** "create veth dv1 in /run/netns/lab-node-1: File exists (EEXIST)". */
    private static KernelException failure(String operation, NetNs ns, ErrnoException e) {
        String where = ns == null ? "" : " in " + ns;
        return new KernelException(operation + where + ": " + e.getMessage(), e.errno());
    }

    private static String describe(Route r) {
        return r.destination() + (r.gateway() == null ? "" : " via " + IpAddresses.format(r.gateway()))
                + (r.device() == null ? "" : " dev " + r.device()) + (r.onLink() ? " onlink" : "");
    }

    /** "10.10.0.64 lladdr 02:aa:bb:cc:dd:ee dev vx0", as `ip neigh` prints it. */
    private static String describe(Neighbour n) {
        return IpAddresses.format(n.address()) + " lladdr " + n.mac() + " dev " + n.device();
    }

    /** "02:aa:bb:cc:dd:ee dev vx0 dst 172.31.0.12", as `bridge fdb` prints it. */
    private static String describe(FdbEntry e) {
        return e.mac() + " dev " + e.device() + " dst " + IpAddresses.format(e.destination());
    }

    /** Linux's own rule (dev_valid_name), checked here so that the error says what is wrong. */
    private static void requireInterfaceName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an interface name is required");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name '" + name + "' is " + bytes + " bytes long; Linux allows at most "
                    + (IFNAMSIZ - 1));
        }
        if (name.equals(".") || name.equals("..") || name.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c) || c == 0)) {
            throw new IllegalArgumentException("interface name '" + name + "' may not be . or .. nor contain '/', ':' or blanks");
        }
    }

    private static void requireAlias(String alias) {
        if (alias != null && alias.getBytes(StandardCharsets.UTF_8).length >= IFALIASZ) {
            throw new IllegalArgumentException("interface alias '" + alias + "' is longer than " + (IFALIASZ - 1) + " bytes");
        }
    }
}
