package io.drover.agent.rules;

import io.drover.model.net.IpAddresses;
import io.drover.agent.kernel.NftElementChange;

import io.drover.model.net.Cidr;
import java.util.ArrayList;
import java.net.InetAddress;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything Drover's nftables table must do on one node, and the nft scripts that program it: isolation between
 * networks (also through the node), masquerade for networks with natOutgoing, hairpin, published ports (DNAT
 * from outside the node and from the node itself), network policy and services. Pure: it only renders text; the agent applies it with
 * {@code Kernel.applyNftables} as one transaction.
 *
 * <p>The same input gives the same script byte for byte (networks are ordered by bridge, ports by family, host
 * address, protocol and port), and the record compares equal for equal content in any order, so the reconciler can
 * skip a sync by comparing either.
 *
 * <p>Three ways to program the kernel, from the most to the least work:
 * <ul>
 *   <li>{@link #nftScript()}: replace the whole table (first sync, upgrade, or after a failed update);</li>
 *   <li>{@link #updateScript(NodeRules)}: only the changes since the rules last applied: elements, the pod
 *       chains and peer sets of network policy and the chains and affinity sets of services that came, went or
 *       changed;</li>
 *   <li>{@link #syncScript(ProgrammedTable)}: after a restart, whatever the kernel's table needs, possibly nothing.</li>
 * </ul>
 *
 * @param networks the Drover networks with a bridge on this node
 * @param ports    the published ports of this node's pods, free of clashes (see {@link PortClash#admit})
 * @param policy   the NetworkPolicy chains and sets of this node's isolated pods
 * @param guard    spoofguard: which addresses each pod port may send with (table {@code bridge drover})
 * @param services the service ports this node balances, with kube-proxy's semantics ({@link ServiceRules#of})
 * @param peerNodes the other nodes' addresses
 * @param fastPath the cross-node fast path (table {@code netdev drover}), {@link FastPath#NONE} without peers
 */
public record NodeRules(List<BridgeNetwork> networks, List<PublishedPort> ports, PolicyRules policy, SpoofGuard guard,
        ServiceRules services, List<InetAddress> peerNodes, FastPath fastPath) {

    public static final String TABLE = "drover";
    public static final String FAMILY = "inet";
    private static final Map<String, DroverTable.SetDecl> SETS_BY_NAME = DroverTable.byName(DroverTable.SETS);

    public NodeRules {
        networks = networks == null ? List.of() : networks.stream()
                .map(Objects::requireNonNull)
                .sorted(Comparator.comparing(BridgeNetwork::bridge))
                .toList();
        ports = ports == null ? List.of() : new LinkedHashSet<>(ports).stream()
                .map(Objects::requireNonNull)
                .sorted(PublishedPort.ORDER)
                .toList();
        policy = policy == null ? PolicyRules.NONE : policy;
        guard = guard == null ? SpoofGuard.NONE : guard;
        services = services == null ? ServiceRules.NONE : services;
        fastPath = fastPath == null ? FastPath.NONE : fastPath;
        peerNodes = peerNodes == null ? List.of() : peerNodes.stream().distinct()
                .sorted(Comparator.comparing(IpAddresses::format)).toList();
        checkNetworks(networks);
        List<PortClash> clashes = PortClash.find(ports);
        if (!clashes.isEmpty()) {
            throw new IllegalArgumentException(clashes.getFirst().message());
        }
    }

    /** Rules without the fast path. */
    public NodeRules(List<BridgeNetwork> networks, List<PublishedPort> ports, PolicyRules policy, SpoofGuard guard,
            ServiceRules services, List<InetAddress> peerNodes) {
        this(networks, ports, policy, guard, services, peerNodes, FastPath.NONE);
    }

    /** Rules without services. */
    public NodeRules(List<BridgeNetwork> networks, List<PublishedPort> ports, PolicyRules policy, SpoofGuard guard) {
        this(networks, ports, policy, guard, ServiceRules.NONE);
    }

    /** Rules of a node without peers (a single host). */
    public NodeRules(List<BridgeNetwork> networks, List<PublishedPort> ports, PolicyRules policy, SpoofGuard guard,
            ServiceRules services) {
        this(networks, ports, policy, guard, services, List.of());
    }

    /** Rules without network policy. */
    public NodeRules(List<BridgeNetwork> networks, List<PublishedPort> ports) {
        this(networks, ports, PolicyRules.NONE, SpoofGuard.NONE, ServiceRules.NONE);
    }

    /** Rules without spoofguard. */
    public NodeRules(List<BridgeNetwork> networks, List<PublishedPort> ports, PolicyRules policy) {
        this(networks, ports, policy, SpoofGuard.NONE, ServiceRules.NONE);
    }

    /** These rules with this fast path instead. */
    public NodeRules withFastPath(FastPath fastPath) {
        return new NodeRules(networks, ports, policy, guard, services, peerNodes, fastPath);
    }

    /** These rules with these services instead. */
    public NodeRules withServices(ServiceRules services) {
        return new NodeRules(networks, ports, policy, guard, services, peerNodes, fastPath);
    }

    public static final NodeRules EMPTY = new NodeRules(List.of(), List.of());

    /** The ruleset fingerprint this build writes (see {@link ProgrammedTable#ruleset()}). */
    public static String ruleset() {
        return DroverTable.RULESET;
    }

    /** The elements of every set and map of the table for these networks and ports. */
    public TableElements elements() {
        Map<String, Set<SetElement>> all = new LinkedHashMap<>(nodeElements().sets());
        all.putAll(services.elements().sets());
        return new TableElements(all);
    }

    /**
     * The elements of every set and map but the services': what the node's networks, ports and pods bring, a few
     * per pod. Services' elements (hundreds of thousands in a large cluster) change through {@link ServiceChange}s,
     * never by comparing them all.
     */
    private TableElements nodeElements() {
        Map<String, Set<SetElement>> all = new LinkedHashMap<>(SetContents.of(networks, ports, peerNodes).sets());
        policy.elements().sets().forEach((name, members) ->
                all.merge(name, members, (a, b) -> { Set<SetElement> u = new LinkedHashSet<>(a); u.addAll(b); return u; }));
        all.keySet().removeAll(ServiceRules.SERVICE_SETS);
        return new TableElements(all);
    }

    /**
     * The whole transaction: the three tables (inet, spoofguard's bridge table, the fast path's netdev table), each
     * created if missing, deleted and defined in full.
     */
    public String nftScript() {
        return inetScript() + guard.script() + (fastPath.enabled() ? fastPath.script(services.endpointAddresses()) : "");
    }

    /** Table {@code inet drover} alone, defined in full. */
    public String inetScript() {
        return DroverTable.script(FAMILY, TABLE, elements(), policy, services);
    }

    /**
     * The element changes that turn a kernel programmed with {@code applied} into one programmed with these rules,
     * as one transaction; empty when there is nothing to do. Should the kernel not hold what {@code applied} says
     * (someone flushed the table), nft fails the transaction and changes nothing: fall back to {@link #nftScript()}.
     */
    public String updateScript(NodeRules applied) {
        return inetUpdate(applied) + guard.updateScript(applied.guard()) + fastPathUpdate(applied);
    }

    private String fastPathUpdate(NodeRules applied) {
        return fastPath.updateScript(applied.fastPath(), services::endpointAddresses,
                services.endpointAddressChangesSince(applied.services()), services::isEndpointAddress);
    }

    /**
     * Service chains and sets come first (the elements that follow name them) and go last (once nothing names them);
     * policy chains and every element change sit between.
     */
    private String inetUpdate(NodeRules applied) {
        ServiceChange change = services.changeSince(applied.services());
        String before = ServiceTransition.before(change, FAMILY, TABLE);
        String after = ServiceTransition.after(change, FAMILY, TABLE);
        boolean policySame = policy.sets().equals(applied.policy().sets()) && policy.chains().equals(applied.policy().chains());
        String middle = policySame ? nodeElements().updateScript(applied.nodeElements(), FAMILY, TABLE)
                : PolicyTransition.script(applied.policy(), policy, applied.nodeElements(), nodeElements(), FAMILY, TABLE);
        String script = before + middle + change.elementScript(FAMILY, TABLE) + after;
        if (script.isEmpty()) {
            return "";
        }
        return policySame && change.elementsOnly()
                ? "# Drover node rules, ruleset " + DroverTable.RULESET + ": element changes only.\n" + script
                : "# Drover node rules, ruleset " + DroverTable.RULESET + ": policy and service chains, element changes.\n"
                        + script;
    }

    /**
     * {@link #updateScript(NodeRules)} as element changes, when it is nothing else (no chain or policy set comes, goes or
     * changes, and no set outside the table's fixed ones changes), so that they can be written without nft: the
     * common case of a pod or an endpoint coming or going. Empty otherwise.
     */
    public Optional<List<NftElementChange>> elementChanges(NodeRules applied) {
        boolean policySame = policy.sets().equals(applied.policy().sets()) && policy.chains().equals(applied.policy().chains());
        ServiceChange change = services.changeSince(applied.services());
        if (!policySame || !change.elementsOnly()) {
            return Optional.empty();
        }
        List<NftElementChange> node = nodeElements().changes(applied.nodeElements(), FAMILY, TABLE, SETS_BY_NAME);
        List<NftElementChange> fast = fastPath.elementChanges(applied.fastPath(),
                services.endpointAddressChangesSince(applied.services()), services::isEndpointAddress);
        if (node == null || fast == null) {
            return Optional.empty();
        }
        List<NftElementChange> all = new ArrayList<>(node);
        all.addAll(change.elementChanges(FAMILY, TABLE));
        all.addAll(guard.updateChanges(applied.guard()));
        all.addAll(fast);
        return Optional.of(List.copyOf(all));
    }

    /** Whether the kernel's inet table is exactly what {@link #inetScript()} would program. */
    public boolean isProgrammed(ProgrammedTable table) {
        return DroverTable.shapeMatches(table, policy, services) && elements().equals(kernelElements(table));
    }

    /** The kernel's elements that are Drover's to compare: affinity sets hold the clients the kernel saw. */
    private TableElements kernelElements(ProgrammedTable table) {
        return table.elements().without(services.dynamicSets());
    }

    /**
     * What to apply given what the kernel holds: nothing when it is already these rules; the element changes when
     * the table has this build's shape (a restart: established connections and untouched elements stay as they
     * are); otherwise the whole table. For table {@code inet drover} alone.
     */
    public String syncScript(ProgrammedTable table) {
        if (!DroverTable.shapeMatches(table, policy, services)) {
            return inetScript();
        }
        return elementScript(kernelElements(table));
    }

    /**
     * {@link #syncScript(ProgrammedTable)} for all three tables: what the kernel needs after a restart, possibly
     * nothing. The fast path's table is written whole when it differs or could not be read ({@code fastTable} null);
     * it is stateless, so rewriting it disturbs no connection.
     */
    public String syncScript(ProgrammedTable inet, ProgrammedTable guardTable, ProgrammedTable fastTable) {
        String tables = syncScript(inet) + guard.syncScript(guardTable);
        if (!fastPath.enabled()) {
            return tables;
        }
        return tables + (fastTable == null ? fastPath.script(services.endpointAddresses())
                : fastPath.syncScript(fastTable, services.endpointAddresses()));
    }

    /** {@link #syncScript(ProgrammedTable, ProgrammedTable, ProgrammedTable)} with the fast path's table unread. */
    public String syncScript(ProgrammedTable inet, ProgrammedTable guardTable) {
        return syncScript(inet, guardTable, null);
    }

    private String elementScript(TableElements from) {
        String changes = elements().updateScript(from, FAMILY, TABLE);
        return changes.isEmpty() ? ""
                : "# Drover node rules, ruleset " + DroverTable.RULESET + ": element changes only.\n" + changes;
    }

    /** Removes Drover's tables, whether or not they exist: for an agent that leaves the node. */
    public static String deleteScript() {
        return "table " + FAMILY + " " + TABLE + "\ndelete table " + FAMILY + " " + TABLE + "\n"
                + "table " + SpoofGuard.FAMILY + " " + SpoofGuard.TABLE + "\ndelete table " + SpoofGuard.FAMILY + " "
                + SpoofGuard.TABLE + "\n" + FastPath.NONE.script(Set.of());
    }

    private static void checkNetworks(List<BridgeNetwork> networks) {
        Map<String, String> bridges = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        List<Map.Entry<Cidr, String>> subnets = new ArrayList<>();
        for (BridgeNetwork n : networks) {
            String other = bridges.putIfAbsent(n.bridge(), n.network());
            if (other != null) {
                throw new IllegalArgumentException("networks " + other + " and " + n.network()
                        + " both use bridge " + n.bridge() + "; every network needs a bridge of its own");
            }
            if (names.putIfAbsent(n.network(), n.bridge()) != null) {
                throw new IllegalArgumentException("network " + n.network() + " is listed twice, on bridges "
                        + names.get(n.network()) + " and " + n.bridge());
            }
            for (Cidr subnet : n.subnets()) {
                // Overlapping subnets would make isolation ambiguous, and nft refuses overlapping intervals.
                for (Map.Entry<Cidr, String> seen : subnets) {
                    if (seen.getKey().overlaps(subnet)) {
                        throw new IllegalArgumentException("subnet " + subnet + " of network " + n.network()
                                + " overlaps " + seen.getKey() + " of network " + seen.getValue());
                    }
                }
                subnets.add(Map.entry(subnet, n.network()));
            }
        }
    }
}
