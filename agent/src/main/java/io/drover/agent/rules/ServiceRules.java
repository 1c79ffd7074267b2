package io.drover.agent.rules;

import io.drover.model.net.IpAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The services part of a node's table: what varies with the services, next to the fixed dispatch of
 * {@link DroverTable} ({@code services} in prerouting and output, {@code service_checks} in the filter hooks,
 * {@code service_firewall} before DNAT, the masquerade in postrouting).
 *
 * <p>Each service port brings elements of the fixed maps, keyed by {@code address . protocol . port} or
 * {@code protocol . port}, so that a packet finds its service in one lookup however many services there are: for
 * most ports nothing else (their endpoints are elements too, chosen by the shared pick chains of {@link ServicePicks}),
 * for the others their own chains and affinity sets ({@link ServicePortRules}). One service or endpoint changing changes only its own
 * elements, chains and sets ({@link ServiceTransition}).
 *
 * @param chains   every service port's chains, by service port then purpose
 * @param sets     the ClientIP affinity sets (their elements are the kernel's: clients it saw, with timeouts)
 * @param elements the elements of the fixed service sets and maps
 */
public record ServiceRules(List<ServiceChain> chains, List<AffinitySet> sets, TableElements elements,
        Set<UdpFlow> udpFlows) {

    /**
     * A UDP service address and port ({@code frontend} null for a NodePort, on any local address) balanced to an
     * endpoint. UDP has no connection end: conntrack keeps sending a client's datagrams to the endpoint it chose
     * until the entry times out, so when the endpoint goes its entries must be deleted (kube-proxy does the same).
     */
    public record UdpFlow(InetAddress frontend, int port, InetAddress endpoint) {
        public UdpFlow {
            Objects.requireNonNull(endpoint, "endpoint");
        }
    }

    /** A chain of one service port. */
    record ServiceChain(String name, List<DroverTable.Rule> rules) {
        ServiceChain {
            rules = List.copyOf(rules);
        }
    }

    /** The clients an endpoint serves under ClientIP affinity, each forgotten {@code timeoutSeconds} after its last connection. */
    record AffinitySet(String name, long timeoutSeconds, String comment) {
        /** As {@link ProgrammedTable#sets()} reads it back (nft lists the timeout flag, not dynamic). */
        String signature() {
            return "ipv4_addr timeout";
        }

        /** The set's declaration, for inside a table block or after {@code add set TABLE}. */
        String declaration() {
            return "{ type ipv4_addr; flags dynamic,timeout; timeout " + timeoutSeconds + "s; "
                    + NftWriter.comment(comment) + "; }";
        }
    }

    /** What one service port brings; {@code name} is its display name, the order of the table's text. */
    record Part(ServiceRuleInput source, String name, List<ServiceChain> chains, List<AffinitySet> sets,
            Map<String, List<SetElement>> elements) {

        Part(ServiceRuleInput source, List<ServiceChain> chains, List<AffinitySet> sets,
                Map<String, List<SetElement>> elements) {
            this(source, source.displayName(), List.copyOf(chains), List.copyOf(sets), Map.copyOf(elements));
        }
    }

    /**
     * Elements that belong to no one service: a cluster IP that several ports share, the hairpin pair of an endpoint
     * that several services share. Written once, whoever names them.
     */
    private static final Set<String> SHARED_ELEMENTS = Set.of(DroverTable.CLUSTER_IPS4, DroverTable.SERVICE_HAIRPIN4);

    /**
     * Elements whose key starts with a key of a dispatch map the same service holds (the endpoints by slot): a clash
     * there is a clash in the dispatch map already, so they need no owner check of their own, which would cost a
     * lookup for each of hundreds of thousands of elements on every sync.
     */
    private static final Set<String> OWNED_THROUGH_DISPATCH = Set.of(DroverTable.SERVICE_ENDPOINTS4,
            DroverTable.SERVICE_NODEPORT_ENDPOINTS, DroverTable.SERVICE_MASQUERADE4, DroverTable.SERVICE_OFFNET4);

    /** The sets and maps service elements go to, in the order scripts write them. */
    private static final List<String> SERVICE_SETS = List.of(DroverTable.SERVICE_CIDRS4, DroverTable.NODEPORT_IPS4,
            DroverTable.CLUSTER_IPS4, DroverTable.SERVICE_IPS4, DroverTable.SERVICE_NODEPORTS,
            DroverTable.FIREWALL_IPS4, DroverTable.NO_ENDPOINT_IPS4, DroverTable.NO_ENDPOINT_NODEPORTS,
            DroverTable.SERVICE_ENDPOINTS4, DroverTable.SERVICE_NODEPORT_ENDPOINTS, DroverTable.SERVICE_HAIRPIN4,
            DroverTable.SERVICE_MASQUERADE4, DroverTable.SERVICE_OFFNET4);

    public static final ServiceRules NONE = new ServiceRules(List.of(), List.of(), TableElements.NONE);

    public ServiceRules {
        chains = List.copyOf(chains);
        sets = List.copyOf(sets);
        udpFlows = Set.copyOf(udpFlows);
    }

    public ServiceRules(List<ServiceChain> chains, List<AffinitySet> sets, TableElements elements) {
        this(chains, sets, elements, Set.of());
    }

    /** The UDP flows balanced under {@code before} that these rules no longer balance: their conntrack entries must go. */
    public Set<UdpFlow> udpFlowsGoneSince(ServiceRules before) {
        Set<UdpFlow> gone = new LinkedHashSet<>(before.udpFlows);
        gone.removeAll(udpFlows);
        return gone;
    }

    private static void addUdpFlows(ServiceRuleInput service, Set<UdpFlow> into) {
        if (!service.protocol().equals("UDP")) {
            return;
        }
        List<InetAddress> frontends = new ArrayList<>(service.clusterIps());
        frontends.addAll(service.externalIps());
        frontends.addAll(service.loadBalancerIps());
        for (ServiceEndpoint e : service.endpoints()) {
            if (!e.ready()) {
                continue;
            }
            frontends.forEach(f -> into.add(new UdpFlow(f, service.port(), e.ip())));
            if (service.nodePort() != 0) {
                into.add(new UdpFlow(null, service.nodePort(), e.ip()));
            }
        }
    }

    /**
     * The rules for these service ports on a node with this configuration; the same ports in any order give an
     * equal result. Two services claiming one address, protocol and port (or one NodePort) are refused with both
     * names: nft would refuse the second key anyway, and which service wins must not depend on order.
     */
    public static ServiceRules of(ServiceNodeConfig config, Collection<ServiceRuleInput> services) {
        return new ServiceRenderings().render(config, services);
    }

    /** Puts the rendered service ports together; see {@link #of}. */
    static ServiceRules assemble(ServiceNodeConfig config, Collection<Part> rendered) {
        Map<String, Set<SetElement>> elements = new LinkedHashMap<>();
        SERVICE_SETS.forEach(name -> elements.put(name, new LinkedHashSet<>()));
        config.serviceCidrs().forEach(c -> elements.get(DroverTable.SERVICE_CIDRS4)
                .add(SetElement.of(SetContents.prefix(c), "service CIDR")));
        if (config.nodePortAddresses().isEmpty()) {
            elements.get(DroverTable.NODEPORT_IPS4).add(SetElement.of("0.0.0.0/0", "NodePorts on every local address"));
        } else {
            config.nodePortAddresses().forEach(a -> elements.get(DroverTable.NODEPORT_IPS4)
                    .add(SetElement.of(IpAddresses.format(a), "NodePorts on this address")));
        }
        List<ServiceChain> chains = new ArrayList<>();
        List<AffinitySet> sets = new ArrayList<>();
        Map<String, String> owners = new HashMap<>();
        Set<String> shared = new java.util.HashSet<>();
        List<Part> sorted = rendered.stream().sorted(Comparator.comparing(Part::name)).toList();
        Set<UdpFlow> udpFlows = new LinkedHashSet<>();
        for (Part part : sorted) {
            ServiceRuleInput service = part.source();
            String who = service.namespace() + "/" + service.name();
            addUdpFlows(service, udpFlows);
            chains.addAll(part.chains());
            sets.addAll(part.sets());
            part.elements().forEach((map, members) -> {
                Set<SetElement> into = elements.get(map);
                for (SetElement e : members) {
                    if (SHARED_ELEMENTS.contains(map)) {
                        if (shared.add(map + " " + e.key())) {
                            into.add(e);
                        }
                        continue;
                    }
                    if (!OWNED_THROUGH_DISPATCH.contains(map)) {
                        String owner = owners.putIfAbsent(map + " " + e.key(), who);
                        if (owner != null && !owner.equals(who)) {
                            throw new IllegalArgumentException("services " + owner + " and " + who + " both claim "
                                    + e.key().replace(" . ", " ")
                                    + "; an address, protocol and port (or a NodePort) belongs to one service");
                        }
                    }
                    into.add(e);
                }
            });
        }
        Map<String, Set<SetElement>> frozen = new LinkedHashMap<>();
        // Frozen: shared as they are by NodeRules and the reconciler, never copied, and compared by hash first.
        elements.forEach((name, members) -> frozen.put(name, TableElements.frozen(members)));
        return new ServiceRules(chains, sets, new TableElements(frozen), udpFlows);
    }

    /** The affinity sets, whose elements the kernel adds and expires: never compared nor written element by element. */
    Set<String> dynamicSets() {
        return sets.stream().map(AffinitySet::name).collect(Collectors.toSet());
    }

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

    /** How many chains the services need (for logs and benchmarks). */
    public int chainCount() {
        return chains.size();
    }
}
