package io.drover.agent.rules;

import static io.drover.agent.rules.PolicyRules.rule;

import io.drover.agent.rules.ServiceRuleInput.Algorithm;
import io.drover.agent.rules.ServiceRuleInput.TrafficPolicy;
import io.drover.model.net.IpAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one service port contributes to the node's table, computed from the port alone, with kube-proxy's
 * nftables-mode semantics. Most ports need no chain of their own: their frontends lead to the table's shared pick
 * chains and their endpoints are elements of the pick maps ({@link ServicePicks}), so that a service is a handful of
 * elements. The ports a shared chain cannot serve (ClientIP affinity, round-robin, externalTrafficPolicy Local on
 * external addresses, more slots than a pick chain draws among) keep kube-proxy's layout:
 * <ul>
 *   <li>its addresses as elements of the dispatch maps: {@code service_ips4} (cluster, external and load-balancer
 *       IPs) and {@code service_nodeports} lead to its chains; {@code no_endpoint_ips4} and
 *       {@code no_endpoint_nodeports} reject (no endpoints at all) or drop (none under a Local policy) what would
 *       find no endpoint; {@code firewall_ips4} applies loadBalancerSourceRanges; {@code cluster_ips4} lets ports
 *       the service does not serve be rejected;</li>
 *   <li>a chain per policy ({@code svc.}: every ready endpoint, {@code local.}: those on this node), one for external
 *       traffic ({@code ext.}: masquerade under Cluster; under Local keep the source and choose a local endpoint), one
 *       per endpoint ({@code ep.}: hairpin masquerade, affinity, DNAT) and one for the source ranges ({@code fw.});</li>
 *   <li>a timeout set per endpoint for ClientIP affinity.</li>
 * </ul>
 */
final class ServicePortRules {

    private final ServiceRuleInput service;
    private final ServiceNodeConfig config;
    private final ServiceNames names;
    private final String comment;
    private final List<ServiceRules.ServiceChain> chains = new ArrayList<>();
    private final List<ServiceRules.AffinitySet> sets = new ArrayList<>();
    private final Map<String, List<SetElement>> elements = new LinkedHashMap<>();
    private final Set<ServiceEndpoint> chosen = new LinkedHashSet<>();

    private ServicePortRules(ServiceRuleInput service, ServiceNodeConfig config) {
        this.service = service;
        this.config = config;
        this.names = new ServiceNames(service);
        this.comment = "service " + service.displayName();
    }

    /** The port's chains, affinity sets and elements. */
    static ServiceRules.Part render(ServiceRuleInput service, ServiceNodeConfig config) {
        return new ServicePortRules(service, config).render();
    }

    private ServiceRules.Part render() {
        List<ServiceEndpoint> ready = service.endpoints().stream()
                .filter(ServiceEndpoint::ready)
                .filter(e -> service.algorithm() != Algorithm.WEIGHTED || e.weight() > 0)
                .toList();
        List<ServiceEndpoint> local = ready.stream().filter(ServiceEndpoint::local).toList();
        boolean internalLocal = service.internalTrafficPolicy() == TrafficPolicy.LOCAL;
        boolean externalLocal = service.externalTrafficPolicy() == TrafficPolicy.LOCAL;
        boolean hasEndpoints = !ready.isEmpty();
        boolean hasInternalEndpoints = internalLocal ? !local.isEmpty() : hasEndpoints;
        boolean hasExternalEndpoints = externalLocal ? !local.isEmpty() : hasEndpoints;
        // As kube-proxy: without any endpoint the service refuses at once; with endpoints, none of them local under a
        // Local policy, the traffic that policy concerns is dropped (another node may serve it).
        String noEndpointVerdict = hasEndpoints ? "drop" : "goto " + DroverTable.SERVICE_REJECT;

        if (ServicePicks.shared(service, ready)) {
            return renderShared(ready, local, hasEndpoints, hasInternalEndpoints, noEndpointVerdict);
        }
        boolean needsCluster = hasEndpoints && (!internalLocal || service.externallyReachable());
        boolean needsLocal = !local.isEmpty() && (internalLocal || externalLocal && service.externallyReachable());
        String internalChain = internalLocal ? names.local() : names.cluster();
        if (needsCluster) {
            chains.add(policyChain(names.cluster(), ready, !internalLocal && hasInternalEndpoints,
                    "every ready endpoint"));
        }
        if (needsLocal) {
            chains.add(policyChain(names.local(), local, internalLocal, "the ready endpoints on this node"));
        }
        if (hasEndpoints && service.externallyReachable()) {
            chains.add(externalChain(externalLocal, needsLocal));
        }
        boolean firewalled = !service.loadBalancerSourceRanges().isEmpty() && !service.loadBalancerIps().isEmpty();
        if (firewalled) {
            chains.add(firewallChain());
        }
        chosen.forEach(this::endpointChain);

        String proto = service.protocolName();
        for (InetAddress ip : service.clusterIps()) {
            String key = key(ip);
            add(DroverTable.CLUSTER_IPS4, SetElement.of(IpAddresses.format(ip), comment));
            if (hasInternalEndpoints) {
                add(DroverTable.SERVICE_IPS4, SetElement.mapping(key, "goto " + internalChain, comment));
            } else {
                add(DroverTable.NO_ENDPOINT_IPS4, SetElement.mapping(key, noEndpointVerdict, comment));
            }
        }
        List<InetAddress> external = new ArrayList<>(service.externalIps());
        external.addAll(service.loadBalancerIps());
        for (InetAddress ip : external) {
            String key = key(ip);
            // Pods and the node reach external addresses through the cluster endpoints even when no local endpoint
            // serves outside clients: the map leads there as long as any endpoint exists.
            if (hasEndpoints) {
                add(DroverTable.SERVICE_IPS4, SetElement.mapping(key, "goto " + names.external(), comment));
            }
            if (!hasExternalEndpoints) {
                add(DroverTable.NO_ENDPOINT_IPS4, SetElement.mapping(key, noEndpointVerdict, comment));
            }
        }
        if (firewalled) {
            for (InetAddress ip : service.loadBalancerIps()) {
                add(DroverTable.FIREWALL_IPS4, SetElement.mapping(key(ip), "goto " + names.firewall(), comment));
            }
        }
        if (service.nodePort() != 0) {
            String key = proto + " . " + service.nodePort();
            if (hasEndpoints) {
                add(DroverTable.SERVICE_NODEPORTS, SetElement.mapping(key, "goto " + names.external(), comment));
            }
            if (!hasExternalEndpoints) {
                add(DroverTable.NO_ENDPOINT_NODEPORTS, SetElement.mapping(key, noEndpointVerdict, comment));
            }
        }
        return new ServiceRules.Part(chains, sets, elements);
    }

    /**
     * A service port without chains of its own: its frontends lead to the shared pick chains, its endpoints are
     * elements of the pick maps, its local endpoints hairpin pairs, its masquerade elements of the sets the
     * {@code services} chain reads first. Only externalTrafficPolicy Cluster comes here, so an external frontend has
     * endpoints exactly when the service has.
     */
    private ServiceRules.Part renderShared(List<ServiceEndpoint> ready, List<ServiceEndpoint> local,
            boolean hasEndpoints, boolean hasInternalEndpoints, String noEndpointVerdict) {
        boolean internalLocal = service.internalTrafficPolicy() == TrafficPolicy.LOCAL;
        ServicePicks.Draw draw = ServicePicks.draw(service);
        String proto = service.protocolName();
        List<ServiceEndpoint> internal = ServicePicks.slots(service, internalLocal ? local : ready);
        List<ServiceEndpoint> all = ServicePicks.slots(service, ready);
        Set<ServiceEndpoint> used = new LinkedHashSet<>();
        for (InetAddress ip : service.clusterIps()) {
            String key = key(ip);
            add(DroverTable.CLUSTER_IPS4, SetElement.of(IpAddresses.format(ip), comment));
            if (hasInternalEndpoints) {
                pick(DroverTable.SERVICE_IPS4, key, new ServicePicks.Pick(ServicePicks.Frontend.IP, draw, internal.size()));
                ServicePicks.elements(key, internal, comment).forEach(e -> add(DroverTable.SERVICE_ENDPOINTS4, e));
                if (!internalLocal) {
                    // As kube-proxy: the route to the service range may lead through any node, and the reply must
                    // come back the same way.
                    add(DroverTable.SERVICE_OFFNET4, SetElement.of(key, comment));
                }
                used.addAll(internal);
            } else {
                add(DroverTable.NO_ENDPOINT_IPS4, SetElement.mapping(key, noEndpointVerdict, comment));
            }
        }
        List<InetAddress> external = new ArrayList<>(service.externalIps());
        external.addAll(service.loadBalancerIps());
        for (InetAddress ip : external) {
            String key = key(ip);
            if (hasEndpoints) {
                pick(DroverTable.SERVICE_IPS4, key, new ServicePicks.Pick(ServicePicks.Frontend.IP, draw, all.size()));
                ServicePicks.elements(key, all, comment).forEach(e -> add(DroverTable.SERVICE_ENDPOINTS4, e));
                add(DroverTable.SERVICE_MASQUERADE4, SetElement.of(key, comment));
                used.addAll(all);
            } else {
                add(DroverTable.NO_ENDPOINT_IPS4, SetElement.mapping(key, noEndpointVerdict, comment));
            }
        }
        boolean firewalled = !service.loadBalancerSourceRanges().isEmpty() && !service.loadBalancerIps().isEmpty();
        if (firewalled) {
            chains.add(firewallChain());
            for (InetAddress ip : service.loadBalancerIps()) {
                add(DroverTable.FIREWALL_IPS4, SetElement.mapping(key(ip), "goto " + names.firewall(), comment));
            }
        }
        if (service.nodePort() != 0) {
            String key = proto + " . " + service.nodePort();
            if (hasEndpoints) {
                pick(DroverTable.SERVICE_NODEPORTS, key, new ServicePicks.Pick(ServicePicks.Frontend.NODEPORT, draw,
                        all.size()));
                ServicePicks.elements(key, all, comment).forEach(e -> add(DroverTable.SERVICE_NODEPORT_ENDPOINTS, e));
                used.addAll(all);
            } else {
                add(DroverTable.NO_ENDPOINT_NODEPORTS, SetElement.mapping(key, noEndpointVerdict, comment));
            }
        }
        used.stream().filter(ServiceEndpoint::local).forEach(e -> add(DroverTable.SERVICE_HAIRPIN4, ServicePicks.hairpin(e)));
        return new ServiceRules.Part(chains, sets, elements);
    }

    /** The dispatch element leading {@code key} to a shared pick chain, part of the table's fixed shape. */
    private void pick(String map, String key, ServicePicks.Pick pick) {
        add(map, SetElement.mapping(key, "goto " + pick.chain(), comment));
    }

    /**
     * Chooses among {@code endpoints}: a client with affinity returns to its endpoint, else the algorithm picks one.
     * Off-cluster clients of the cluster IP are masqueraded here (kube-proxy's rule: the route to the service range
     * may lead through any node, and the reply must come back the same way).
     */
    private ServiceRules.ServiceChain policyChain(String name, List<ServiceEndpoint> endpoints, boolean internal, String which) {
        List<DroverTable.Rule> rules = new ArrayList<>();
        if (internal) {
            for (InetAddress ip : service.clusterIps()) {
                rules.add(rule("ip daddr " + IpAddresses.format(ip) + " meta l4proto " + service.protocolName()
                        + " th dport " + service.port() + " ip saddr != @" + DroverTable.SUBNETS4
                        + " jump " + DroverTable.MARK_FOR_MASQUERADE,
                        "clients outside the pod networks to the cluster IP: masquerade"));
            }
        }
        if (service.affinityTimeout() != null) {
            for (ServiceEndpoint e : endpoints) {
                rules.add(rule("ip saddr @" + affinitySet(e) + " goto " + names.endpoint(e),
                        "ClientIP affinity: back to " + e.address()));
            }
        }
        rules.add(rule(choice(endpoints), service.algorithm().name().toLowerCase(java.util.Locale.ROOT)
                + " over " + which + " of " + service.displayName()));
        chosen.addAll(endpoints);
        return new ServiceRules.ServiceChain(name, rules);
    }

    private String choice(List<ServiceEndpoint> endpoints) {
        int n = endpoints.size();
        return switch (service.algorithm()) {
            case RANDOM -> "numgen random mod " + n + " vmap { " + byIndex(endpoints) + " }";
            case ROUND_ROBIN -> "numgen inc mod " + n + " vmap { " + byIndex(endpoints) + " }";
            case SOURCE_HASH -> "jhash ip saddr mod " + n + " vmap { " + byIndex(endpoints) + " }";
            case WEIGHTED -> {
                int total = endpoints.stream().mapToInt(ServiceEndpoint::weight).sum();
                List<String> ranges = new ArrayList<>();
                int from = 0;
                for (ServiceEndpoint e : endpoints) {
                    int to = from + e.weight() - 1;
                    ranges.add((from == to ? Integer.toString(from) : from + "-" + to) + " : goto " + names.endpoint(e));
                    from = to + 1;
                }
                yield "numgen random mod " + total + " vmap { " + String.join(", ", ranges) + " }";
            }
        };
    }

    private String byIndex(List<ServiceEndpoint> endpoints) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            out.add(i + " : goto " + names.endpoint(endpoints.get(i)));
        }
        return String.join(", ", out);
    }

    /**
     * External addresses and the NodePort. Under Cluster the endpoint may be on another node: masquerade, so the
     * reply comes back through this one. Under Local the client keeps its address and only local endpoints serve
     * it; pods and the node itself still reach every endpoint, as through the cluster IP (the node masqueraded, its
     * own address being no pod's route back).
     */
    private ServiceRules.ServiceChain externalChain(boolean externalLocal, boolean hasLocalChain) {
        List<DroverTable.Rule> rules = new ArrayList<>();
        String cluster = names.cluster();
        if (!externalLocal) {
            rules.add(rule("jump " + DroverTable.MARK_FOR_MASQUERADE,
                    "externalTrafficPolicy Cluster: masquerade, the endpoint may be on another node"));
            rules.add(rule("goto " + cluster, "externalTrafficPolicy Cluster: every ready endpoint"));
        } else {
            rules.add(rule("ip saddr @" + DroverTable.SUBNETS4 + " goto " + cluster,
                    "pods reach external addresses as they reach the cluster IP"));
            rules.add(rule("fib saddr type local jump " + DroverTable.MARK_FOR_MASQUERADE,
                    "the node itself: masquerade"));
            rules.add(rule("fib saddr type local goto " + cluster, "the node itself: every ready endpoint"));
            if (hasLocalChain) {
                rules.add(rule("goto " + names.local(),
                        "externalTrafficPolicy Local: outside clients keep their address, local endpoints only"));
            }
        }
        return new ServiceRules.ServiceChain(names.external(), rules);
    }

    /**
     * loadBalancerSourceRanges: other sources are dropped before DNAT. When a range holds the node's own address,
     * the load-balancer IPs are allowed as sources too (as kube-proxy: a VIP configured on the node talks to itself).
     */
    private ServiceRules.ServiceChain firewallChain() {
        List<String> sources = new ArrayList<>(service.loadBalancerSourceRanges().stream()
                .map(SetContents::prefix).toList());
        boolean allowFromNode = service.loadBalancerSourceRanges().stream()
                .anyMatch(r -> config.nodeAddresses().stream().anyMatch(r::contains));
        if (allowFromNode) {
            service.loadBalancerIps().stream()
                    .filter(ip -> service.loadBalancerSourceRanges().stream().noneMatch(r -> r.contains(ip)))
                    .forEach(ip -> sources.add(IpAddresses.format(ip)));
        }
        return new ServiceRules.ServiceChain(names.firewall(), List.of(rule(
                "ip saddr != { " + String.join(", ", sources) + " } drop",
                "loadBalancerSourceRanges of " + service.displayName() + ": other sources are dropped")));
    }

    private void endpointChain(ServiceEndpoint e) {
        List<DroverTable.Rule> rules = new ArrayList<>();
        rules.add(rule("ip saddr " + IpAddresses.format(e.ip()) + " jump " + DroverTable.MARK_FOR_MASQUERADE,
                "hairpin: the endpoint reaching its own service must see the reply come back through the node"));
        if (service.affinityTimeout() != null) {
            String set = affinitySet(e);
            rules.add(rule("update @" + set + " { ip saddr }", "ClientIP affinity: remember the client"));
        }
        rules.add(rule("meta l4proto " + service.protocolName() + " meta mark set meta mark or "
                + DroverTable.SERVICE_DNAT_MARK + " dnat ip to " + e.address(), "to " + e.address()));
        chains.add(new ServiceRules.ServiceChain(names.endpoint(e), rules));
    }

    private String affinitySet(ServiceEndpoint e) {
        long seconds = service.affinityTimeout().toSeconds();
        String name = names.affinity(e, seconds);
        if (sets.stream().noneMatch(s -> s.name().equals(name))) {
            sets.add(new ServiceRules.AffinitySet(name, seconds, "ClientIP affinity of " + service.displayName()
                    + " to " + e.address()));
        }
        return name;
    }

    private String key(InetAddress ip) {
        return IpAddresses.format(ip) + " . " + service.protocolName() + " . " + service.port();
    }

    private void add(String map, SetElement element) {
        elements.computeIfAbsent(map, m -> new ArrayList<>()).add(element);
    }
}
