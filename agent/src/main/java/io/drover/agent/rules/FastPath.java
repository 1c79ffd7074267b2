package io.drover.agent.rules;

import io.drover.agent.kernel.NftElementChange;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpFamily;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The cross-node fast path: table {@code netdev drover}. IPv4 traffic between two pods of one network on two nodes,
 * when nothing stateful concerns it, is handed straight from the sending pod's port to the tunnel (or the underlay)
 * and, on the other node, straight from the tunnel to the receiving pod's bridge, at the interfaces' ingress hooks.
 * It skips what such a packet does not need and every packet would otherwise pay: the bridge's netfilter call, the
 * node's routing, conntrack and the inet table's chains. This is what brings pod-to-pod throughput to that of a
 * hand-built bridge-and-route data plane without any rules (see bench/ dataplane).
 *
 * <p>What keeps the normal path, because it needs conntrack or the inet table's verdicts:
 * <ul>
 *   <li>traffic to or from any service endpoint of the cluster ({@code fastpath_exempt4}): a client's node must see
 *       the replies of its connections through a cluster IP to undo their DNAT, and an endpoint's node its NodePort
 *       and external traffic; both ends are exempt so that each node tracks such a flow in both directions; an
 *       address that stops being an endpoint stays exempt while it drains (see {@code draining});</li>
 *   <li>pods that network policy isolates, and pods that publish ports (they are not in {@code fastpath_sources4} or
 *       {@code fastpath_pods4}, so neither their packets nor those sent to them take the fast path on their node);</li>
 *   <li>traffic between networks (a receiving node checks that the source lies in the destination pod's network,
 *       as {@code to_pod} of the inet table does), traffic to the node itself (the pods' gateway address, which every
 *       node shares and which lies in one node's block: {@code fastpath_local4}), traffic within a node, IPv6, and
 *       whatever no rule here matches: the chains only ever forward or let a packet go on, never drop it.</li>
 * </ul>
 * Spoofguard holds on the fast path too: a pod's packet is taken only with the pod's own port, MAC and address.
 * A receiving pod's frames go through its bridge, which finds the pod's port by its MAC: the agent pins every pod's
 * MAC to its port, as the pod's own traffic on the fast path never passes the bridge to refresh what it learned.
 * Forwarded this way a packet's TTL is not decremented (as with Cilium's host routing); its source MAC on arrival is
 * the sending node's.
 *
 * <p>As the other tables, the shape is fixed per node (its cross-node device, its networks' bridges) and pods are
 * elements. The sending hook is bound to the pods' ports by name, so a new pod's port joins it by name before it
 * exists; names of gone ports are left (port names are never reused) until the table is written whole again.
 *
 * @param device    the interface packets to other nodes leave through and theirs arrive on: the VXLAN device, or the
 *                  underlay in routed mode; null when the node has no peers (then there is no table)
 * @param ports     every pod port on a bridge of this node, eligible or not (the sending hook's devices)
 * @param networks  the networks with a bridge on this node, with their IPv4 subnets
 * @param nextHops  the other nodes' IPv4 pod blocks, each with the node it is reached through
 * @param draining  addresses that are no service's endpoint any more but stay exempt while this node's conntrack
 *                  still translates connections to them (a connection through a cluster IP lives on after its endpoint
 *                  left the service, as with kube-proxy; its replies must meet the conntrack entry that undoes the
 *                  DNAT); never an endpoint address
 */
public record FastPath(String device, List<Port> ports, List<Network> networks, List<NextHop> nextHops,
        Set<InetAddress> draining) {

    public static final String FAMILY = "netdev";
    public static final String TABLE = "drover";

    /**
     * A pod port.
     *
     * @param hostName the node end of the pod's veth
     * @param mac      the pod end's MAC
     * @param ip       the pod's IPv4 address on it
     * @param bridge   the bridge the port is on
     * @param eligible whether the pod's traffic may take the fast path (no policy isolates it, it publishes no port)
     * @param pod      {@code <namespace>/<pod>}, for comments
     */
    public record Port(String hostName, String mac, InetAddress ip, String bridge, boolean eligible, String pod) {
        public Port {
            Objects.requireNonNull(hostName, "hostName");
            Objects.requireNonNull(mac, "mac");
            Objects.requireNonNull(ip, "ip");
            Objects.requireNonNull(bridge, "bridge");
            if (IpFamily.of(ip) != IpFamily.IPV4) {
                throw new IllegalArgumentException("the fast path is IPv4 only: " + ip);
            }
        }
    }

    /**
     * A network with a bridge on this node, its IPv4 subnets, and this node's own IPv4 addresses on the bridge (the
     * pods' gateway). Every node has the same gateway address, which lies in some node's block: a packet to it is for
     * this node, never for the node whose block holds it.
     */
    public record Network(String bridge, List<Cidr> subnets, List<InetAddress> gateways) {
        public Network {
            Objects.requireNonNull(bridge, "bridge");
            subnets = subnets.stream().filter(s -> s.family() == IpFamily.IPV4)
                    .sorted(Comparator.comparing(Cidr::toString)).toList();
            gateways = gateways == null ? List.of() : gateways.stream().filter(a -> IpFamily.of(a) == IpFamily.IPV4)
                    .sorted(Comparator.comparing(SetContents::address)).toList();
        }
    }

    /** Another node's IPv4 pod block and that node's address. */
    public record NextHop(Cidr block, InetAddress node) {
        public NextHop {
            Objects.requireNonNull(block, "block");
            Objects.requireNonNull(node, "node");
        }
    }

    public static final FastPath NONE = new FastPath(null, List.of(), List.of(), List.of());

    public FastPath(String device, List<Port> ports, List<Network> networks, List<NextHop> nextHops) {
        this(device, ports, networks, nextHops, Set.of());
    }

    /** This fast path with {@code draining} as the addresses kept exempt after they stopped being endpoints. */
    public FastPath withDraining(Set<InetAddress> draining) {
        return new FastPath(device, ports, networks, nextHops, draining);
    }

    static final String SOURCES4 = "fastpath_sources4";
    static final String PODS4 = "fastpath_pods4";
    static final String MACS4 = "fastpath_macs4";
    static final String EXEMPT4 = "fastpath_exempt4";
    static final String NEXTHOPS4 = "fastpath_nexthops4";
    static final String LOCAL4 = "fastpath_local4";

    private static final List<DroverTable.SetDecl> SETS = List.of(
            new DroverTable.SetDecl(SOURCES4, "ifname . ether_addr . ipv4_addr", null, false,
                    "pod port . its pod's MAC . its pod's IPv4 address, for pods whose traffic may take the fast path"),
            new DroverTable.SetDecl(PODS4, "ipv4_addr", "verdict", false,
                    "a local pod whose traffic may take the fast path: the chain of its network"),
            new DroverTable.SetDecl(MACS4, "ipv4_addr", "ether_addr", false, "a local pod's MAC"),
            new DroverTable.SetDecl(EXEMPT4, "ipv4_addr", null, false,
                    "service endpoints of the cluster: their traffic needs conntrack"),
            new DroverTable.SetDecl(NEXTHOPS4, "ipv4_addr", "ipv4_addr", true,
                    "another node's pod block: that node's address"),
            new DroverTable.SetDecl(LOCAL4, "ipv4_addr", null, false,
                    "this node's own addresses on its bridges (the pods' gateways): for this node, whatever block holds them"));
    static final Map<String, DroverTable.SetDecl> SETS_BY_NAME = DroverTable.byName(SETS);

    private static final String PRIORITY = "filter";
    /** More gone ports than this in the sending hook and the table is written afresh without them. */
    static final int STALE_PORTS = 64;

    /** A fingerprint of the rules' templates; what varies per node is in the rules' comments. */
    static final String RULESET = fingerprint();

    public FastPath {
        ports = ports == null ? List.of() : ports.stream().sorted(Comparator.comparing(Port::hostName)).toList();
        networks = networks == null ? List.of() : networks.stream().sorted(Comparator.comparing(Network::bridge)).toList();
        nextHops = nextHops == null ? List.of() : nextHops.stream()
                .filter(h -> h.block().family() == IpFamily.IPV4 && IpFamily.of(h.node()) == IpFamily.IPV4)
                .sorted(Comparator.comparing((NextHop h) -> h.block().toString())).toList();
        if (device != null && device.isBlank()) {
            device = null;
        }
        draining = draining == null ? Set.of() : Set.copyOf(draining);
    }

    public boolean enabled() {
        return device != null;
    }

    /** The chain a network's pods are delivered through. */
    static String networkChain(String bridge) {
        return "to_" + bridge;
    }

    /** The elements of every set but the exempt one, which {@link ServiceRules} keeps. */
    TableElements elements() {
        Map<String, Set<SetElement>> sets = new LinkedHashMap<>();
        SETS.forEach(s -> sets.put(s.name(), new LinkedHashSet<>()));
        Set<String> bridges = networks.stream().map(Network::bridge).collect(Collectors.toSet());
        for (Port port : ports) {
            if (!port.eligible() || !bridges.contains(port.bridge())) {
                continue;
            }
            String who = "pod " + port.pod();
            String ip = SetContents.address(port.ip());
            String mac = port.mac().toLowerCase(Locale.ROOT);
            sets.get(SOURCES4).add(SetElement.of(SetContents.ifname(port.hostName()) + " . " + mac + " . " + ip, who));
            sets.get(PODS4).add(SetElement.mapping(ip, "goto " + networkChain(port.bridge()), who));
            sets.get(MACS4).add(SetElement.mapping(ip, mac, who));
        }
        for (Network network : networks) {
            network.gateways().forEach(a -> sets.get(LOCAL4).add(SetElement.of(SetContents.address(a), network.bridge())));
        }
        for (NextHop hop : nextHops) {
            sets.get(NEXTHOPS4).add(SetElement.mapping(SetContents.prefix(hop.block()), SetContents.address(hop.node()), null));
        }
        return new TableElements(sets);
    }

    /** The exempt set: the cluster's endpoint addresses and the draining ones. */
    private TableElements exempt(Set<InetAddress> endpoints) {
        Set<InetAddress> members = new LinkedHashSet<>(endpoints);
        members.addAll(draining);
        return new TableElements(Map.of(EXEMPT4, elements(members)));
    }

    private List<DroverTable.Rule> sendRules() {
        return List.of(new DroverTable.Rule(
                "iifname . ether saddr . ip saddr @" + SOURCES4 + " ip daddr != @" + LOCAL4 + " ip saddr != @" + EXEMPT4
                        + " ip daddr != @" + EXEMPT4 + " fwd ip to ip daddr map @" + NEXTHOPS4 + " device " + NftWriter.quote(device),
                "a pod's packet to a pod of another node: straight out through " + device));
    }

    private List<DroverTable.Rule> receiveRules() {
        return List.of(new DroverTable.Rule("ip daddr vmap @" + PODS4,
                "a packet for a local pod, arriving through " + device + ": its network decides"));
    }

    private static List<DroverTable.Rule> networkRules(Network network) {
        String subnets = network.subnets().stream().map(SetContents::prefix).collect(Collectors.joining(", "));
        List<DroverTable.Rule> rules = new ArrayList<>();
        rules.add(network.subnets().isEmpty()
                ? new DroverTable.Rule("return", "the network has no IPv4 subnet")
                : new DroverTable.Rule("ip saddr != { " + subnets + " } return",
                        "only from the network's own subnets " + subnets));
        rules.add(new DroverTable.Rule("ip saddr @" + EXEMPT4 + " return", "a service endpoint: conntrack"));
        rules.add(new DroverTable.Rule("ip daddr @" + EXEMPT4 + " return", "to a service endpoint: conntrack"));
        rules.add(new DroverTable.Rule("ether daddr set ip daddr map @" + MACS4 + " fwd to " + NftWriter.quote(network.bridge()),
                "straight into " + network.bridge()));
        return rules;
    }

    private Set<String> portNames() {
        return ports.stream().map(Port::hostName).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String hook(Set<String> devices) {
        return "type filter hook ingress devices = { " + devices.stream().map(NftWriter::quote).collect(Collectors.joining(", "))
                + " } priority " + PRIORITY + "; policy accept;";
    }

    /**
     * The whole table, deleted and defined afresh, with the exempt set {@code endpoints}; when the node has no peers,
     * only the deletion of a table left from when it had.
     */
    public String script(Set<InetAddress> endpoints) {
        NftWriter out = new NftWriter();
        out.line("table " + FAMILY + " " + TABLE);
        out.line("delete table " + FAMILY + " " + TABLE);
        if (!enabled()) {
            return out.toString();
        }
        out.open("table " + FAMILY + " " + TABLE);
        out.line(NftWriter.comment("owned by the Drover agent: the cross-node fast path; ruleset " + RULESET));
        for (DroverTable.SetDecl set : SETS) {
            out.blank();
            out.open(set.mapsTo() == null ? "set " + set.name() : "map " + set.name());
            out.line(set.declaration());
            if (set.interval()) {
                out.line("flags interval");
            }
            out.line(NftWriter.comment(set.name().equals(SOURCES4) ? set.comment() + "; ruleset " + RULESET : set.comment()));
            out.close();
        }
        for (Network network : networks) {
            DroverTable.writeChain(out, networkChain(network.bridge()), null, networkRules(network));
        }
        out.blank();
        out.open("chain from_peers");
        out.line("type filter hook ingress device " + NftWriter.quote(device) + " priority " + PRIORITY + "; policy accept;");
        receiveRules().forEach(r -> out.line(r.text() + " " + NftWriter.comment(r.comment())));
        out.close();
        if (!ports.isEmpty()) {
            out.blank();
            out.open("chain from_pods");
            out.line(hook(portNames()));
            sendRules().forEach(r -> out.line(r.text() + " " + NftWriter.comment(r.comment())));
            out.close();
        }
        out.close();
        // After the block: the verdict map's elements name the network chains.
        String elements = elements().updateScript(TableElements.NONE, FAMILY, TABLE)
                + exempt(endpoints).updateScript(TableElements.NONE, FAMILY, TABLE);
        return out + elements;
    }

    /**
     * After a restart: nothing when the kernel's table has this shape and these elements (the hook's ports cannot be
     * read back, but they are added in the transactions that add their pods' elements), else the whole table.
     */
    String syncScript(ProgrammedTable table, Set<InetAddress> endpoints) {
        if (!enabled()) {
            return "";
        }
        Map<String, String> sets = new LinkedHashMap<>();
        SETS.forEach(s -> sets.put(s.name(), s.signature()));
        Map<String, List<String>> comments = new LinkedHashMap<>();
        for (Network network : networks) {
            comments.put(networkChain(network.bridge()), networkRules(network).stream().map(r -> NftWriter.commentText(r.comment())).toList());
        }
        comments.put("from_peers", receiveRules().stream().map(r -> NftWriter.commentText(r.comment())).toList());
        if (!ports.isEmpty()) {
            comments.put("from_pods", sendRules().stream().map(r -> NftWriter.commentText(r.comment())).toList());
        }
        Map<String, Set<SetElement>> all = new LinkedHashMap<>(elements().sets());
        all.putAll(exempt(endpoints).sets());
        boolean same = table.exists() && RULESET.equals(table.ruleset()) && sets.equals(table.sets())
                && comments.equals(table.ruleComments()) && new TableElements(all).equals(table.elements());
        return same ? "" : script(endpoints);
    }

    /** Whether going from {@code applied} to this takes the whole table: its shape changed. */
    boolean rewritesSince(FastPath applied) {
        if (!Objects.equals(device, applied.device()) || !networks.equals(applied.networks())) {
            return true;
        }
        if (!enabled()) {
            return false;
        }
        Set<String> before = applied.portNames();
        Set<String> now = portNames();
        if (before.isEmpty() != now.isEmpty()) {
            return true; // the sending chain comes or goes
        }
        before.removeAll(now);
        return before.size() > STALE_PORTS;
    }

    /** The ports that joined the sending hook since {@code applied}: a statement that binds it to them too. */
    private String hookUpdate(FastPath applied) {
        Set<String> added = portNames();
        added.removeAll(applied.portNames());
        return added.isEmpty() ? "" : "add chain " + FAMILY + " " + TABLE + " from_pods { " + hook(added) + " }\n";
    }

    /**
     * The statements that turn a kernel programmed with {@code applied} into this, the exempt set changing as
     * {@code exemptChanges} tells: new hook devices, then element changes; or the whole table (with the exempt set
     * {@code endpoints}) when its shape changed. Empty when nothing changes.
     */
    String updateScript(FastPath applied, java.util.function.Supplier<Set<InetAddress>> endpoints,
            ExemptChanges exemptChanges, Predicate<InetAddress> isEndpoint) {
        if (rewritesSince(applied)) {
            return script(endpoints.get());
        }
        if (!enabled()) {
            return "";
        }
        ElementDiff diff = diffSince(applied, exemptChanges, isEndpoint);
        return hookUpdate(applied) + diff.to().updateScript(diff.from(), FAMILY, TABLE);
    }

    /**
     * {@link #updateScript} as element changes, when it is nothing else: null when the shape changed or a port joined
     * the sending hook (then the caller writes the script).
     */
    List<NftElementChange> elementChanges(FastPath applied, ExemptChanges exemptChanges,
            Predicate<InetAddress> isEndpoint) {
        if (rewritesSince(applied) || !hookUpdate(applied).isEmpty()) {
            return null;
        }
        if (!enabled()) {
            return List.of();
        }
        ElementDiff diff = diffSince(applied, exemptChanges, isEndpoint);
        return diff.to().changes(diff.from(), FAMILY, TABLE, SETS_BY_NAME);
    }

    /** Two versions' elements to compare: all of each but the exempt set, of which only what changed. */
    private record ElementDiff(TableElements from, TableElements to) {}

    /**
     * An address is in the kernel's exempt set while it is an endpoint or draining (the two never overlap), so what
     * changes is: an endpoint that came; an endpoint that went, unless it drains now; a draining address that stopped
     * draining, unless it is an endpoint again; an address that drains without having been an endpoint just now (the
     * set was written whole meanwhile, which includes it, or the kernel had it).
     */
    private ElementDiff diffSince(FastPath applied, ExemptChanges exemptChanges, Predicate<InetAddress> isEndpoint) {
        Set<InetAddress> gone = new LinkedHashSet<>();
        Set<InetAddress> come = new LinkedHashSet<>();
        Set<InetAddress> left = new LinkedHashSet<>();
        exemptChanges.forEach((address, added) -> {
            if (added) {
                come.add(address);
            } else {
                left.add(address);
                if (!draining.contains(address)) {
                    gone.add(address);
                }
            }
        });
        for (InetAddress address : applied.draining()) {
            if (!draining.contains(address) && !isEndpoint.test(address) && !come.contains(address)) {
                gone.add(address);
            }
        }
        for (InetAddress address : draining) {
            if (!applied.draining().contains(address) && !left.contains(address)) {
                come.add(address);
            }
        }
        return new ElementDiff(withExempt(applied.elements(), elements(gone)), withExempt(elements(), elements(come)));
    }

    /** The IPv4 ones of {@code addresses}, as elements of an address set. */
    private static Set<SetElement> elements(Set<InetAddress> addresses) {
        Set<SetElement> out = new LinkedHashSet<>();
        addresses.stream().filter(a -> IpFamily.of(a) == IpFamily.IPV4)
                .forEach(a -> out.add(SetElement.of(SetContents.address(a), null)));
        return out;
    }

    private static TableElements withExempt(TableElements elements, Set<SetElement> exempt) {
        Map<String, Set<SetElement>> sets = new LinkedHashMap<>(elements.sets());
        sets.put(EXEMPT4, exempt);
        return new TableElements(sets);
    }

    /** The service endpoint addresses that came (true) or went (false) between two versions of the rules. */
    @FunctionalInterface
    interface ExemptChanges {
        void forEach(BiConsumer<InetAddress, Boolean> change);

        ExemptChanges NONE = c -> { };
    }

    private static String fingerprint() {
        try {
            FastPath template = new FastPath("dev", List.of(), List.of(), List.of());
            String templates = SETS + "\n" + template.sendRules() + "\n" + template.receiveRules() + "\n"
                    + networkRules(new Network("br", List.of(), List.of())) + "\n" + PRIORITY;
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(templates.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
