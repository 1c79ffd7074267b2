package io.drover.agent.kernel;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * An in-memory {@link Kernel} for unit tests: namespaces, links (kinds, aliases, masters, MTU, up, hairpin, veth
 * peers, VXLAN parameters), addresses, routes, permanent neighbours, VXLAN forwarding entries, sysctls and nftables
 * tables, with the errors Linux gives (EEXIST when a name is taken, ENODEV for a missing link, ENOENT for a missing
 * namespace, neighbour or forwarding entry, ESRCH for a missing route, EADDRNOTAVAIL for a missing address or a
 * VXLAN MAC that is not unicast, ENETUNREACH for an unreachable gateway, ENETDOWN for a down device, EAFNOSUPPORT for
 * a forwarding destination of the other family than the VXLAN device's local address). It also does what the kernel
 * does by itself, so that tests meet the same surprises the reconciler meets on Linux:
 * <ul>
 *   <li>a veth pair lives and dies as one: deleting either end, or the namespace of either end, removes both;</li>
 *   <li>deleting a bridge releases its ports; a port that changes bridge loses its hairpin setting;</li>
 *   <li>bringing a link up gives it an IPv6 link-local address (lo: 127.0.0.1/8 and ::1/128); taking it down drops
 *       its IPv6 addresses, every route through it and every neighbour entry on it, permanent ones included (its
 *       forwarding entries stay);</li>
 *   <li>neighbour and forwarding entries go with their device and its namespace;</li>
 *   <li>a unicast MAC has one forwarding destination (adding another is EEXIST); the all-zeros and multicast MACs
 *       collect several; a second VXLAN device with the VNI, port and address family of another is EEXIST;</li>
 *   <li>{@link #routes} lists the connected routes of the addresses of up links, as the main table does;</li>
 *   <li>nftables scripts are interpreted (the subset Drover writes, see {@link FakeNftables}) as one transaction,
 *       and listed in {@code nft -j} form.</li>
 * </ul>
 *
 * <p>Every call is logged ({@link #calls()}, {@link #writes()}), and failures can be injected by predicate
 * ({@link #failWhen}, {@link #failOnce}). The inspection methods ({@link #link}, {@link #addressesOf}, ...) do not
 * log. {@link NetNs#SELF} exists from the start; named namespaces live at /run/netns/NAME; a test adds other
 * namespaces (a runtime's CNI_NETNS) with {@link #addNamespace}. Thread-safe.
 */
public final class FakeKernel implements Kernel {

    public static final int ESRCH = 3;
    public static final int EINVAL = 22;
    public static final int EOPNOTSUPP = 95;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETDOWN = 100;
    public static final int ENETUNREACH = 101;
    public static final int EAFNOSUPPORT = 97;

    private static final Path RUN_NETNS = Path.of("/run/netns");

    /** One call as the fake received it; {@code write} for every method that changes state. */
    public record Call(String method, NetNs ns, List<Object> args, boolean write) {

        public boolean is(String name) {
            return method.equals(name);
        }

        /** Whether any argument's text contains {@code text}, e.g. an interface name. */
        public boolean mentions(String text) {
            return args.stream().anyMatch(a -> String.valueOf(a).contains(text));
        }

        @Override
        public String toString() {
            return method + "(" + (ns == null ? "" : ns + ", ") + args.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("") + ")";
        }
    }

    /** A link somewhere: where a veth's peer is. */
    public record LinkRef(NetNs ns, String name) {}

    private record Failure(Predicate<Call> when, int errno, boolean once) {}

    private static final class FakeLink {
        final int index;
        final String kind;
        String mac;
        Vxlan vxlan;
        Namespace home;
        String name;
        int mtu;
        boolean up;
        String master;
        String alias;
        boolean hairpin;
        /** MACs pinned to this bridge port; the bridge forgets them when the port leaves it. */
        final Set<String> pinned = new TreeSet<>();
        FakeLink peer;
        final List<Address> addresses = new ArrayList<>();
        final Map<InetAddress, String> neighbours = new LinkedHashMap<>();
        final List<FdbEntry> fdb = new ArrayList<>();

        FakeLink(int index, String name, String kind, int mtu, String alias) {
            this.index = index;
            this.name = name;
            this.kind = kind;
            this.mtu = mtu;
            this.alias = alias;
            this.mac = String.format("02:00:%02x:%02x:%02x:%02x", (index >> 24) & 0xff, (index >> 16) & 0xff,
                    (index >> 8) & 0xff, index & 0xff);
        }

        Link snapshot() {
            return new Link(index, name, kind, mtu, up, mac, master, alias);
        }
    }

    private static final class Namespace {
        final NetNs id;
        final Map<String, FakeLink> links = new LinkedHashMap<>();
        final List<Route> routes = new ArrayList<>();
        final Map<String, String> sysctls = new LinkedHashMap<>();
        final FakeNftables nft = new FakeNftables();
        final List<String> nftScripts = new ArrayList<>();

        Namespace(NetNs id) {
            this.id = id;
            sysctls.put("net.ipv4.ip_forward", "0");
            sysctls.put("net.ipv6.conf.all.forwarding", "0");
            sysctls.put("net.ipv6.conf.default.forwarding", "0");
            sysctls.put("net.ipv4.conf.all.rp_filter", "0");
        }
    }

    private final Map<NetNs, Namespace> namespaces = new LinkedHashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();
    private int nextIndex = 1;

    public FakeKernel() {
        addNamespace(NetNs.SELF);
    }

    // ---- test controls -------------------------------------------------------------------------------------

    /** Adds a namespace the agent did not create (a runtime's), with its loopback down. Not logged. */
    public synchronized FakeKernel addNamespace(NetNs ns) {
        if (!namespaces.containsKey(ns)) {
            Namespace n = new Namespace(ns);
            namespaces.put(ns, n);
            attach(n, new FakeLink(nextIndex++, "lo", "", 65536, null));
        }
        return this;
    }

    /** Adds a link of any kind (a foreign dummy, a vxlan device) as someone else would. Not logged. */
    public synchronized FakeKernel addLink(NetNs ns, String name, String kind, int mtu, String alias) {
        Namespace n = namespace(ns);
        requireFree(n, name);
        attach(n, new FakeLink(nextIndex++, name, kind, mtu, alias));
        return this;
    }

    /** Every failure injected so far keeps failing calls that match, with {@code errno}, until cleared. */
    public synchronized FakeKernel failWhen(Predicate<Call> when, int errno) {
        failures.add(new Failure(when, errno, false));
        return this;
    }

    /** Fails the next matching call only. */
    public synchronized FakeKernel failOnce(Predicate<Call> when, int errno) {
        failures.add(new Failure(when, errno, true));
        return this;
    }

    public synchronized void clearFailures() {
        failures.clear();
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The calls that change state (including those that failed). */
    public synchronized List<Call> writes() {
        return calls.stream().filter(Call::write).toList();
    }

    public synchronized void clearCalls() {
        calls.clear();
    }

    // ---- inspection (not logged) ---------------------------------------------------------------------------

    public synchronized boolean hasNamespace(NetNs ns) {
        return namespaces.containsKey(ns);
    }

    public synchronized Optional<Link> link(NetNs ns, String name) {
        Namespace n = namespaces.get(ns);
        FakeLink l = n == null ? null : n.links.get(name);
        return Optional.ofNullable(l).map(FakeLink::snapshot);
    }

    public synchronized List<String> linkNames(NetNs ns) {
        return List.copyOf(namespace(ns).links.keySet());
    }

    public synchronized List<Address> addressesOf(NetNs ns, String link) {
        return List.copyOf(existing(namespace(ns), link).addresses);
    }

    /** The routes added to the main table (not the connected ones). */
    public synchronized List<Route> staticRoutes(NetNs ns) {
        return List.copyOf(namespace(ns).routes);
    }

    /** The VXLAN parameters a device was created with. */
    public synchronized Optional<Vxlan> vxlanOf(NetNs ns, String name) {
        return Optional.ofNullable(existing(namespace(ns), name).vxlan);
    }

    /** The neighbour entries on a device. */
    public synchronized List<Neighbour> neighboursOf(NetNs ns, String device) {
        FakeLink l = existing(namespace(ns), device);
        return l.neighbours.entrySet().stream().map(e -> new Neighbour(l.name, e.getKey(), e.getValue())).toList();
    }

    /** The forwarding entries of a device. */
    public synchronized List<FdbEntry> fdbOf(NetNs ns, String device) {
        return List.copyOf(existing(namespace(ns), device).fdb);
    }

    public synchronized boolean hairpin(NetNs ns, String port) {
        return existing(namespace(ns), port).hairpin;
    }

    /** The MACs pinned to a bridge port. */
    public synchronized Set<String> pinnedMacs(NetNs ns, String port) {
        return Set.copyOf(existing(namespace(ns), port).pinned);
    }

    /** Where the other end of a veth is. */
    public synchronized Optional<LinkRef> peer(NetNs ns, String name) {
        FakeLink p = existing(namespace(ns), name).peer;
        return p == null ? Optional.empty() : Optional.of(new LinkRef(p.home.id, p.name));
    }

    public synchronized String sysctlValue(NetNs ns, String key) {
        return namespace(ns).sysctls.get(key);
    }

    /** Every script applied successfully in the namespace, in order. */
    public synchronized List<String> nftScripts(NetNs ns) {
        return List.copyOf(namespace(ns).nftScripts);
    }

    public synchronized boolean nftTableExists(NetNs ns, String family, String table) {
        return namespace(ns).nft.exists(family, table);
    }

    /** The elements of a set ({@code "dr-blue"}) or map ({@code tcp . 8080 : 10.10.0.7 . 80}) of a table. */
    public synchronized List<String> nftElements(NetNs ns, String family, String table, String set) {
        return namespace(ns).nft.elements(family, table, set);
    }

    /** The comments of a chain's rules, in order ("" for a rule without one). */
    public synchronized List<String> nftRuleComments(NetNs ns, String family, String table, String chain) {
        return namespace(ns).nft.ruleComments(family, table, chain);
    }

    // ---- Kernel: namespaces --------------------------------------------------------------------------------

    @Override
    public synchronized NetNs createNamespace(String name) {
        call("createNamespace", null, true, name);
        if (name.isEmpty() || name.contains("/")) {
            throw new KernelException("createNamespace " + name + ": invalid name", EINVAL);
        }
        NetNs ns = NetNs.named(name);
        if (namespaces.containsKey(ns)) {
            throw new KernelException("createNamespace " + name + ": File exists", KernelException.EEXIST);
        }
        addNamespace(ns);
        return ns;
    }

    @Override
    public synchronized void deleteNamespace(String name) {
        call("deleteNamespace", null, true, name);
        Namespace n = namespaces.get(NetNs.named(name));
        if (n == null) {
            throw new KernelException("deleteNamespace " + name + ": No such file or directory", KernelException.ENOENT);
        }
        for (FakeLink l : List.copyOf(n.links.values())) {
            if (n.links.containsKey(l.name)) {
                destroy(l);
            }
        }
        namespaces.remove(n.id);
    }

    @Override
    public synchronized List<String> namespaces() {
        call("namespaces", null, false);
        return namespaces.keySet().stream()
                .filter(ns -> RUN_NETNS.equals(ns.path().getParent()))
                .map(ns -> ns.path().getFileName().toString())
                .toList();
    }

    @Override
    public <T> T inNamespace(NetNs ns, Callable<T> task) {
        synchronized (this) {
            call("inNamespace", ns, false);
            namespace(ns);
        }
        try {
            return task.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new KernelException("task in " + ns + " failed: " + e.getMessage(), e);
        }
    }

    // ---- Kernel: links -------------------------------------------------------------------------------------

    @Override
    public synchronized List<Link> links(NetNs ns) {
        call("links", ns, false);
        return namespace(ns).links.values().stream().map(FakeLink::snapshot).toList();
    }

    @Override
    public synchronized void createBridge(NetNs ns, String name, int mtu, String alias) {
        call("createBridge", ns, true, name, mtu, alias);
        Namespace n = namespace(ns);
        checkName(name);
        checkMtu(name, mtu);
        requireFree(n, name);
        attach(n, new FakeLink(nextIndex++, name, "bridge", mtu, alias));
    }

    @Override
    public synchronized void createVethPair(NetNs ns, String name, String alias, NetNs peerNs, String peerName, int mtu) {
        call("createVethPair", ns, true, name, alias, peerNs, peerName, mtu);
        Namespace n = namespace(ns);
        Namespace p = namespace(peerNs);
        checkName(name);
        checkName(peerName);
        checkMtu(name, mtu);
        requireFree(n, name);
        requireFree(p, peerName);
        if (n == p && name.equals(peerName)) {
            throw new KernelException("createVethPair: both ends named " + name, KernelException.EEXIST);
        }
        FakeLink a = new FakeLink(nextIndex++, name, "veth", mtu, alias);
        FakeLink b = new FakeLink(nextIndex++, peerName, "veth", mtu, null);
        a.peer = b;
        b.peer = a;
        attach(n, a);
        attach(p, b);
    }

    @Override
    public synchronized void createVxlan(NetNs ns, String name, Vxlan vxlan, int mtu, String mac, String alias) {
        call("createVxlan", ns, true, name, vxlan, mtu, mac, alias);
        Namespace n = namespace(ns);
        checkName(name);
        checkMtu(name, mtu);
        String normalized = mac == null ? null : Link.normalizeMac(mac);
        requireFree(n, name);
        if (normalized != null && !isUnicast(normalized)) {
            throw new KernelException("createVxlan " + name + ": Provided Ethernet address is not unicast", EADDRNOTAVAIL);
        }
        for (FakeLink other : n.links.values()) {
            Vxlan v = other.vxlan;
            if (v != null && v.vni() == vxlan.vni() && v.port() == vxlan.port()
                    && IpFamily.of(v.local()) == IpFamily.of(vxlan.local())) {
                throw new KernelException("createVxlan " + name + ": A VXLAN device with the specified VNI already exists ("
                        + other.name + ")", KernelException.EEXIST);
            }
        }
        FakeLink l = new FakeLink(nextIndex++, name, "vxlan", mtu, alias);
        if (normalized != null) {
            l.mac = normalized;
        }
        l.vxlan = vxlan;
        attach(n, l);
    }

    @Override
    public synchronized Optional<Vxlan> vxlan(NetNs ns, String name) {
        call("vxlan", ns, false, name);
        return Optional.ofNullable(existing(namespace(ns), name).vxlan);
    }

    @Override
    public synchronized void deleteLink(NetNs ns, String name) {
        call("deleteLink", ns, true, name);
        destroy(existing(namespace(ns), name));
    }

    @Override
    public synchronized void setUp(NetNs ns, String name, boolean up) {
        call("setUp", ns, true, name, up);
        FakeLink l = existing(namespace(ns), name);
        if (l.up == up) {
            return;
        }
        l.up = up;
        if (up) {
            if (l.kind.isEmpty() && l.name.equals("lo")) {
                addIfMissing(l, Address.parse("127.0.0.1/8"));
                addIfMissing(l, Address.parse("::1/128"));
            } else {
                addIfMissing(l, new Address(IpAddresses.parse("fe80::" + Integer.toHexString(l.index)), 64));
            }
        } else {
            l.addresses.removeIf(a -> a.ip() instanceof Inet6Address);
            l.home.routes.removeIf(r -> name.equals(r.device()));
            l.neighbours.clear(); // Linux flushes a device's neighbours when it goes down, permanent ones too
        }
    }

    @Override
    public synchronized AutoCloseable followNflog(NetNs ns, int group, java.util.function.Consumer<NflogRecord> sink) {
        call("followNflog", ns, false, group);
        return () -> { };
    }

    @Override
    public synchronized void setMac(NetNs ns, String name, String mac) {
        call("setMac", ns, true, name, mac);
        existing(namespace(ns), name).mac = Link.normalizeMac(mac);
    }

    @Override
    public synchronized void setMtu(NetNs ns, String name, int mtu) {
        call("setMtu", ns, true, name, mtu);
        FakeLink l = existing(namespace(ns), name);
        checkMtu(name, mtu);
        l.mtu = mtu;
    }

    @Override
    public synchronized void setMaster(NetNs ns, String name, String bridge) {
        call("setMaster", ns, true, name, bridge);
        Namespace n = namespace(ns);
        FakeLink l = existing(n, name);
        if (bridge != null) {
            FakeLink b = existing(n, bridge);
            if (!"bridge".equals(b.kind) || b == l) {
                throw new KernelException("setMaster " + name + " " + bridge + ": " + bridge + " is not a bridge", EINVAL);
            }
        }
        if (!Objects.equals(l.master, bridge)) {
            l.master = bridge;
            l.hairpin = false;
            l.pinned.clear();
        }
    }

    @Override
    public synchronized void setHairpin(NetNs ns, String port, boolean on) {
        call("setHairpin", ns, true, port, on);
        FakeLink l = existing(namespace(ns), port);
        if (l.master == null) {
            throw new KernelException("setHairpin " + port + ": not a bridge port", EOPNOTSUPP);
        }
        l.hairpin = on;
    }

    /** Up, and for a veth its peer up too (the carrier needs both ends); the fake has no linkwatch delay. */
    @Override
    public synchronized boolean running(NetNs ns, String name) {
        call("running", ns, false, name);
        FakeLink l = existing(namespace(ns), name);
        return l.up && (l.peer == null || l.peer.up);
    }

    @Override
    public synchronized void pinMac(NetNs ns, String port, String mac) {
        call("pinMac", ns, true, port, mac);
        FakeLink l = existing(namespace(ns), port);
        if (l.master == null) {
            throw new KernelException("pinMac " + port + ": not a bridge port", EOPNOTSUPP);
        }
        l.pinned.add(Link.normalizeMac(mac));
    }

    // ---- Kernel: addresses ---------------------------------------------------------------------------------

    @Override
    public synchronized List<Address> addresses(NetNs ns, String link) {
        call("addresses", ns, false, link);
        return List.copyOf(existing(namespace(ns), link).addresses);
    }

    @Override
    public synchronized void addAddress(NetNs ns, String link, Address address) {
        call("addAddress", ns, true, link, address);
        FakeLink l = existing(namespace(ns), link);
        if (l.addresses.stream().anyMatch(a -> a.ip().equals(address.ip()))) {
            throw new KernelException("addAddress " + address + " dev " + link + ": File exists", KernelException.EEXIST);
        }
        l.addresses.add(address);
    }

    @Override
    public synchronized void deleteAddress(NetNs ns, String link, Address address) {
        call("deleteAddress", ns, true, link, address);
        FakeLink l = existing(namespace(ns), link);
        if (!l.addresses.remove(address)) {
            throw new KernelException("deleteAddress " + address + " dev " + link + ": Cannot assign requested address",
                    EADDRNOTAVAIL);
        }
    }

    // ---- Kernel: routes ------------------------------------------------------------------------------------

    @Override
    public synchronized List<Route> routes(NetNs ns) {
        call("routes", ns, false);
        Namespace n = namespace(ns);
        List<Route> out = new ArrayList<>();
        for (FakeLink l : n.links.values()) {
            if (!l.up || l.name.equals("lo")) {
                continue;
            }
            for (Address a : l.addresses) {
                Route connected = new Route(Cidr.containing(a.ip(), a.prefixLength()), null, l.name, false);
                if (!out.contains(connected)) {
                    out.add(connected);
                }
            }
        }
        out.addAll(n.routes);
        return out;
    }

    @Override
    public synchronized void addRoute(NetNs ns, Route route) {
        call("addRoute", ns, true, route);
        Namespace n = namespace(ns);
        final String requested = route.device();
        String device = requested;
        if (device != null) {
            FakeLink l = existing(n, device);
            if (!l.up) {
                throw new KernelException("addRoute " + route.destination() + " dev " + device + ": Network is down", ENETDOWN);
            }
        }
        if (route.gateway() != null) {
            if (IpFamily.of(route.gateway()) != route.destination().family()) {
                throw new KernelException("addRoute " + route.destination() + ": gateway of another family", EINVAL);
            }
            FakeLink via = n.links.values().stream()
                    .filter(l -> l.up && (requested == null || l.name.equals(requested)))
                    .filter(l -> route.onLink() || l.addresses.stream().anyMatch(a -> connects(a, route.gateway())))
                    .findFirst()
                    .orElseThrow(() -> new KernelException("addRoute " + route.destination() + " via "
                            + IpAddresses.format(route.gateway()) + ": Network is unreachable", ENETUNREACH));
            device = via.name;
        } else if (device == null) {
            throw new KernelException("addRoute " + route.destination() + ": neither gateway nor device", EINVAL);
        }
        if (n.routes.stream().anyMatch(r -> r.destination().equals(route.destination()))) {
            throw new KernelException("addRoute " + route.destination() + ": File exists", KernelException.EEXIST);
        }
        n.routes.add(new Route(route.destination(), route.gateway(), device, route.onLink()));
    }

    @Override
    public synchronized void deleteRoute(NetNs ns, Route route) {
        call("deleteRoute", ns, true, route);
        Namespace n = namespace(ns);
        boolean removed = n.routes.removeIf(r -> r.destination().equals(route.destination())
                && (route.gateway() == null || route.gateway().equals(r.gateway()))
                && (route.device() == null || route.device().equals(r.device())));
        if (!removed) {
            throw new KernelException("deleteRoute " + route.destination() + ": No such process", ESRCH);
        }
    }

    // ---- Kernel: neighbours and forwarding entries ---------------------------------------------------------

    @Override
    public synchronized List<Neighbour> neighbours(NetNs ns, String device) {
        call("neighbours", ns, false, device);
        return neighboursOf(ns, device);
    }

    @Override
    public synchronized void setNeighbour(NetNs ns, Neighbour neighbour) {
        call("setNeighbour", ns, true, neighbour);
        existing(namespace(ns), neighbour.device()).neighbours.put(neighbour.address(), neighbour.mac());
    }

    /** As Linux: the address names the entry, whatever its MAC. */
    @Override
    public synchronized void deleteNeighbour(NetNs ns, Neighbour neighbour) {
        call("deleteNeighbour", ns, true, neighbour);
        FakeLink l = existing(namespace(ns), neighbour.device());
        if (l.neighbours.remove(neighbour.address()) == null) {
            throw new KernelException("deleteNeighbour " + IpAddresses.format(neighbour.address()) + " dev "
                    + neighbour.device() + ": No such file or directory", KernelException.ENOENT);
        }
    }

    @Override
    public synchronized List<FdbEntry> fdb(NetNs ns, String device) {
        call("fdb", ns, false, device);
        return List.copyOf(existing(namespace(ns), device).fdb);
    }

    @Override
    public synchronized void addFdb(NetNs ns, FdbEntry entry) {
        call("addFdb", ns, true, entry);
        FakeLink l = vxlanDevice(namespace(ns), entry);
        if (IpFamily.of(entry.destination()) != IpFamily.of(l.vxlan.local())) {
            throw new KernelException("addFdb " + entry + ": Address family not supported by protocol", EAFNOSUPPORT);
        }
        boolean taken = isUnicast(entry.mac())
                ? l.fdb.stream().anyMatch(f -> f.mac().equals(entry.mac()))
                : l.fdb.contains(entry);
        if (taken) {
            throw new KernelException("addFdb " + entry + ": File exists", KernelException.EEXIST);
        }
        l.fdb.add(entry);
    }

    @Override
    public synchronized void deleteFdb(NetNs ns, FdbEntry entry) {
        call("deleteFdb", ns, true, entry);
        FakeLink l = vxlanDevice(namespace(ns), entry);
        if (!l.fdb.remove(entry)) {
            throw new KernelException("deleteFdb " + entry + ": No such file or directory", KernelException.ENOENT);
        }
    }

    // ---- Kernel: sysctls -----------------------------------------------------------------------------------

    @Override
    public synchronized String sysctl(NetNs ns, String key) {
        call("sysctl", ns, false, key);
        String value = namespace(ns).sysctls.get(key);
        if (value == null) {
            throw new KernelException("sysctl " + key + ": No such file or directory", KernelException.ENOENT);
        }
        return value;
    }

    @Override
    public synchronized void setSysctl(NetNs ns, String key, String value) {
        call("setSysctl", ns, true, key, value);
        if (!key.startsWith("net.")) {
            throw new KernelException("sysctl " + key + ": No such file or directory", KernelException.ENOENT);
        }
        namespace(ns).sysctls.put(key, value);
    }

    // ---- Kernel: nftables ----------------------------------------------------------------------------------

    @Override
    public synchronized void applyNftables(NetNs ns, String script) {
        call("applyNftables", ns, true, script);
        Namespace n = namespace(ns);
        n.nft.apply(script);
        n.nftScripts.add(script);
    }

    /** Connections translated to each endpoint, as a test says the conntrack of every namespace holds them. */
    private final Map<InetAddress, Integer> translated = new LinkedHashMap<>();

    public synchronized void setTranslatedConnections(InetAddress endpoint, int count) {
        translated.put(endpoint, count);
    }

    @Override
    public synchronized int countTranslatedConnections(NetNs ns, InetAddress endpoint) {
        call("countTranslatedConnections", ns, false, endpoint);
        return translated.getOrDefault(endpoint, 0);
    }

    @Override
    public synchronized void deleteUdpConntrack(NetNs ns, java.net.InetAddress destination, int port,
            java.net.InetAddress endpoint) {
        call("deleteUdpConntrack", ns, true, destination, port, endpoint);
    }

    @Override
    public synchronized String listNftTable(NetNs ns, String family, String table) {
        call("listNftTable", ns, false, family, table);
        return namespace(ns).nft.list(family, table);
    }

    // ---- internals -----------------------------------------------------------------------------------------

    /** Logs a call, then throws if an injected failure matches it. */
    private void call(String method, NetNs ns, boolean write, Object... args) {
        Call c = new Call(method, ns, Arrays.asList(args), write);
        calls.add(c);
        for (Failure f : List.copyOf(failures)) {
            if (f.when().test(c)) {
                if (f.once()) {
                    failures.remove(f);
                }
                throw new KernelException(c + ": injected failure", f.errno());
            }
        }
    }

    private Namespace namespace(NetNs ns) {
        Namespace n = namespaces.get(ns);
        if (n == null) {
            throw new KernelException("namespace " + ns + ": No such file or directory", KernelException.ENOENT);
        }
        return n;
    }

    private static FakeLink existing(Namespace n, String name) {
        FakeLink l = n.links.get(name);
        if (l == null) {
            throw new KernelException("link " + name + " in " + n.id + ": No such device", KernelException.ENODEV);
        }
        return l;
    }

    /** The VXLAN device a forwarding entry names; EOPNOTSUPP for a device of another kind, as LinuxKernel. */
    private static FakeLink vxlanDevice(Namespace n, FdbEntry entry) {
        FakeLink l = existing(n, entry.device());
        if (l.vxlan == null) {
            throw new KernelException("forwarding entry " + entry + ": " + entry.device() + " is no VXLAN device",
                    EOPNOTSUPP);
        }
        return l;
    }

    /** Neither multicast (the low bit of the first octet) nor all zeros. */
    private static boolean isUnicast(String mac) {
        byte[] b = HexFormat.ofDelimiter(":").parseHex(mac);
        return (b[0] & 1) == 0 && !Arrays.equals(b, new byte[6]);
    }

    private static void requireFree(Namespace n, String name) {
        if (n.links.containsKey(name)) {
            throw new KernelException("link " + name + " in " + n.id + ": File exists", KernelException.EEXIST);
        }
    }

    private static void checkName(String name) {
        if (name.isEmpty() || name.length() > 15 || name.contains("/") || name.contains(":") || name.contains(" ")) {
            throw new KernelException("'" + name + "' is not a valid interface name", EINVAL);
        }
    }

    private static void checkMtu(String name, int mtu) {
        if (mtu < 68 || mtu > 65535) {
            throw new KernelException("MTU " + mtu + " of " + name + " is out of range", EINVAL);
        }
    }

    private static void attach(Namespace n, FakeLink l) {
        l.home = n;
        n.links.put(l.name, l);
    }

    private static void addIfMissing(FakeLink l, Address a) {
        if (!l.addresses.contains(a)) {
            l.addresses.add(a);
        }
    }

    /** Removes a link with what depends on it: its routes, its ports' membership, its veth peer. */
    private static void destroy(FakeLink l) {
        Namespace n = l.home;
        n.links.remove(l.name);
        n.routes.removeIf(r -> l.name.equals(r.device()));
        for (FakeLink port : n.links.values()) {
            if (l.name.equals(port.master)) {
                port.master = null;
                port.hairpin = false;
                port.pinned.clear();
            }
        }
        FakeLink peer = l.peer;
        l.peer = null;
        if (peer != null) {
            peer.peer = null;
            destroy(peer);
        }
    }

    /** Whether an address's connected prefix holds {@code gateway} (link-local addresses connect fe80::/64). */
    private static boolean connects(Address a, InetAddress gateway) {
        return IpFamily.of(a.ip()) == IpFamily.of(gateway)
                && Cidr.containing(a.ip(), a.prefixLength()).contains(gateway);
    }
}
