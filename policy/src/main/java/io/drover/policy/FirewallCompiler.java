package io.drover.policy;

import io.drover.model.net.Cidr;
import io.drover.policy.FirewallIndex.IndexedRule;
import io.drover.policy.Party.PodParty;
import java.util.ArrayList;
import java.util.List;

/** Turns the firewall rules enforced at a pod into its chains: address and port sets, first match first. */
final class FirewallCompiler {

    private final FirewallIndex index;
    private final Firewall firewall;

    FirewallCompiler(FirewallIndex index, Firewall firewall) {
        this.index = index;
        this.firewall = firewall;
    }

    /** @param policy the pod's NetworkPolicy part, where the tiers' Pass rules hand traffic */
    PodFirewall compile(PodParty pod, PodPolicy policy) {
        return new PodFirewall(pod.key(), chain(Direction.INGRESS, pod, policy), chain(Direction.EGRESS, pod, policy));
    }

    private FirewallChain chain(Direction direction, PodParty pod, PodPolicy policy) {
        return new FirewallChain(entries(index.beforeNetworkPolicy(), direction, pod), policy.direction(direction),
                entries(index.baseline(), direction, pod), firewall.defaultAction(), firewall.defaultLogged());
    }

    /**
     * The rules enforced at the pod in the direction, in order. A rule whose applied-to scope or own side
     * (sources for egress, destinations for ingress) leaves the pod out has no entry, nor one whose other side has no
     * address (a group without members yet): it could match nothing.
     */
    private static List<FirewallEntry> entries(List<IndexedRule> rules, Direction direction, PodParty pod) {
        List<FirewallEntry> entries = new ArrayList<>();
        for (IndexedRule rule : rules) {
            if (!rule.enforcedAt(direction)) {
                continue;
            }
            Membership.Local local = rule.local(direction, pod);
            List<Cidr> own = local.cidrs(pod);
            List<Cidr> peers = rule.peerCidrs(direction);
            if (!local.any() || own.isEmpty() || peers.isEmpty()) {
                continue;
            }
            entries.add(new FirewallEntry(rule.ref(), rule.action(), own, peers, rule.services(), rule.logged()));
        }
        return entries;
    }
}
