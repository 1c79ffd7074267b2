package io.drover.agent.rules;

import io.drover.model.net.IpAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The services part of a node's table: what varies with the services, next to the fixed dispatch of
 * {@link DroverTable} ({@code services} in prerouting and output, {@code service_checks} in the filter hooks,
 * {@code service_firewall} before DNAT, the masquerade in postrouting).
 *
 * <p>Each service port brings elements of the fixed maps, keyed by {@code address . protocol . port} or
 * {@code protocol . port}, so that a packet finds its service in one lookup however many services there are: for
 * most ports nothing else (their endpoints are elements too, chosen by the shared pick chains of {@link ServicePicks}),
 * for the others their own chains and affinity sets ({@link ServicePortRules}).
 *
 * <p>An immutable value, held service by service ({@link ServicePart}) in {@link PersistentMap}s: {@link #with} makes
 * the rules after some services changed by rendering those alone, and {@link #changeSince} tells what changed from an
 * earlier version by looking at those alone. With 10,000 services, one more costs its own elements, not a pass over
 * the others'. The whole table's view ({@link #elements}, {@link #chains}) is assembled only when asked, for writing
 * the table whole or comparing it with the kernel's.
 */
public final class ServiceRules {

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

    /** What one service port brings ({@link ServicePortRules}); {@link ServicePart} puts a service's ports together. */
    record Part(List<ServiceChain> chains, List<AffinitySet> sets, Map<String, List<SetElement>> elements) {
        Part {
            chains = List.copyOf(chains);
            sets = List.copyOf(sets);
            // In the order rendered: claims are checked in it, and the first clash found is the one reported.
            elements = Collections.unmodifiableMap(new LinkedHashMap<>(elements));
        }
    }

    /** A shared element ({@link ServicePart#SHARED_SETS}) of one set. */
    record SharedElement(String set, SetElement element) {}

    /** The sets and maps service elements go to, in the order scripts write them. */
    static final List<String> SERVICE_SETS = List.of(DroverTable.SERVICE_CIDRS4, DroverTable.NODEPORT_IPS4,
            DroverTable.CLUSTER_IPS4, DroverTable.SERVICE_IPS4, DroverTable.SERVICE_NODEPORTS,
            DroverTable.FIREWALL_IPS4, DroverTable.NO_ENDPOINT_IPS4, DroverTable.NO_ENDPOINT_NODEPORTS,
            DroverTable.SERVICE_ENDPOINTS4, DroverTable.SERVICE_NODEPORT_ENDPOINTS, DroverTable.SERVICE_HAIRPIN4,
            DroverTable.SERVICE_MASQUERADE4, DroverTable.SERVICE_OFFNET4);

    /** No services and no service configuration: the table's service sets stay empty. */
    public static final ServiceRules NONE = new ServiceRules(null, PersistentMap.empty(), PersistentMap.empty(),
            PersistentMap.empty(), PersistentMap.empty());

    /** Null only for {@link #NONE}. */
    private final ServiceNodeConfig config;
    /** Every service, by {@link ServicePart#keyOf}. */
    private final PersistentMap<String, ServicePart> services;
    /** Who holds each claimed key ({@link ServicePart#claims}), by key. */
    private final PersistentMap<String, String> owners;
    /** How many services bring each shared element. */
    private final PersistentMap<SharedElement, Integer> shared;
    /** How many service ports have each endpoint address, ready or not: the fast path's exempt set ({@link FastPath}). */
    private final PersistentMap<InetAddress, Integer> endpointAddresses;

    private ServiceRules(ServiceNodeConfig config, PersistentMap<String, ServicePart> services,
            PersistentMap<String, String> owners, PersistentMap<SharedElement, Integer> shared,
            PersistentMap<InetAddress, Integer> endpointAddresses) {
        this.config = config;
        this.services = services;
        this.owners = owners;
        this.shared = shared;
        this.endpointAddresses = endpointAddresses;
    }

    /**
     * The rules for these service ports on a node with this configuration, from nothing; the same ports in any order
     * give an equal result. Two services claiming one address, protocol and port (or one NodePort, or one cluster IP)
     * are refused with both names: nft would refuse the second key anyway, and which service wins must not depend
     * on order.
     */
    public static ServiceRules of(ServiceNodeConfig config, Collection<ServiceRuleInput> ports) {
        Map<String, List<ServiceRuleInput>> byService = new LinkedHashMap<>();
        ports.forEach(p -> byService.computeIfAbsent(ServicePart.keyOf(p), k -> new ArrayList<>()).add(p));
        return NONE.with(config, byService);
    }

    /**
     * These rules after some services changed: {@code changed} holds, by {@code namespace/name}, each changed
     * service's ports now (empty for a service that is gone, or has nothing to balance). Only those are rendered;
     * the rest are shared with this version. When {@code config} differs from this version's, every service is
     * rendered again (it shapes every rendering). Throws IllegalArgumentException, naming both, when two services
     * claim one key; this version is left as it was.
     */
    public ServiceRules with(ServiceNodeConfig config, Map<String, ? extends List<ServiceRuleInput>> changed) {
        Objects.requireNonNull(config, "config");
        if (!config.equals(this.config) && !services.isEmpty()) {
            Map<String, List<ServiceRuleInput>> everything = new LinkedHashMap<>();
            services.forEach((key, part) -> everything.put(key, part.ports()));
            everything.putAll(changed);
            return new ServiceRules(config, PersistentMap.empty(), PersistentMap.empty(), PersistentMap.empty(),
                    PersistentMap.empty())
                    .with(config, everything);
        }
        if (changed.isEmpty() && config.equals(this.config)) {
            return this;
        }
        PersistentMap.Editor<String, ServicePart> parts = services.edit();
        PersistentMap.Editor<String, String> claims = owners.edit();
        PersistentMap.Editor<SharedElement, Integer> counts = shared.edit();
        PersistentMap.Editor<InetAddress, Integer> endpoints = endpointAddresses.edit();
        // In a fixed order, so that which clash is reported first does not depend on the caller's map.
        Map<String, List<ServiceRuleInput>> sorted = new TreeMap<>(changed);
        for (String key : sorted.keySet()) {
            ServicePart old = parts.get(key);
            if (old != null) {
                release(old, claims, counts);
                countEndpoints(old, endpoints, -1);
                parts.remove(key);
            }
        }
        sorted.forEach((key, ports) -> {
            if (ports.isEmpty()) {
                return;
            }
            ServicePart part = ServicePart.render(ports, config);
            if (!part.key().equals(key)) {
                throw new IllegalArgumentException("the ports given for service " + key + " are those of " + part.key());
            }
            claim(part, claims, counts);
            countEndpoints(part, endpoints, 1);
            parts.put(key, part);
        });
        return new ServiceRules(config, parts.done(), claims.done(), counts.done(), endpoints.done());
    }

    private static void countEndpoints(ServicePart part, PersistentMap.Editor<InetAddress, Integer> counts, int delta) {
        for (ServiceRuleInput port : part.ports()) {
            for (ServiceEndpoint endpoint : port.endpoints()) {
                Integer count = counts.get(endpoint.ip());
                int now = (count == null ? 0 : count) + delta;
                if (now <= 0) {
                    counts.remove(endpoint.ip());
                } else {
                    counts.put(endpoint.ip(), now);
                }
            }
        }
    }

    /** Every address that is an endpoint of some service port, ready or not. */
    public Set<InetAddress> endpointAddresses() {
        Set<InetAddress> out = new java.util.HashSet<>();
        endpointAddresses.forEach((address, count) -> out.add(address));
        return out;
    }

    /** Whether {@code address} is an endpoint of some service port, ready or not. */
    public boolean isEndpointAddress(InetAddress address) {
        return endpointAddresses.get(address) != null;
    }

    /** The addresses that were endpoints in {@code before} and are no endpoint now, by looking at what changed only. */
    public Set<InetAddress> endpointAddressesGoneSince(ServiceRules before) {
        Set<InetAddress> gone = new java.util.HashSet<>();
        endpointAddressChangesSince(before).forEach((address, added) -> {
            if (!added) {
                gone.add(address);
            }
        });
        return gone;
    }

    /** The endpoint addresses that came (true) or went (false) since {@code before}, by looking at what changed only. */
    FastPath.ExemptChanges endpointAddressChangesSince(ServiceRules before) {
        return change -> PersistentMap.diff(before.endpointAddresses, endpointAddresses, (address, was, is) -> {
            if (was == null) {
                change.accept(address, true);
            } else if (is == null) {
                change.accept(address, false);
            }
        });
    }

    private static void release(ServicePart part, PersistentMap.Editor<String, String> claims,
            PersistentMap.Editor<SharedElement, Integer> counts) {
        for (String claim : part.claims()) {
            if (part.key().equals(claims.get(claim))) {
                claims.remove(claim);
            }
        }
        forEachShared(part, e -> {
            int left = counts.get(e) - 1;
            if (left == 0) {
                counts.remove(e);
            } else {
                counts.put(e, left);
            }
        });
    }

    private static void claim(ServicePart part, PersistentMap.Editor<String, String> claims,
            PersistentMap.Editor<SharedElement, Integer> counts) {
        for (String claim : part.claims()) {
            String owner = claims.get(claim);
            if (owner != null && !owner.equals(part.key())) {
                String first = owner.compareTo(part.key()) < 0 ? owner : part.key();
                String second = first.equals(owner) ? part.key() : owner;
                String set = claim.substring(0, claim.indexOf(' '));
                String what = (set.equals(DroverTable.CLUSTER_IPS4) ? "cluster IP " : "")
                        + claim.substring(set.length() + 1).replace(" . ", " ");
                throw new IllegalArgumentException("services " + first + " and " + second + " both claim " + what
                        + "; an address, protocol and port (or a NodePort, or a cluster IP) belongs to one service");
            }
            claims.put(claim, part.key());
        }
        forEachShared(part, e -> {
            Integer count = counts.get(e);
            counts.put(e, count == null ? 1 : count + 1);
        });
    }

    private static void forEachShared(ServicePart part, Consumer<SharedElement> action) {
        for (String set : ServicePart.SHARED_SETS) {
            part.elementsOf(set).forEach(e -> action.accept(new SharedElement(set, e)));
        }
    }

    /** How many services these rules balance. */
    public int serviceCount() {
        return services.size();
    }

    /** The services, by key: the order of the table's text. */
    private List<ServicePart> sortedParts() {
        List<ServicePart> parts = services.values();
        parts.sort(Comparator.comparing(ServicePart::key));
        return parts;
    }

    /** Every service chain, service by service (assembled: for writing or comparing the table whole). */
    public List<ServiceChain> chains() {
        return sortedParts().stream().flatMap(p -> p.chains().stream()).toList();
    }

    /** Every affinity set (assembled: for writing or comparing the table whole). */
    public List<AffinitySet> sets() {
        return sortedParts().stream().flatMap(p -> p.sets().stream()).toList();
    }

    /** Every UDP flow these rules balance (assembled). */
    public Set<UdpFlow> udpFlows() {
        Set<UdpFlow> out = new LinkedHashSet<>();
        sortedParts().forEach(p -> out.addAll(p.udpFlows()));
        return out;
    }

    /** The elements of the fixed service sets and maps (assembled: for writing or comparing the table whole). */
    public TableElements elements() {
        Map<String, Set<SetElement>> elements = configElements(config);
        for (ServicePart part : sortedParts()) {
            part.elements().forEach((set, members) -> elements.get(set).addAll(members));
        }
        return new TableElements(elements);
    }

    /** The elements the node's configuration brings, whatever the services: every service set, empty or not. */
    private static Map<String, Set<SetElement>> configElements(ServiceNodeConfig config) {
        Map<String, Set<SetElement>> elements = new LinkedHashMap<>();
        SERVICE_SETS.forEach(name -> elements.put(name, new LinkedHashSet<>()));
        if (config == null) {
            return elements;
        }
        config.serviceCidrs().forEach(c -> elements.get(DroverTable.SERVICE_CIDRS4)
                .add(SetElement.of(SetContents.prefix(c), "service CIDR")));
        if (config.nodePortAddresses().isEmpty()) {
            elements.get(DroverTable.NODEPORT_IPS4).add(SetElement.of("0.0.0.0/0", "NodePorts on every local address"));
        } else {
            config.nodePortAddresses().forEach(a -> elements.get(DroverTable.NODEPORT_IPS4)
                    .add(SetElement.of(IpAddresses.format(a), "NodePorts on this address")));
        }
        return elements;
    }

    /**
     * What changes from {@code before} to these rules: the services that differ alone are looked at (all of them
     * when the node's configuration changed, which shapes every rendering).
     */
    ServiceChange changeSince(ServiceRules before) {
        if (before == this) {
            return ServiceChange.NONE;
        }
        List<ServicePart> gone = new ArrayList<>();
        List<ServicePart> come = new ArrayList<>();
        differingParts(before, gone, come);
        Map<String, Set<SetElement>> was = configElements(before.config);
        Map<String, Set<SetElement>> is = configElements(config);
        gone.forEach(p -> p.elements().forEach((set, members) -> was.get(set).addAll(members)));
        come.forEach(p -> p.elements().forEach((set, members) -> is.get(set).addAll(members)));
        // A shared element some other service still brings stays; one that another service already brought is there.
        for (String set : ServicePart.SHARED_SETS) {
            was.get(set).removeIf(e -> shared.containsKey(new SharedElement(set, e)));
            is.get(set).removeIf(e -> before.shared.containsKey(new SharedElement(set, e)));
        }
        return ServiceChange.between(was, is, gone, come, udpFlowsGone(gone, come));
    }

    /**
     * The services that differ between {@code before} and these rules, as they were ({@code gone}) and as they are
     * ({@code come}), by key: all of them when the node's configuration changed, which shapes every rendering.
     */
    private void differingParts(ServiceRules before, List<ServicePart> gone, List<ServicePart> come) {
        if (Objects.equals(before.config, config)) {
            PersistentMap.diff(before.services, services, (key, old, now) -> {
                if (old != null) {
                    gone.add(old);
                }
                if (now != null) {
                    come.add(now);
                }
            });
        } else {
            gone.addAll(before.services.values());
            come.addAll(services.values());
        }
        gone.sort(Comparator.comparing(ServicePart::key));
        come.sort(Comparator.comparing(ServicePart::key));
    }

    /** A flow belongs to one service port (its frontend and port are claimed), so only differing services hold it. */
    private static Set<UdpFlow> udpFlowsGone(List<ServicePart> gone, List<ServicePart> come) {
        Set<UdpFlow> flows = new LinkedHashSet<>();
        gone.forEach(p -> flows.addAll(p.udpFlows()));
        come.forEach(p -> p.udpFlows().forEach(flows::remove));
        return flows;
    }

    /** The UDP flows balanced under {@code before} that these rules no longer balance: their conntrack entries must go. */
    public Set<UdpFlow> udpFlowsGoneSince(ServiceRules before) {
        if (before == this) {
            return Set.of();
        }
        List<ServicePart> gone = new ArrayList<>();
        List<ServicePart> come = new ArrayList<>();
        differingParts(before, gone, come);
        return udpFlowsGone(gone, come);
    }

    /** The affinity sets, whose elements the kernel adds and expires: never compared nor written element by element. */
    Set<String> dynamicSets() {
        return sets().stream().map(AffinitySet::name).collect(Collectors.toSet());
    }

    Map<String, String> setSignatures() {
        Map<String, String> out = new LinkedHashMap<>();
        sets().forEach(s -> out.put(s.name(), s.signature()));
        return out;
    }

    Map<String, List<String>> ruleComments() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        chains().forEach(c -> out.put(c.name(), c.rules().stream().map(r -> NftWriter.commentText(r.comment())).toList()));
        return out;
    }

    /** How many chains the services need (for logs and benchmarks). */
    public int chainCount() {
        int[] count = {0};
        services.forEach((key, part) -> count[0] += part.chains().size());
        return count[0];
    }

    /**
     * Equal when made for the same configuration from equal services. Versions of one lineage share most of their
     * services, which then compare by identity: cheap however many services there are.
     */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof ServiceRules r && Objects.equals(config, r.config) && services.equals(r.services);
    }

    @Override
    public int hashCode() {
        return Objects.hash(config, services);
    }

    @Override
    public String toString() {
        return "ServiceRules[" + services.size() + " services]";
    }
}
