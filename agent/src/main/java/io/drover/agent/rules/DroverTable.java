package io.drover.agent.rules;

import io.drover.agent.kernel.NftElementChange;
import io.drover.agent.kernel.Vxlan;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The shape of table {@code inet drover}: its sets and maps, and its chains with their rules. The shape is the
 * same on every node and for every input; what varies lives in set and map elements ({@link SetContents}), so that
 * each packet is dispatched by one set or map lookup per rule (O(1), however many networks or ports) and a
 * change is an element change.
 *
 * <p>Chains, by purpose:
 * <ul>
 *   <li>{@code forward} (filter, forward hook): established traffic first, then traffic leaving a pod
 *       ({@code from_pod}: isolation between networks) and traffic entering a network ({@code to_pod}: only
 *       published ports). Policy accept: traffic that touches no Drover bridge is not Drover's business.
 *       New connections of pods that NetworkPolicy isolates first pass their pods' chains ({@link PolicyRules}),
 *       reached through the verdict maps {@code pod_egress4/6} and {@code pod_ingress4/6}.</li>
 *   <li>{@code input} (filter, input hook): isolation through the node, no pod reaches another network's
 *       gateway address.</li>
 *   <li>{@code prerouting} and {@code output} (nat, dstnat): services first ({@code services}: one verdict-map
 *       lookup by address, protocol and port, one by NodePort, leading to the chains of {@link ServiceRules}), then
 *       published ports, from outside and from the node itself, through {@code published}.</li>
 *   <li>{@code service_checks} (from {@code forward}, {@code input} and {@code filter_output}): what still has a
 *       service address as its destination was DNATed by no service chain: no endpoints (reject), an unserved port
 *       of a cluster IP (reject), an unallocated address of the service CIDRs (drop).
 *       {@code service_firewall} (filter, before DNAT) applies loadBalancerSourceRanges.</li>
 *   <li>{@code postrouting} (nat, srcnat): what the service chains marked, hairpin of published ports, and
 *       masquerade for networks with natOutgoing.</li>
 * </ul>
 */
final class DroverTable {

    private DroverTable() {}

    /**
     * A named set ({@code mapsTo} null) or map. {@code type} and {@code mapsTo} are the types as nft lists them (and
     * as the netlink encoder lays out elements); {@code typeOf}, when not null, is what the declaration says instead:
     * a key holding a number chosen by {@code numgen} or {@code jhash} has no named type, only nft's {@code typeof}.
     */
    record SetDecl(String name, String type, String mapsTo, boolean interval, String comment, String typeOf) {

        SetDecl(String name, String type, String mapsTo, boolean interval, String comment) {
            this(name, type, mapsTo, interval, comment, null);
        }

        /** {@code type KEY [: VALUE]}, or {@code typeof ...}. */
        String declaration() {
            return typeOf != null ? "typeof " + typeOf : "type " + type + (mapsTo == null ? "" : " : " + mapsTo);
        }

        /** The type as {@link ProgrammedTable} reads it back: {@code TYPE [: VALUE] [interval]}. */
        String signature() {
            return type + (mapsTo == null ? "" : " : " + mapsTo) + (interval ? " interval" : "");
        }

        /** Adding or deleting {@code element} of this set in table {@code FAMILY TABLE}. */
        NftElementChange change(String family, String table, SetElement element, boolean add) {
            return new NftElementChange(family, table, name, type, mapsTo, interval, add, element.key(),
                    add ? element.value() : null, add ? element.comment() : null);
        }
    }

    /** Set declarations by name. */
    static Map<String, SetDecl> byName(List<SetDecl> sets) {
        Map<String, SetDecl> out = new LinkedHashMap<>();
        sets.forEach(s -> out.put(s.name(), s));
        return Map.copyOf(out);
    }

    /** Where a base chain hooks: {@code priorityName} is what we write, {@code priority} what nft lists. */
    record Hook(String type, String hook, String priorityName, int priority) {
        String signature() {
            return type + " " + hook + " " + priority + " accept";
        }
    }

    /** One rule; its comment says why it is there and identifies it in listings. */
    record Rule(String text, String comment) {}

    /** A chain; {@code hook} null for a regular chain, reached by jump. */
    record Chain(String name, Hook hook, List<Rule> rules) {
        String signature() {
            return hook == null ? "" : hook.signature();
        }
    }

    // Sets and maps. The comment of `bridges` carries the ruleset fingerprint (see RULESET).
    static final String BRIDGES = "bridges";
    static final String BRIDGE_PAIRS = "bridge_pairs";
    static final String SUBNETS4 = "subnets4";
    static final String SUBNETS6 = "subnets6";
    static final String NAT_SUBNETS4 = "nat_subnets4";
    static final String NAT_SUBNETS6 = "nat_subnets6";
    static final String BRIDGE_NETS4 = "bridge_nets4";
    static final String PEER_NODES4 = "peer_nodes4";
    static final String BRIDGE_NETS6 = "bridge_nets6";
    static final String PUBLISHED4 = "published4";
    static final String PUBLISHED4_ADDR = "published4_addr";
    static final String PUBLISHED6 = "published6";
    static final String PUBLISHED6_ADDR = "published6_addr";
    static final String POD_INGRESS4 = "pod_ingress4";
    static final String POD_INGRESS6 = "pod_ingress6";
    static final String POD_EGRESS4 = "pod_egress4";
    static final String POD_EGRESS6 = "pod_egress6";

    static final String SERVICE_CIDRS4 = "service_cidrs4";
    static final String NODEPORT_IPS4 = "nodeport_ips4";
    static final String CLUSTER_IPS4 = "cluster_ips4";
    static final String SERVICE_IPS4 = "service_ips4";
    static final String SERVICE_NODEPORTS = "service_nodeports";
    static final String FIREWALL_IPS4 = "firewall_ips4";
    static final String NO_ENDPOINT_IPS4 = "no_endpoint_ips4";
    static final String NO_ENDPOINT_NODEPORTS = "no_endpoint_nodeports";
    static final String SERVICE_ENDPOINTS4 = "service_endpoints4";
    static final String SERVICE_NODEPORT_ENDPOINTS = "service_nodeport_endpoints";
    static final String SERVICE_HAIRPIN4 = "service_hairpin4";
    static final String SERVICE_MASQUERADE4 = "service_masquerade4";
    static final String SERVICE_OFFNET4 = "service_offnet4";

    // Chains the service chains name.
    static final String MARK_FOR_MASQUERADE = "mark_for_masquerade";
    static final String SERVICE_REJECT = "service_reject";

    /** Set by service chains on packets to masquerade in postrouting (kube-proxy's bit). */
    static final String MASQUERADE_MARK = "0x00004000";
    /** Set on every packet a service DNATs: the published ports' hairpin masquerade must leave them alone. */
    static final String SERVICE_DNAT_MARK = "0x00008000";
    /** Clears both marks once postrouting has read them, so that they never leak into routing or other tables. */
    private static final String CLEAR_MARKS = "0xffff3fff";

    /** Maps whose elements jump to chains: written after the chains exist (see {@link #script}). */
    static final Set<String> DISPATCH_MAPS = Set.of(POD_INGRESS4, POD_INGRESS6, POD_EGRESS4, POD_EGRESS6,
            SERVICE_IPS4, SERVICE_NODEPORTS, FIREWALL_IPS4, NO_ENDPOINT_IPS4, NO_ENDPOINT_NODEPORTS);

    static final List<SetDecl> SETS = List.of(
            new SetDecl(BRIDGES, "ifname", null, false, "the bridge of every Drover network on this node"),
            new SetDecl(BRIDGE_PAIRS, "ifname . ifname", null, false,
                    "bridge . same bridge: traffic that stays within one network"),
            new SetDecl(SUBNETS4, "ipv4_addr", null, true, "the IPv4 subnets of every Drover network"),
            new SetDecl(SUBNETS6, "ipv6_addr", null, true, "the IPv6 subnets of every Drover network"),
            new SetDecl(NAT_SUBNETS4, "ipv4_addr", null, true, "IPv4 subnets of networks with natOutgoing"),
            new SetDecl(NAT_SUBNETS6, "ipv6_addr", null, true, "IPv6 subnets of networks with natOutgoing"),
            new SetDecl(BRIDGE_NETS4, "ifname . ipv4_addr", null, true, "each bridge with its network's IPv4 subnets"),
            new SetDecl(PEER_NODES4, "ipv4_addr", null, false, "the underlay addresses of the other nodes"),
            new SetDecl(BRIDGE_NETS6, "ifname . ipv6_addr", null, true, "each bridge with its network's IPv6 subnets"),
            new SetDecl(PUBLISHED4, "inet_proto . inet_service", "ipv4_addr . inet_service", false,
                    "IPv4 ports published on every node address: proto . port : pod . port"),
            new SetDecl(PUBLISHED4_ADDR, "ipv4_addr . inet_proto . inet_service", "ipv4_addr . inet_service", false,
                    "IPv4 ports published on one node address: address . proto . port : pod . port"),
            new SetDecl(PUBLISHED6, "inet_proto . inet_service", "ipv6_addr . inet_service", false,
                    "IPv6 ports published on every node address: proto . port : pod . port"),
            new SetDecl(PUBLISHED6_ADDR, "ipv6_addr . inet_proto . inet_service", "ipv6_addr . inet_service", false,
                    "IPv6 ports published on one node address: address . proto . port : pod . port"),
            new SetDecl(POD_INGRESS4, "ipv4_addr", "verdict", false,
                    "network policy: a local pod's IPv4 address : jump to its ingress chain"),
            new SetDecl(POD_INGRESS6, "ipv6_addr", "verdict", false,
                    "network policy: a local pod's IPv6 address : jump to its ingress chain"),
            new SetDecl(POD_EGRESS4, "ipv4_addr", "verdict", false,
                    "network policy: a local pod's IPv4 address : jump to its egress chain"),
            new SetDecl(POD_EGRESS6, "ipv6_addr", "verdict", false,
                    "network policy: a local pod's IPv6 address : jump to its egress chain"),
            new SetDecl(SERVICE_CIDRS4, "ipv4_addr", null, true,
                    "services: the ranges cluster IPs come from; unallocated ones are dropped"),
            new SetDecl(NODEPORT_IPS4, "ipv4_addr", null, true,
                    "services: the node addresses NodePorts answer on (0.0.0.0/0: every local address)"),
            new SetDecl(CLUSTER_IPS4, "ipv4_addr", null, false,
                    "services: every allocated cluster IP; its ports no service serves are rejected"),
            new SetDecl(SERVICE_IPS4, "ipv4_addr . inet_proto . inet_service", "verdict", false,
                    "services: cluster, external and load-balancer IP . proto . port : goto the service port's chain"),
            new SetDecl(SERVICE_NODEPORTS, "inet_proto . inet_service", "verdict", false,
                    "services: proto . NodePort : goto the service port's external chain"),
            new SetDecl(FIREWALL_IPS4, "ipv4_addr . inet_proto . inet_service", "verdict", false,
                    "services: load-balancer IP . proto . port : goto its loadBalancerSourceRanges chain"),
            new SetDecl(NO_ENDPOINT_IPS4, "ipv4_addr . inet_proto . inet_service", "verdict", false,
                    "services: IP . proto . port of a service without endpoints : reject, or drop under a Local policy"),
            new SetDecl(NO_ENDPOINT_NODEPORTS, "inet_proto . inet_service", "verdict", false,
                    "services: proto . NodePort of a service without endpoints : reject, or drop under Local"),
            // The endpoints of every service that needs no chain of its own, by the index a shared pick chain draws:
            // a service or an endpoint is then a few elements, never a chain (see ServicePicks). The index has no
            // named type, hence typeof; only the pick chains, written with the table, name these maps.
            new SetDecl(SERVICE_ENDPOINTS4, "ipv4_addr . inet_proto . inet_service . integer", "ipv4_addr . inet_service",
                    false, "services: IP . proto . port . index : endpoint . port",
                    "ip daddr . meta l4proto . th dport . numgen random mod 1 : ip daddr . th dport"),
            new SetDecl(SERVICE_NODEPORT_ENDPOINTS, "inet_proto . inet_service . integer", "ipv4_addr . inet_service",
                    false, "services: proto . NodePort . index : endpoint . port",
                    "meta l4proto . th dport . numgen random mod 1 : ip daddr . th dport"),
            new SetDecl(SERVICE_HAIRPIN4, "ipv4_addr . ipv4_addr", null, false,
                    "services: local endpoint . itself: an endpoint reaching its own service is masqueraded"),
            new SetDecl(SERVICE_MASQUERADE4, "ipv4_addr . inet_proto . inet_service", null, false,
                    "services: external IP . proto . port balanced by a pick chain under Cluster: masquerade"),
            new SetDecl(SERVICE_OFFNET4, "ipv4_addr . inet_proto . inet_service", null, false,
                    "services: cluster IP . proto . port balanced by a pick chain: masquerade clients outside the pods"));

    private static final Hook FORWARD = new Hook("filter", "forward", "filter", 0);
    private static final Hook INPUT = new Hook("filter", "input", "filter", 0);
    private static final Hook PREROUTING = new Hook("nat", "prerouting", "dstnat", -100);
    // nft 1.0.6 accepts the name dstnat only at prerouting; -100 is its value.
    private static final Hook OUTPUT = new Hook("nat", "output", "-100", -100);
    private static final Hook POSTROUTING = new Hook("nat", "postrouting", "srcnat", 100);
    private static final Hook FILTER_OUTPUT = new Hook("filter", "output", "filter", 0);
    // Before DNAT (-100), while the destination is still the load-balancer IP.
    private static final Hook FIREWALL_PREROUTING = new Hook("filter", "prerouting", "-110", -110);
    private static final Hook FIREWALL_OUTPUT = new Hook("filter", "output", "-110", -110);
    // Before conntrack (-200): what is not to be tracked must be said at raw priority.
    private static final Hook RAW_PREROUTING = new Hook("filter", "prerouting", "raw", -300);
    private static final Hook RAW_OUTPUT = new Hook("filter", "output", "raw", -300);

    private static final List<Chain> BASE_CHAINS = List.of(
            new Chain("forward", FORWARD, List.of(
                    new Rule("ct state established,related accept",
                            "replies and established connections, which keep flowing across rule rewrites"),
                    new Rule("ct state new jump service_checks", "services: what no service chain took"),
                    // Egress of the client before ingress of the server: both must allow. A pod chain returns when a
                    // policy allows the connection, so the network isolation below still applies to it.
                    new Rule("ip saddr vmap @pod_egress4", "network policy: egress of an isolated local pod"),
                    new Rule("ip6 saddr vmap @pod_egress6", "network policy: egress of an isolated local pod, IPv6"),
                    new Rule("ip daddr vmap @pod_ingress4", "network policy: ingress of an isolated local pod"),
                    new Rule("ip6 daddr vmap @pod_ingress6", "network policy: ingress of an isolated local pod, IPv6"),
                    new Rule("iifname @bridges jump from_pod", "traffic leaving a pod"),
                    new Rule("oifname @bridges jump to_pod", "traffic entering a network from outside it"))),
            new Chain("from_pod", null, List.of(
                    // iifname != oifname cannot be written (nft compares to constants only); a pair set can.
                    new Rule("oifname @bridges iifname . oifname != @bridge_pairs drop",
                            "isolation: no traffic from one network to another"),
                    new Rule("accept", "within the network, and out of the node"))),
            new Chain("to_pod", null, List.of(
                    // Routed or tunnelled from another node: a network lets in only its own subnets, so isolation
                    // between networks holds across nodes without telling networks apart in the underlay.
                    new Rule("oifname . ip saddr @bridge_nets4 accept", "the same network, from a pod on another node"),
                    new Rule("oifname . ip6 saddr @bridge_nets6 accept",
                            "the same network, from a pod on another node, IPv6"),
                    new Rule("ct status dnat accept", "published ports"),
                    // A service balanced on another node comes masqueraded to that node's address (external clients
                    // under the Cluster policy), as does the node's own traffic.
                    new Rule("ip saddr @peer_nodes4 accept", "another node: a service it balanced here, or itself"),
                    new Rule("drop", "nothing else enters a network from outside it"))),
            new Chain("input", INPUT, List.of(
                    new Rule("ct state new jump service_checks", "services: NodePorts without endpoints"),
                    // Only local traffic reaches input, so an address of another network here is its gateway.
                    new Rule("iifname @bridges ip daddr @subnets4 iifname . ip daddr != @bridge_nets4 drop",
                            "isolation through the node: no pod reaches another network's gateway"),
                    new Rule("iifname @bridges ip6 daddr @subnets6 iifname . ip6 daddr != @bridge_nets6 drop",
                            "isolation through the node, IPv6"))),
            new Chain("filter_output", FILTER_OUTPUT, List.of(
                    new Rule("ct state new jump service_checks", "services: what no service chain took, from the node"))),
            // A packet whose service address is still its destination here was DNATed by no service chain: the
            // service has no endpoint (for it), the port is not a service's, or the address is not allocated.
            new Chain("service_checks", null, List.of(
                    new Rule("ip daddr . meta l4proto . th dport vmap @no_endpoint_ips4",
                            "services without endpoints: reject, or drop under a Local policy"),
                    new Rule("fib daddr type local ip daddr @nodeport_ips4 meta l4proto . th dport vmap @no_endpoint_nodeports",
                            "NodePorts without endpoints"),
                    new Rule("ip daddr @cluster_ips4 reject", "a cluster IP on a port its services do not serve"),
                    new Rule("ip daddr @service_cidrs4 drop", "an unallocated address of the service CIDRs"))),
            new Chain(SERVICE_REJECT, null, List.of(
                    new Rule("reject", "a service without endpoints refuses at once"))),
            // The VXLAN packets between nodes carry pod traffic that conntrack already tracks inside them (forward);
            // tracking the tunnel's UDP as well cost a tenth of the throughput between pods on different nodes.
            new Chain("tunnel_untracked", RAW_PREROUTING, List.of(
                    new Rule("ip saddr @peer_nodes4 udp dport " + Vxlan.IANA_PORT + " notrack",
                            "VXLAN from another node: tracked inside, not again outside"))),
            new Chain("tunnel_untracked_output", RAW_OUTPUT, List.of(
                    new Rule("ip daddr @peer_nodes4 udp dport " + Vxlan.IANA_PORT + " notrack",
                            "VXLAN to another node: tracked inside, not again outside"))),
            new Chain("service_firewall", FIREWALL_PREROUTING, List.of(
                    new Rule("ct state new ip daddr . meta l4proto . th dport vmap @firewall_ips4",
                            "loadBalancerSourceRanges, before DNAT"))),
            new Chain("service_firewall_output", FIREWALL_OUTPUT, List.of(
                    new Rule("ct state new ip daddr . meta l4proto . th dport vmap @firewall_ips4",
                            "loadBalancerSourceRanges, from the node, before DNAT"))),
            // One lookup for every service address and one for every NodePort, however many services: a miss leaves
            // the packet to published ports and routing.
            new Chain("services", null, List.of(
                    new Rule("ip daddr . meta l4proto . th dport @" + SERVICE_MASQUERADE4 + " jump " + MARK_FOR_MASQUERADE,
                            "external addresses under externalTrafficPolicy Cluster: the endpoint may be on another node"),
                    new Rule("ip daddr . meta l4proto . th dport @" + SERVICE_OFFNET4 + " ip saddr != @" + SUBNETS4
                            + " jump " + MARK_FOR_MASQUERADE, "clients outside the pod networks to a cluster IP"),
                    new Rule("ip daddr . meta l4proto . th dport vmap @service_ips4",
                            "cluster, external and load-balancer IPs"),
                    new Rule("fib daddr type local ip daddr @nodeport_ips4 meta l4proto . th dport vmap @service_nodeports",
                            "NodePorts on the node's addresses"))),
            new Chain(MARK_FOR_MASQUERADE, null, List.of(
                    new Rule("meta mark set meta mark or " + MASQUERADE_MARK, "masqueraded in postrouting"))),
            new Chain("prerouting", PREROUTING, List.of(
                    // Without these, a port published on every address would be reachable through the gateway
                    // of another network, and the reply path would depend on it.
                    new Rule("iifname @bridges ip daddr @subnets4 iifname . ip daddr != @bridge_nets4 return",
                            "another network's gateway is no way in"),
                    new Rule("iifname @bridges ip6 daddr @subnets6 iifname . ip6 daddr != @bridge_nets6 return",
                            "another network's gateway is no way in, IPv6"),
                    new Rule("jump services", "services, before published ports"),
                    // As Docker's addrtype LOCAL: only traffic for the node itself is published, never traffic
                    // the node forwards (a hostIP must be one of the node's addresses to take effect).
                    new Rule("fib daddr type local jump published", "published ports, from outside the node and from pods"))),
            new Chain("output", OUTPUT, List.of(
                    // A DNATed packet from 127.0.0.1 would be a martian on the bridge (as in Docker without
                    // its userland proxy): loopback is left alone.
                    new Rule("ip daddr 127.0.0.0/8 return", "loopback is not published"),
                    new Rule("ip6 daddr ::1 return", "loopback is not published, IPv6"),
                    new Rule("jump services", "services, from the node itself"),
                    new Rule("fib daddr type local jump published", "published ports, from the node itself"))),
            // One map lookup per family and kind, however many ports: a miss leaves the packet alone. A port on one
            // address comes first, so that it wins over the same port on every address (PortClash refuses that
            // pair anyway; the order only makes the table's behaviour obvious).
            new Chain("published", null, List.of(
                    new Rule("meta nfproto ipv4 dnat ip to ip daddr . meta l4proto . th dport map @published4_addr",
                            "IPv4 ports published on one address"),
                    new Rule("meta nfproto ipv4 dnat ip to meta l4proto . th dport map @published4",
                            "IPv4 ports published on every address"),
                    new Rule("meta nfproto ipv6 dnat ip6 to ip6 daddr . meta l4proto . th dport map @published6_addr",
                            "IPv6 ports published on one address"),
                    new Rule("meta nfproto ipv6 dnat ip6 to meta l4proto . th dport map @published6",
                            "IPv6 ports published on every address"))),
            new Chain("postrouting", POSTROUTING, List.of(
                    new Rule("meta mark & " + MASQUERADE_MARK + " == " + MASQUERADE_MARK + " meta mark set meta mark & "
                            + CLEAR_MARKS + " masquerade", "services: what the service chains marked (hairpin, external)"),
                    // The pick chains DNAT without a chain per endpoint: an endpoint that reached itself is told by
                    // its source being its new destination.
                    new Rule("meta mark & " + SERVICE_DNAT_MARK + " == " + SERVICE_DNAT_MARK
                            + " ip saddr . ip daddr @" + SERVICE_HAIRPIN4 + " meta mark set meta mark & " + CLEAR_MARKS
                            + " masquerade", "services: hairpin, an endpoint reaching its own service"),
                    new Rule("meta mark & " + SERVICE_DNAT_MARK + " == " + SERVICE_DNAT_MARK + " meta mark set meta mark & "
                            + CLEAR_MARKS + " return", "services: the rest of service traffic keeps its source"),
                    // A pod reaching a published port of its own network would get the reply straight from the
                    // other pod, from an address it did not talk to: masquerade so the reply returns via the node.
                    new Rule("ct status dnat oifname . ip saddr @bridge_nets4 masquerade",
                            "hairpin: a pod reaching a published port of its own network"),
                    new Rule("ct status dnat oifname . ip6 saddr @bridge_nets6 masquerade", "hairpin, IPv6"),
                    // Destinations in Drover subnets (other nodes' pods, later) keep the pod's address.
                    new Rule("oifname != @bridges ip saddr @nat_subnets4 ip daddr != @subnets4 masquerade",
                            "natOutgoing: pods leave the node with its address"),
                    new Rule("oifname != @bridges ip6 saddr @nat_subnets6 ip6 daddr != @subnets6 masquerade",
                            "natOutgoing, IPv6"))));

    /** Every chain of the fixed shape: the above, then the services' shared pick chains ({@link ServicePicks}). */
    static final List<Chain> CHAINS = java.util.stream.Stream.concat(BASE_CHAINS.stream(), ServicePicks.chains().stream())
            .toList();

    /**
     * A fingerprint of the shape above: it changes whenever a set, a chain or a rule does. Stored in the table (in
     * the comment of {@code bridges}, which nft's JSON listing shows), it tells an agent after a restart or an
     * upgrade whether the kernel's rules are the ones this build writes; elements are compared separately.
     */
    static final String RULESET = fingerprint();

    private static String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((SETS + "\n" + CHAINS).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    static String setComment(SetDecl set) {
        return set.name().equals(BRIDGES) ? set.comment() + "; ruleset " + RULESET : set.comment();
    }

    /** The set signatures by name, as {@link ProgrammedTable#sets()} reads them: the fixed sets, then the policy's. */
    static Map<String, String> setSignatures(PolicyRules policy, ServiceRules services) {
        Map<String, String> out = new LinkedHashMap<>();
        SETS.forEach(s -> out.put(s.name(), s.signature()));
        out.putAll(policy.setSignatures());
        out.putAll(services.setSignatures());
        return out;
    }

    /** The chain signatures by name, as {@link ProgrammedTable#chains()} reads them. */
    static Map<String, String> chainSignatures(PolicyRules policy, ServiceRules services) {
        Map<String, String> out = new LinkedHashMap<>();
        CHAINS.forEach(c -> out.put(c.name(), c.signature()));
        policy.chains().forEach(c -> out.put(c.name(), ""));
        services.chains().forEach(c -> out.put(c.name(), ""));
        return out;
    }

    /** The rule comments of every chain, in order, as {@link ProgrammedTable#ruleComments()} reads them. */
    static Map<String, List<String>> ruleComments(PolicyRules policy, ServiceRules services) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        CHAINS.forEach(c -> out.put(c.name(), c.rules().stream().map(r -> NftWriter.commentText(r.comment())).toList()));
        out.putAll(policy.ruleComments());
        out.putAll(services.ruleComments());
        return out;
    }

    /** Whether the programmed table has this shape with these policy and service chains and sets (elements aside). */
    static boolean shapeMatches(ProgrammedTable table, PolicyRules policy, ServiceRules services) {
        return table.exists()
                && RULESET.equals(table.ruleset())
                && setSignatures(policy, services).equals(table.sets())
                && chainSignatures(policy, services).equals(table.chains())
                && ruleComments(policy, services).equals(table.ruleComments());
    }

    /**
     * The whole transaction: create the table if missing (so the delete cannot fail), delete it, and define it
     * afresh. nft applies the file atomically, so packets see the old table or the new one, never a mix or none;
     * conntrack entries (and so NAT bindings of established connections) live outside the table and survive.
     * Deleting rather than flushing also removes sets and chains an older ruleset had and this one has not.
     * The dispatch maps' elements jump to pod chains, which must exist first: they are added after the table.
     */
    static String script(String family, String table, TableElements elements, PolicyRules policy,
            ServiceRules services) {
        NftWriter out = new NftWriter();
        out.line("# Drover node rules, ruleset " + RULESET + ": one transaction replaces the whole table.");
        out.line("table " + family + " " + table);
        out.line("delete table " + family + " " + table);
        out.open("table " + family + " " + table);
        out.line(NftWriter.comment("owned by the Drover agent, which rewrites it: do not edit; ruleset " + RULESET));
        for (SetDecl set : SETS) {
            writeSet(out, set.name(), set.declaration(), set.mapsTo() != null,
                    set.interval(), setComment(set), DISPATCH_MAPS.contains(set.name()) ? Set.of() : elements.of(set.name()));
        }
        for (PolicyRules.PeerSet set : policy.sets()) {
            writeSet(out, set.name(), "type " + set.type(), false, true, set.comment(), elements.of(set.name()));
        }
        for (ServiceRules.AffinitySet set : services.sets()) {
            out.blank();
            out.line("set " + set.name() + " " + set.declaration());
        }
        for (Chain chain : CHAINS) {
            writeChain(out, chain.name(), chain.hook(), chain.rules());
        }
        for (PolicyRules.PodChain chain : policy.chains()) {
            writeChain(out, chain.name(), null, chain.rules());
        }
        for (ServiceRules.ServiceChain chain : services.chains()) {
            writeChain(out, chain.name(), null, chain.rules());
        }
        out.close();
        for (String map : DISPATCH_MAPS.stream().sorted().toList()) {
            Set<SetElement> members = elements.of(map);
            if (!members.isEmpty()) {
                out.line("add element " + family + " " + table + " " + map + " { "
                        + members.stream().map(SetElement::render).collect(Collectors.joining(", ")) + " }");
            }
        }
        return out.toString();
    }

    private static void writeSet(NftWriter out, String name, String declaration, boolean map, boolean interval,
            String comment, Set<SetElement> members) {
        out.blank();
        out.open((map ? "map " : "set ") + name);
        out.line(declaration);
        if (interval) {
            out.line("flags interval");
        }
        out.line(NftWriter.comment(comment));
        if (!members.isEmpty()) {
            out.open("elements =");
            List<String> lines = members.stream().map(SetElement::render).collect(Collectors.toList());
            for (int i = 0; i < lines.size(); i++) {
                out.line(lines.get(i) + (i + 1 < lines.size() ? "," : ""));
            }
            out.close();
        }
        out.close();
    }

    static void writeChain(NftWriter out, String name, Hook hook, List<Rule> rules) {
        out.blank();
        out.open("chain " + name);
        if (hook != null) {
            out.line("type " + hook.type() + " hook " + hook.hook() + " priority " + hook.priorityName() + "; policy accept;");
        }
        for (Rule rule : rules) {
            out.line(rule.text() + " " + NftWriter.comment(rule.comment()));
        }
        out.close();
    }
}
