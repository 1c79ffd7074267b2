package io.drover.agent.rules;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpFamily;
import io.drover.policy.AllowEntry;
import io.drover.policy.Direction;
import io.drover.policy.DirectionPolicy;
import io.drover.policy.FirewallChain;
import io.drover.policy.PortRange;
import io.drover.policy.PortSet;
import io.drover.policy.RuleRef;
import io.drover.policy.cidr.CidrMath;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The NetworkPolicy part of a node's table: what varies with the policies, unlike the fixed shape of
 * {@link DroverTable}.
 *
 * <ul>
 *   <li>A <b>chain per isolated pod and direction</b> ({@code pod.<ns>.<name>.in}, {@code ...out}): the pod's own
 *       addresses, then one rule per allowing policy rule, each {@code return}ing when it matches (so the network
 *       isolation that follows still applies: policy only ever narrows), and a counted drop at the end.</li>
 *   <li>A <b>peer set per policy rule</b> ({@code np.<ns>.<policy>.<in|out><index>...v4|v6}), shared by every pod
 *       the policy selects. Pods coming and going, or changing labels, change the elements of these sets only; the
 *       rules that reference them stay as they are. Lookups are one interval-set match per rule, however many
 *       peers.</li>
 *   <li><b>Dispatch</b>: the verdict maps {@code pod_ingress4/6} and {@code pod_egress4/6} of the fixed table map a
 *       local pod's address to a jump to its chain, so a new connection costs one map lookup per direction however
 *       many pods are isolated; pods no policy isolates are simply absent.</li>
 * </ul>
 *
 * <p>Only new connections reach these rules: {@code forward} accepts established and related traffic first, which
 * is also what lets replies of allowed connections through.
 *
 * @param sets     the peer sets, by name
 * @param chains   the pod chains, by name
 * @param elements the peer sets' elements and the dispatch maps' elements
 */
public record PolicyRules(List<PeerSet> sets, List<PodChain> chains, TableElements elements) {

    /** A set of peer prefixes of one family. */
    record PeerSet(String name, IpFamily family, String comment) {
        String type() {
            return family == IpFamily.IPV4 ? "ipv4_addr" : "ipv6_addr";
        }

        /** As {@link ProgrammedTable#sets()} reads it back. */
        String signature() {
            return type() + " interval";
        }
    }

    /** One pod's chain for one direction. */
    record PodChain(String name, List<DroverTable.Rule> rules) {
        PodChain {
            rules = List.copyOf(rules);
        }
    }

    public static final PolicyRules NONE = new PolicyRules(List.of(), List.of(), TableElements.NONE);

    /** nft refuses longer set and chain names (NFT_SET_MAXNAMELEN, NFT_CHAIN_MAXNAMELEN, with the NUL). */
    static final int MAX_NAME = 255;

    public PolicyRules {
        sets = List.copyOf(sets);
        chains = List.copyOf(chains);
    }

    /** The rules for this node's isolated pods; the same pods in any order give an equal result. */
    public static PolicyRules of(Collection<PolicedPod> pods) {
        return assemble(pods.stream().map(PolicyRules::render).toList(), new PeerSetRenderings());
    }

    /**
     * What one pod contributes to its node's rules, computed from the pod alone: its chains, its share of the peer
     * sets (the peer lists of its entries, which pods selected by the same rule share) and its dispatch elements. A
     * pod whose compiled policy did not change keeps it from one computation to the next ({@code PolicyCalculator}).
     */
    public record PodRules(PolicedPod source, List<PodChain> chains, Map<String, PeerSetBuilder> sets,
            Map<String, List<SetElement>> dispatch) {
        public PodRules {
            chains = List.copyOf(chains);
            sets = java.util.Collections.unmodifiableMap(sets);
            dispatch = Map.copyOf(dispatch);
        }
    }

    /** The pod's chains, set shares and dispatch elements. */
    public static PodRules render(PolicedPod pod) {
        Map<String, PeerSetBuilder> sets = new TreeMap<>();
        List<PodChain> chains = new ArrayList<>();
        Map<String, List<SetElement>> dispatch = new LinkedHashMap<>();
        for (Direction direction : Direction.values()) {
            DirectionPolicy policy = pod.policy().direction(direction);
            Optional<FirewallChain> firewall = pod.firewallChain(direction);
            if (!policy.isolated() && firewall.isEmpty()) {
                continue;
            }
            String chain = chainName(pod.pod(), direction);
            if (firewall.isPresent()) {
                chains.addAll(FirewallChains.of(pod, direction, firewall.get(), chain, sets));
            } else {
                List<DroverTable.Rule> rules = new ArrayList<>(selfRules(pod, direction));
                rules.addAll(allowRules(pod, direction, policy, sets));
                rules.add(rule("counter drop", (direction == Direction.INGRESS ? "ingress" : "egress") + " of "
                        + pod.pod() + " is isolated by policy: nothing else"));
                chains.add(new PodChain(chain, rules));
            }
            for (InetAddress address : pod.addresses()) {
                boolean v4 = IpFamily.of(address) == IpFamily.IPV4;
                String map = direction == Direction.INGRESS
                        ? (v4 ? DroverTable.POD_INGRESS4 : DroverTable.POD_INGRESS6)
                        : (v4 ? DroverTable.POD_EGRESS4 : DroverTable.POD_EGRESS6);
                dispatch.computeIfAbsent(map, m -> new ArrayList<>())
                        .add(SetElement.mapping(SetContents.address(address), "jump " + chain, "pod " + pod.pod()));
            }
        }
        dispatch.replaceAll((map, elements) -> List.copyOf(elements));
        return new PodRules(pod, chains, sets, dispatch);
    }

    /**
     * The node's rules from its pods' parts: their chains, their peer sets merged by name (pods selected by one rule
     * share its set) and rendered through {@code renderings}, and the dispatch maps.
     */
    public static PolicyRules assemble(Collection<PodRules> pods, PeerSetRenderings renderings) {
        Map<String, PeerSetBuilder> sets = new TreeMap<>();
        List<PodChain> chains = new ArrayList<>();
        Map<String, Set<SetElement>> dispatch = new LinkedHashMap<>();
        List.of(DroverTable.POD_INGRESS4, DroverTable.POD_INGRESS6, DroverTable.POD_EGRESS4, DroverTable.POD_EGRESS6)
                .forEach(map -> dispatch.put(map, new LinkedHashSet<>()));
        for (PodRules pod : pods.stream().sorted(Comparator.comparing((PodRules p) -> p.source().pod())).toList()) {
            chains.addAll(pod.chains());
            pod.sets().forEach((name, share) ->
                    sets.computeIfAbsent(name, n -> new PeerSetBuilder(share.family, share.comment)).addAll(share));
            pod.dispatch().forEach((map, elements) -> dispatch.get(map).addAll(elements));
        }
        Map<String, Set<SetElement>> elements = new LinkedHashMap<>();
        List<PeerSet> peerSets = new ArrayList<>();
        sets.forEach((name, builder) -> {
            peerSets.add(new PeerSet(name, builder.family, builder.comment));
            elements.put(name, builder.elements(renderings));
        });
        renderings.finish();
        elements.putAll(dispatch);
        return new PolicyRules(peerSets, chains.stream().sorted(Comparator.comparing(PodChain::name)).toList(),
                new TableElements(elements));
    }

    /** The IPv4 addresses of the pods these rules isolate, either way, as nft writes them. */
    public java.util.Set<String> isolatedAddresses4() {
        java.util.Set<String> out = new java.util.HashSet<>();
        elements.of(DroverTable.POD_INGRESS4).forEach(e -> out.add(e.key()));
        elements.of(DroverTable.POD_EGRESS4).forEach(e -> out.add(e.key()));
        return out;
    }

    /** Whether there is anything to program at all. */
    public boolean isEmpty() {
        return chains.isEmpty();
    }

    /** How many pod chains there are (one per isolated pod and direction). */
    public int chainCount() {
        return chains.size();
    }

    /** Set and chain names with what they are, to compare the shape of two policy parts. */
    Map<String, String> setSignatures() {
        Map<String, String> out = new LinkedHashMap<>();
        sets.forEach(s -> out.put(s.name(), s.signature()));
        return out;
    }

    Map<String, List<String>> ruleComments() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        chains.forEach(c -> out.put(c.name(), c.rules().stream().map(r -> NftWriter.commentText(r.comment())).toList()));
        return out;
    }

    /** A pod is never blocked from itself (through the node, say to its own published port). */
    static List<DroverTable.Rule> selfRules(PolicedPod pod, Direction direction) {
        List<DroverTable.Rule> rules = new ArrayList<>();
        for (IpFamily family : families(pod)) {
            String own = pod.addresses().stream().filter(a -> IpFamily.of(a) == family).map(SetContents::address)
                    .collect(Collectors.joining(", "));
            rules.add(rule(peerField(family, direction == Direction.INGRESS) + " { " + own + " } return",
                    "the pod itself is never blocked"));
        }
        return rules;
    }

    /** NetworkPolicy's allow entries: each returns (allowed) when it matches. */
    static List<DroverTable.Rule> allowRules(PolicedPod pod, Direction direction, DirectionPolicy policy,
            Map<String, PeerSetBuilder> sets) {
        boolean ingress = direction == Direction.INGRESS;
        List<DroverTable.Rule> rules = new ArrayList<>();
        for (AllowEntry entry : policy.allowed()) {
            Set<IpFamily> families = new TreeSet<>(families(pod));
            // Peers are sorted, IPv4 first: the first and the last tell which families there are.
            if (!entry.peers().isEmpty()) {
                families.add(entry.peers().getFirst().family());
                families.add(entry.peers().getLast().family());
            }
            for (IpFamily family : families) {
                String set = setName(entry, direction, family);
                PeerSetBuilder builder = sets.computeIfAbsent(set, n -> new PeerSetBuilder(family,
                        "peers of " + entry.rule() + (ingress ? "" : " to " + entry.ports())));
                builder.add(entry.peers());
                for (String ports : portMatches(entry.ports())) {
                    rules.add(rule(peerField(family, ingress) + " @" + set + ports + " return",
                            entry.rule() + " allows " + entry.ports()));
                }
            }
        }
        return rules;
    }

    static Set<IpFamily> families(PolicedPod pod) {
        return pod.addresses().stream().map(IpFamily::of).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * A rule whose comment starts with a digest of its text: the kernel's table is compared by comments after a
     * restart, so a rule whose ports or set changed must not keep the comment of the rule it replaces.
     */
    static DroverTable.Rule rule(String text, String why) {
        return new DroverTable.Rule(text, "#" + digest(text, 4) + " " + why);
    }

    static String peerField(IpFamily family, boolean ingress) {
        return (family == IpFamily.IPV4 ? "ip" : "ip6") + (ingress ? " saddr" : " daddr");
    }

    /**
     * The port matches of an entry, one per protocol: empty text for every port of every protocol (ICMP too), else
     * {@code meta l4proto P} with the ports when the rule names any. {@code th dport} reads the destination port
     * of TCP, UDP and SCTP alike.
     */
    static List<String> portMatches(PortSet ports) {
        if (ports instanceof PortSet.Ranges(List<PortRange> ranges)) {
            Map<String, List<PortRange>> byProtocol = new TreeMap<>();
            ranges.forEach(r -> byProtocol.computeIfAbsent(r.protocol().toLowerCase(Locale.ROOT), p -> new ArrayList<>()).add(r));
            List<String> out = new ArrayList<>();
            byProtocol.forEach((protocol, list) -> {
                if (list.stream().anyMatch(PortRange::isEveryPort)) {
                    out.add(" meta l4proto " + protocol);
                } else {
                    List<String> values = list.stream()
                            .map(r -> r.from() == r.to() ? Integer.toString(r.from()) : r.from() + "-" + r.to())
                            .toList();
                    out.add(" meta l4proto " + protocol + " th dport "
                            + (values.size() == 1 ? values.getFirst() : "{ " + String.join(", ", values) + " }"));
                }
            });
            return out;
        }
        return List.of("");
    }

    /**
     * The set of a rule's peers: one per policy rule and family, shared by the pods the policy selects. Egress to
     * named ports resolves per destination pod, so such a rule has a set per distinct resolution, told apart by a
     * digest of its ports; for ingress the selected pod is the destination, so its peers never depend on ports.
     */
    static String setName(AllowEntry entry, Direction direction, IpFamily family) {
        RuleRef ref = entry.rule();
        String rule = (direction == Direction.INGRESS ? "in" : "out") + ref.index()
                + (direction == Direction.EGRESS ? "." + digest(entry.ports().toString(), 3) : "");
        String suffix = family == IpFamily.IPV4 ? ".v4" : ".v6";
        return boundedName("np." + ref.policy().namespace() + "." + ref.policy().name() + "." + rule, suffix);
    }

    /** The peers of a firewall rule in one direction: {@code fw-<id>.in.v4}, shared by the pods it applies to. */
    static String firewallSetName(String ruleId, Direction direction, IpFamily family) {
        return ruleId + (direction == Direction.INGRESS ? ".in" : ".out") + (family == IpFamily.IPV4 ? ".v4" : ".v6");
    }

    static String chainName(String pod, Direction direction) {
        return boundedName("pod." + pod.replace('/', '.'), direction == Direction.INGRESS ? ".in" : ".out");
    }

    /** Readable when it fits; a digest of the readable name when Kubernetes' long names would not. */
    private static String boundedName(String readable, String suffix) {
        if (readable.length() + suffix.length() <= MAX_NAME) {
            return readable + suffix;
        }
        return readable.substring(0, readable.indexOf('.')) + ".h" + digest(readable, 10) + suffix;
    }

    static String digest(String text, int bytes) {
        // Every sync renders every isolated pod's rules again, mostly the same texts: remember their digests.
        String key = bytes + ":" + text;
        String known = DIGESTS.get(key);
        if (known != null) {
            return known;
        }
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            String digest = HexFormat.of().formatHex(sha, 0, bytes);
            if (DIGESTS.size() >= MAX_DIGESTS) {
                DIGESTS.clear(); // texts of rules long gone; the ones in use come back at the next sync
            }
            DIGESTS.put(key, digest);
            return digest;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    private static final int MAX_DIGESTS = 100_000;
    private static final Map<String, String> DIGESTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** A peer set being filled: the entries of every pod that share it add their peers. */
    static final class PeerSetBuilder {
        final IpFamily family;
        final String comment;
        /** The peer lists added, in order, each once: the pods a rule selects share one (computed once). */
        private final List<List<Cidr>> lists = new ArrayList<>();
        private final Set<List<Cidr>> added = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

        PeerSetBuilder(IpFamily family, String comment) {
            this.family = family;
            this.comment = comment;
        }

        /** @param peers a rule's peers of every family: the set takes those of its own */
        void add(List<Cidr> peers) {
            if (added.add(peers)) {
                lists.add(peers);
            }
        }

        void addAll(PeerSetBuilder other) {
            other.lists.forEach(this::add);
        }

        /**
         * The set's elements. A set filled from one peer list (a rule's peers, which the policy engine computes
         * once and hands to every pod) is rendered once per list, not at every sync of every change.
         */
        Set<SetElement> elements(PeerSetRenderings renderings) {
            if (lists.size() == 1) {
                return renderings.render(lists.getFirst(), family, () -> renderShared(lists.getFirst(), family));
            }
            return render(lists.stream().flatMap(List::stream).toList(), family);
        }

        private static Set<SetElement> renderShared(List<Cidr> peers, IpFamily family) {
            Map<IpFamily, Set<SetElement>> byFamily;
            synchronized (RENDERED) {
                byFamily = RENDERED.computeIfAbsent(peers, k -> new java.util.concurrent.ConcurrentHashMap<>());
            }
            return byFamily.computeIfAbsent(family, f -> render(peers, f));
        }

        private static Set<SetElement> render(List<Cidr> cidrs, IpFamily family) {
            Set<SetElement> members = new LinkedHashSet<>();
            CidrMath.normalize(cidrs.stream().filter(c -> c.family() == family).toList())
                    .forEach(c -> members.add(SetElement.of(SetContents.prefix(c), null)));
            return TableElements.frozen(members);
        }
    }

    /**
     * Rendered peer sets by peer list and family, weakly, shared by every computation in the process (equal lists
     * of different computations, and nodes of a simulation): an entry goes with the last reference to its list.
     */
    private static final Map<List<Cidr>, Map<IpFamily, Set<SetElement>>> RENDERED = new java.util.WeakHashMap<>();
}
