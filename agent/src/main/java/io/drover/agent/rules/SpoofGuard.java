package io.drover.agent.rules;

import io.drover.agent.kernel.NftElementChange;

import io.drover.model.net.IpFamily;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Spoofguard: a pod sends only with its own addresses, IP and MAC. Table {@code bridge drover}, a table of the
 * bridge family because only there are a bridge's ports visible: in the inet family a frame from a pod has
 * already become the bridge's, whichever port it came in on. Every frame a pod's port brings into a bridge is
 * checked before anything else sees it, whether it is bridged to another pod or routed by the node:
 * its source MAC must be the one the agent gave the pod's interface, its IPv4 or IPv6 source (and an ARP
 * sender's address) one of that interface's addresses; anything else is dropped and counted.
 *
 * <p>Like the inet table, the shape is fixed and the pods are elements, so a pod that comes or goes is a set
 * element change. The elements are known before the pod's interface exists (its MAC is fixed in advance), so a new
 * pod is guarded from its first frame.
 *
 * @param ports one per pod interface on this node
 */
public record SpoofGuard(List<GuardedPort> ports) {

    public static final String FAMILY = "bridge";
    public static final String TABLE = "drover";

    /**
     * One pod interface as spoofguard sees it.
     *
     * @param hostName  the node end of its veth: the bridge port its frames come in on
     * @param mac       the pod end's MAC
     * @param addresses the interface's addresses
     * @param pod       {@code <namespace>/<pod>}, for comments
     */
    public record GuardedPort(String hostName, String mac, List<InetAddress> addresses, String pod) {
        public GuardedPort {
            Objects.requireNonNull(hostName, "hostName");
            Objects.requireNonNull(mac, "mac");
            addresses = List.copyOf(addresses);
        }
    }

    /**
     * The names of the node ends of pod interfaces start with this ({@code InterfaceNames.hostVeth}): a frame from
     * such a port that no element lets through is dropped, so a port is guarded from its first frame even before
     * its pod's elements are in the table (a runtime's pod gets its interface before its addresses).
     */
    public static final String POD_PORT_PREFIX = "dv";

    static final String MACS = "guard_macs";
    static final String SOURCES4 = "guard_sources4";
    static final String SOURCES6 = "guard_sources6";

    private static final List<DroverTable.SetDecl> SETS = List.of(
            new DroverTable.SetDecl(MACS, "ifname . ether_addr", null, false, "pod port . the MAC its pod sends with"),
            new DroverTable.SetDecl(SOURCES4, "ifname . ether_addr . ipv4_addr", null, false,
                    "pod port . its pod's MAC . an IPv4 address of its pod"),
            new DroverTable.SetDecl(SOURCES6, "ifname . ether_addr . ipv6_addr", null, false,
                    "pod port . its pod's MAC . an IPv6 address of its pod"));
    private static final Map<String, DroverTable.SetDecl> SETS_BY_NAME = DroverTable.byName(SETS);

    // Every frame of every pod passes here, so the common case (a pod's own IPv4 or IPv6 packet) is decided by the
    // first rules with one lookup each; only what they do not accept goes on to the slower checks.
    private static final List<DroverTable.Rule> RULES = List.of(
            new DroverTable.Rule("ether type ip iifname . ether saddr . ip saddr @guard_sources4 accept",
                    "a pod's own MAC and IPv4 address"),
            new DroverTable.Rule("ether type ip6 iifname . ether saddr . ip6 saddr @guard_sources6 accept",
                    "a pod's own MAC and IPv6 address"),
            new DroverTable.Rule("iifname != \"" + POD_PORT_PREFIX + "*\" accept", "not from a pod: not spoofguard's business"),
            new DroverTable.Rule("ether type arp iifname . ether saddr . arp saddr ip @guard_sources4 accept",
                    "ARP for the pod's own address, from its own MAC"),
            // Neighbour discovery speaks from the link-local address (derived from the pinned MAC) or from ::.
            new DroverTable.Rule("ether type ip6 ip6 saddr { ::, fe80::/10 } iifname . ether saddr @guard_macs accept",
                    "neighbour discovery and other link-local traffic, from the pod's own MAC"),
            new DroverTable.Rule("counter drop",
                    "spoofguard: a MAC, an address or a protocol that is not the pod's (IPv4, IPv6 and ARP only)"));

    private static final DroverTable.Hook PREROUTING = new DroverTable.Hook("filter", "prerouting", "-200", -200);

    /** A fingerprint of the shape, as {@link DroverTable#RULESET} is for the inet table. */
    static final String RULESET = fingerprint();

    public static final SpoofGuard NONE = new SpoofGuard(List.of());

    public SpoofGuard {
        ports = ports.stream().sorted(Comparator.comparing(GuardedPort::hostName)).toList();
    }

    public TableElements elements() {
        Map<String, Set<SetElement>> sets = new LinkedHashMap<>();
        SETS.forEach(s -> sets.put(s.name(), new LinkedHashSet<>()));
        for (GuardedPort port : ports) {
            String ifname = SetContents.ifname(port.hostName());
            String who = "pod " + port.pod();
            String mac = port.mac().toLowerCase(java.util.Locale.ROOT);
            sets.get(MACS).add(SetElement.of(ifname + " . " + mac, who));
            for (InetAddress address : port.addresses()) {
                String set = IpFamily.of(address) == IpFamily.IPV4 ? SOURCES4 : SOURCES6;
                sets.get(set).add(SetElement.of(ifname + " . " + mac + " . " + SetContents.address(address), who));
            }
        }
        return new TableElements(sets);
    }

    /** The whole table, defined afresh (create if missing, delete, define), for one transaction with the inet table. */
    public String script() {
        NftWriter out = new NftWriter();
        out.line("table " + FAMILY + " " + TABLE);
        out.line("delete table " + FAMILY + " " + TABLE);
        out.open("table " + FAMILY + " " + TABLE);
        out.line(NftWriter.comment("owned by the Drover agent: spoofguard; ruleset " + RULESET));
        TableElements elements = elements();
        for (DroverTable.SetDecl set : SETS) {
            out.blank();
            out.open("set " + set.name());
            out.line("type " + set.type());
            out.line(NftWriter.comment(set.name().equals(MACS) ? set.comment() + "; ruleset " + RULESET : set.comment()));
            Set<SetElement> members = elements.of(set.name());
            if (!members.isEmpty()) {
                out.line("elements = { " + members.stream().map(SetElement::render).reduce((a, b) -> a + ", " + b).orElseThrow() + " }");
            }
            out.close();
        }
        DroverTable.writeChain(out, "prerouting", PREROUTING, RULES);
        out.close();
        return out.toString();
    }

    /**
     * The elements added since {@code applied}; empty when none. Elements of ports that went are left for the next
     * full comparison with the kernel (the agent's periodic resync): deleting set elements makes nf_tables wait for
     * an RCU grace period, 15 to 20 ms per transaction, and that wait would sit in every pod's removal. A stale
     * element is harmless: it names a port that no longer exists, and port names are never reused (they derive from
     * the pod's uid).
     */
    public String updateScript(SpoofGuard applied) {
        return added(applied).updateScript(TableElements.NONE, FAMILY, TABLE);
    }

    /** {@link #updateScript} as element changes. */
    List<NftElementChange> updateChanges(SpoofGuard applied) {
        return added(applied).changes(TableElements.NONE, FAMILY, TABLE, SETS_BY_NAME);
    }

    /**
     * Works from the ports, not the elements: rendering every port's elements twice on each sync cost more than the
     * rest of a pod's rule change. An element names its port, so only a port that is new or changed can bring one,
     * and only the same port's earlier elements can already hold it.
     */
    private TableElements added(SpoofGuard applied) {
        Set<GuardedPort> before = new HashSet<>(applied.ports());
        List<GuardedPort> fresh = ports.stream().filter(p -> !before.contains(p)).toList();
        if (fresh.isEmpty()) {
            return TableElements.NONE;
        }
        Set<String> freshPorts = fresh.stream().map(GuardedPort::hostName).collect(Collectors.toSet());
        TableElements earlier = new SpoofGuard(applied.ports().stream()
                .filter(p -> freshPorts.contains(p.hostName())).toList()).elements();
        Map<String, Set<SetElement>> added = new LinkedHashMap<>();
        new SpoofGuard(fresh).elements().sets().forEach((set, members) -> {
            Set<SetElement> news = new LinkedHashSet<>(members);
            news.removeAll(earlier.of(set));
            added.put(set, news);
        });
        return new TableElements(added);
    }

    /** Whether the kernel's {@code bridge drover} table is exactly this one. */
    public boolean isProgrammed(ProgrammedTable table) {
        return shapeMatches(table) && elements().equals(table.elements());
    }

    /** What the kernel's table needs: nothing, its element changes, or the whole table. */
    public String syncScript(ProgrammedTable table) {
        return shapeMatches(table) ? elements().updateScript(table.elements(), FAMILY, TABLE) : script();
    }

    private static boolean shapeMatches(ProgrammedTable table) {
        Map<String, String> sets = new LinkedHashMap<>();
        SETS.forEach(s -> sets.put(s.name(), s.signature()));
        return table.exists()
                && RULESET.equals(table.ruleset())
                && sets.equals(table.sets())
                && Map.of("prerouting", PREROUTING.signature()).equals(table.chains())
                && Map.of("prerouting", RULES.stream().map(r -> NftWriter.commentText(r.comment())).toList())
                        .equals(table.ruleComments());
    }

    private static String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((SETS + "\n" + RULES + "\n" + PREROUTING).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
