package io.drover.agent.rules;

import io.drover.agent.rules.ServiceRuleInput.Algorithm;
import io.drover.agent.rules.ServiceRuleInput.TrafficPolicy;
import io.drover.model.net.IpAddresses;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The chains that choose an endpoint for every service port that needs no chain of its own, shared by all of them and
 * part of the table's fixed shape: one per kind of frontend, way of drawing and number of slots
 * ({@code pick.ip.random.10}). Such a chain draws an index and DNATs through one map keyed by the frontend and the
 * index ({@code service_endpoints4}: {@code 10.96.0.1 . tcp . 80 . 3 : 10.1.0.7 . 8080}), so that a service, or an
 * endpoint, is a handful of map elements written through netlink, never chains and rules compiled by nft. With
 * kube-proxy's chain per service and per endpoint, 10,000 services of 10 endpoints were 110,000 chains and minutes of
 * {@code nft -f}.
 *
 * <p>The chains are fixed rather than made as services need them: nft 1.0.6 cannot add a rule naming the endpoint maps
 * once they are in the kernel (it reads their {@code typeof} back as a conflict between {@code ip} and {@code th}), so
 * every rule that names them is written with the table. The masquerade that depends on the frontend is decided
 * before the dispatch, by sets ({@code service_masquerade4}, {@code service_offnet4}), so one chain serves every kind
 * of address.
 *
 * <p>What a shared chain cannot do keeps the chains of {@link ServicePortRules}: ClientIP affinity (a set per
 * endpoint, updated by the chosen endpoint's chain), round-robin ({@code numgen inc} counts per chain, so the counter
 * must be the service's own), externalTrafficPolicy Local on external addresses (one frontend, two sets of
 * endpoints: pods and the node reach all of them, outside clients the local ones) and more than {@link #MAX_SLOTS}
 * slots.
 */
final class ServicePicks {

    private ServicePicks() {}

    /** The largest number of slots a shared chain draws among: beyond, a service port has chains of its own. */
    static final int MAX_SLOTS = 64;

    /** Which map holds the endpoints: by address, protocol and port, or (a NodePort) by protocol and port. */
    enum Frontend { IP, NODEPORT }

    /** How the index is drawn: at random, or from a hash of the client's address (the same client, the same slot). */
    enum Draw { RANDOM, SOURCE_HASH }

    /** One shared chain. */
    record Pick(Frontend frontend, Draw draw, int slots) {

        Pick {
            if (slots < 1 || slots > MAX_SLOTS) {
                throw new IllegalArgumentException("a pick chain draws among 1 to " + MAX_SLOTS + " slots, not " + slots);
            }
        }

        String chain() {
            return "pick." + frontend.name().toLowerCase(Locale.ROOT) + "."
                    + (draw == Draw.RANDOM ? "random" : "hash") + "." + slots;
        }

        DroverTable.Chain render() {
            List<DroverTable.Rule> rules = new ArrayList<>();
            if (frontend == Frontend.NODEPORT) {
                // Only externalTrafficPolicy Cluster comes here: the endpoint may be on another node.
                rules.add(new DroverTable.Rule("jump " + DroverTable.MARK_FOR_MASQUERADE,
                        "NodePort under externalTrafficPolicy Cluster: masquerade"));
            }
            String index = (draw == Draw.RANDOM ? "numgen random" : "jhash ip saddr") + " mod " + slots;
            String key = frontend == Frontend.NODEPORT
                    ? "meta l4proto . th dport . " + index + " map @" + DroverTable.SERVICE_NODEPORT_ENDPOINTS
                    : "ip daddr . meta l4proto . th dport . " + index + " map @" + DroverTable.SERVICE_ENDPOINTS4;
            rules.add(new DroverTable.Rule("meta mark set meta mark or " + DroverTable.SERVICE_DNAT_MARK + " dnat ip to "
                    + key, (draw == Draw.RANDOM ? "random" : "source-hash") + " over " + slots + " slots"));
            return new DroverTable.Chain(chain(), null, rules);
        }
    }

    /** Every pick chain, for the table's shape. */
    static List<DroverTable.Chain> chains() {
        List<DroverTable.Chain> out = new ArrayList<>();
        for (Frontend frontend : Frontend.values()) {
            for (Draw draw : Draw.values()) {
                for (int slots = 1; slots <= MAX_SLOTS; slots++) {
                    out.add(new Pick(frontend, draw, slots).render());
                }
            }
        }
        return List.copyOf(out);
    }

    /** Whether this service port does without chains of its own: its endpoints are elements of the pick maps. */
    static boolean shared(ServiceRuleInput service, List<ServiceEndpoint> ready) {
        if (service.affinityTimeout() != null || service.algorithm() == Algorithm.ROUND_ROBIN) {
            return false;
        }
        if (service.externallyReachable() && service.externalTrafficPolicy() == TrafficPolicy.LOCAL) {
            return false;
        }
        return slotCount(service, ready) <= MAX_SLOTS;
    }

    static Draw draw(ServiceRuleInput service) {
        return service.algorithm() == Algorithm.SOURCE_HASH ? Draw.SOURCE_HASH : Draw.RANDOM;
    }

    /** How many slots {@link #slots} gives these endpoints. */
    static long slotCount(ServiceRuleInput service, List<ServiceEndpoint> endpoints) {
        if (service.algorithm() != Algorithm.WEIGHTED) {
            return endpoints.size();
        }
        int gcd = gcd(endpoints);
        return gcd == 0 ? 0 : endpoints.stream().mapToLong(e -> e.weight() / gcd).sum();
    }

    /**
     * The endpoints by slot: each once, or under the weighted algorithm each as many times as its weight divided by
     * the weights' greatest common divisor (weights 2 and 4 take 1 and 2 of 3 slots).
     */
    static List<ServiceEndpoint> slots(ServiceRuleInput service, List<ServiceEndpoint> endpoints) {
        if (service.algorithm() != Algorithm.WEIGHTED) {
            return endpoints;
        }
        if (slotCount(service, endpoints) > MAX_SLOTS) {
            throw new IllegalArgumentException("service " + service.displayName() + " has weights spread over more than "
                    + MAX_SLOTS + " slots; it balances through chains of its own");
        }
        int gcd = gcd(endpoints);
        List<ServiceEndpoint> out = new ArrayList<>();
        for (ServiceEndpoint e : endpoints) {
            for (int i = 0; i < e.weight() / gcd; i++) {
                out.add(e);
            }
        }
        return out;
    }

    private static int gcd(List<ServiceEndpoint> endpoints) {
        int gcd = 0;
        for (ServiceEndpoint e : endpoints) {
            gcd = gcd(gcd, e.weight());
        }
        return gcd;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** The map elements of one frontend key ({@code address . proto . port} or {@code proto . port}), by slot. */
    static List<SetElement> elements(String frontendKey, List<ServiceEndpoint> slots, String comment) {
        List<SetElement> out = new ArrayList<>(slots.size());
        for (int i = 0; i < slots.size(); i++) {
            ServiceEndpoint e = slots.get(i);
            out.add(SetElement.mapping(frontendKey + " . " + i, IpAddresses.format(e.ip()) + " . " + e.port(), comment));
        }
        return out;
    }

    /** An endpoint on this node reaching its own service: the hairpin pair, shared by every service it serves. */
    static SetElement hairpin(ServiceEndpoint endpoint) {
        String ip = IpAddresses.format(endpoint.ip());
        return SetElement.of(ip + " . " + ip, "hairpin of a local endpoint");
    }
}
