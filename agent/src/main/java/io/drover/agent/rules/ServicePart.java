package io.drover.agent.rules;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one service (all its ports) brings to the node's table, rendered from its ports alone: the unit in which
 * {@link ServiceRules} changes, so that one service coming, going or changing costs its own rendering and nothing of
 * the others'.
 *
 * <p>Within the service, an element two ports bring (their cluster IP, a local endpoint's hairpin pair) is kept once,
 * from the first port by name, so that the same ports in any order give the same part.
 *
 * @param key      {@code namespace/name}
 * @param ports    the service's ports, by display name
 * @param elements the elements of the fixed service sets and maps, by set
 * @param chains   the chains of ports that need their own ({@link ServicePortRules})
 * @param sets     their ClientIP affinity sets
 * @param claims   the keys this service holds alone (set name, a space, the key): two services claiming one refuse
 *                 each other
 * @param udpFlows the UDP frontends and endpoints it balances, whose conntrack entries go when the endpoint does
 */
record ServicePart(String key, List<ServiceRuleInput> ports, Map<String, List<SetElement>> elements,
        List<ServiceRules.ServiceChain> chains, List<ServiceRules.AffinitySet> sets, List<String> claims,
        Set<ServiceRules.UdpFlow> udpFlows) {

    /** Elements several services may bring: written once, deleted when the last service bringing them goes. */
    static final Set<String> SHARED_SETS = Set.of(DroverTable.SERVICE_HAIRPIN4);

    /**
     * Elements whose key starts with a key of a dispatch map the same service claims (the endpoints by slot, the
     * masquerade sets): a clash there is a clash in the dispatch map already, so they need no claim of their own,
     * which would cost a lookup for each of hundreds of thousands of elements.
     */
    private static final Set<String> OWNED_THROUGH_DISPATCH = Set.of(DroverTable.SERVICE_ENDPOINTS4,
            DroverTable.SERVICE_NODEPORT_ENDPOINTS, DroverTable.SERVICE_MASQUERADE4, DroverTable.SERVICE_OFFNET4);

    /** Ports two of which bring the same element: kept once (a cluster IP is every port's). */
    private static final Set<String> ONCE_PER_SERVICE = Set.of(DroverTable.CLUSTER_IPS4, DroverTable.SERVICE_HAIRPIN4);

    ServicePart {
        ports = List.copyOf(ports);
        Map<String, List<SetElement>> copy = new LinkedHashMap<>();
        elements.forEach((set, members) -> copy.put(set, List.copyOf(members)));
        elements = java.util.Collections.unmodifiableMap(copy);
        chains = List.copyOf(chains);
        sets = List.copyOf(sets);
        claims = List.copyOf(claims);
        udpFlows = Set.copyOf(udpFlows);
    }

    /** The key of a service port's service. */
    static String keyOf(ServiceRuleInput port) {
        return port.namespace() + "/" + port.name();
    }

    /** Renders the ports of one service (all of the same {@link #keyOf}, at least one) for a node with this config. */
    static ServicePart render(List<ServiceRuleInput> ports, ServiceNodeConfig config) {
        List<ServiceRuleInput> sorted = ports.stream().sorted(Comparator.comparing(ServiceRuleInput::displayName)).toList();
        String key = keyOf(sorted.getFirst());
        Map<String, List<SetElement>> elements = new LinkedHashMap<>();
        Set<String> once = new java.util.HashSet<>();
        List<ServiceRules.ServiceChain> chains = new ArrayList<>();
        List<ServiceRules.AffinitySet> sets = new ArrayList<>();
        Set<String> claims = new LinkedHashSet<>();
        // Claimed last: two services on one address and port are better told by that than by their cluster IP.
        Set<String> clusterIps = new LinkedHashSet<>();
        Set<ServiceRules.UdpFlow> udpFlows = new LinkedHashSet<>();
        for (ServiceRuleInput port : sorted) {
            if (!keyOf(port).equals(key)) {
                throw new IllegalArgumentException("service ports of " + key + " and " + keyOf(port)
                        + " cannot be rendered as one service");
            }
            ServiceRules.Part rendered = ServicePortRules.render(port, config);
            chains.addAll(rendered.chains());
            sets.addAll(rendered.sets());
            addUdpFlows(port, udpFlows);
            rendered.elements().forEach((set, members) -> {
                for (SetElement e : members) {
                    if (ONCE_PER_SERVICE.contains(set) && !once.add(set + " " + e.key())) {
                        continue;
                    }
                    if (set.equals(DroverTable.CLUSTER_IPS4)) {
                        clusterIps.add(set + " " + e.key());
                    } else if (!SHARED_SETS.contains(set) && !OWNED_THROUGH_DISPATCH.contains(set)) {
                        claims.add(set + " " + e.key());
                    }
                    elements.computeIfAbsent(set, s -> new ArrayList<>()).add(e);
                }
            });
        }
        claims.addAll(clusterIps);
        return new ServicePart(key, sorted, elements, chains, sets, List.copyOf(claims), udpFlows);
    }

    /**
     * UDP has no connection end: conntrack keeps sending a client's datagrams to the endpoint it chose until the
     * entry times out, so the flows to a ready endpoint are remembered, to be forgotten when it goes.
     */
    private static void addUdpFlows(ServiceRuleInput service, Set<ServiceRules.UdpFlow> into) {
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
            frontends.forEach(f -> into.add(new ServiceRules.UdpFlow(f, service.port(), e.ip())));
            if (service.nodePort() != 0) {
                into.add(new ServiceRules.UdpFlow(null, service.nodePort(), e.ip()));
            }
        }
    }

    /** The elements of one set, none when it brings none. */
    List<SetElement> elementsOf(String set) {
        return elements.getOrDefault(set, List.of());
    }

    /**
     * Equal when rendered from equal ports: the rendering is a function of the ports and the node's configuration,
     * which {@link ServiceRules} compares on its own. Cheaper than comparing what was rendered, and the same object
     * (the usual case: a service that did not change) answers at once.
     */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof ServicePart p && key.equals(p.key) && ports.equals(p.ports);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, ports);
    }
}
