package io.drover.policy;

import io.drover.model.firewall.FirewallPeer;
import io.drover.model.firewall.FirewallPolicy;
import io.drover.model.firewall.FirewallRule;
import io.drover.model.firewall.FirewallService;
import io.drover.model.firewall.RuleAction;
import io.drover.model.firewall.RuleDirection;
import io.drover.model.firewall.SecurityGroup;
import io.drover.model.firewall.Tier;
import io.drover.model.net.Cidr;
import io.drover.policy.Party.PodParty;
import io.drover.policy.cidr.CidrMath;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The firewall resolved against the snapshot's pods: each group's members (nested groups followed, cycles cut), and
 * each rule with its applied-to scope, sources and destinations as memberships and its services as a port set, in
 * evaluation order. Built once per snapshot, so evaluating and compiling never scan selectors again.
 */
final class FirewallIndex {

    /**
     * A rule ready to match.
     *
     * @param sourceCidrs      every address of the sources, for the ingress side's compiled entries
     * @param destinationCidrs every address of the destinations, for the egress side's compiled entries
     */
    record IndexedRule(FirewallRuleRef ref, RuleAction action, RuleDirection direction, Membership appliedTo,
            Membership sources, Membership destinations, PortSet services, boolean logged, String detail,
            List<Cidr> sourceCidrs, List<Cidr> destinationCidrs) {

        /** Whether the rule is enforced on this side of a connection. */
        boolean enforcedAt(Direction side) {
            return side == Direction.EGRESS ? direction.outbound() : direction.inbound();
        }

        /** The subject's (the pod deciding) own members: in scope, and among the sources (egress) or destinations. */
        Membership.Local local(Direction side, PodParty subject) {
            Membership own = side == Direction.EGRESS ? sources : destinations;
            return appliedTo.local(subject).and(own.local(subject));
        }

        /** Whether the other end is among the destinations (egress) or sources (ingress). */
        boolean peerMatches(Direction side, Party peer) {
            return (side == Direction.EGRESS ? destinations : sources).contains(peer);
        }

        List<Cidr> peerCidrs(Direction side) {
            return side == Direction.EGRESS ? destinationCidrs : sourceCidrs;
        }
    }

    private final Collection<PodParty> pods;
    private final Map<String, Membership> groups;
    private final List<IndexedRule> beforeNetworkPolicy;
    private final List<IndexedRule> baseline;
    private final Map<FirewallPeer, Membership> peerCache = new HashMap<>();

    private FirewallIndex(Firewall firewall, Collection<PodParty> pods) {
        this.pods = pods; // the snapshot's unmodifiable view: copying 50,000 pods per snapshot is what made it slow
        this.groups = resolveGroups(firewall.groups());
        List<IndexedRule> before = new ArrayList<>();
        List<IndexedRule> after = new ArrayList<>();
        for (FirewallPolicy policy : firewall.policies()) {
            Tier tier = policy.spec().effectiveTier();
            Membership appliedTo = any(policy.spec().appliedToList());
            List<FirewallRule> rules = policy.spec().ruleList();
            for (int i = 0; i < rules.size(); i++) {
                index(policy, tier, appliedTo, i, rules.get(i)).ifPresent(tier.beforeNetworkPolicy() ? before::add : after::add);
            }
        }
        this.beforeNetworkPolicy = List.copyOf(before);
        this.baseline = List.copyOf(after);
        peerCache.clear();
    }

    static FirewallIndex build(Firewall firewall, Collection<PodParty> pods) {
        return new FirewallIndex(firewall, pods);
    }

    /** The rules of the tiers before NetworkPolicy, in evaluation order. */
    List<IndexedRule> beforeNetworkPolicy() {
        return beforeNetworkPolicy;
    }

    /** The rules of the baseline tier, in evaluation order. */
    List<IndexedRule> baseline() {
        return baseline;
    }

    Optional<Membership> group(String name) {
        return Optional.ofNullable(groups.get(name));
    }

    List<Cidr> cidrs(Membership membership) {
        return membership.cidrs(pods);
    }

    private Optional<IndexedRule> index(FirewallPolicy policy, Tier tier, Membership appliedTo, int i, FirewallRule rule) {
        Optional<RuleAction> action = RuleAction.find(rule.action());
        if (action.isEmpty() || rule.name() == null) {
            return Optional.empty(); // validation refuses both; a stored one is left out rather than guessed at
        }
        int priority = policy.spec().priority() == null ? 0 : policy.spec().priority();
        FirewallRuleRef ref = new FirewallRuleRef(tier, priority, policy.name(), i, rule.name());
        Membership sources = any(rule.sourceList());
        Membership destinations = any(rule.destinationList());
        return Optional.of(new IndexedRule(ref, action.get(), RuleDirection.ofSpec(rule.direction()).orElse(RuleDirection.DEFAULT),
                appliedTo, sources, destinations, services(rule.serviceList()), rule.logged(), FirewallText.rule(rule),
                sources.cidrs(pods), destinations.cidrs(pods)));
    }

    /** An omitted or empty list stands for everyone; else whoever any entry includes. */
    private Membership any(List<FirewallPeer> peers) {
        return peers.isEmpty() ? Membership.EVERYTHING : Membership.union(peers.stream().map(this::peer).toList());
    }

    private Membership peer(FirewallPeer peer) {
        Membership cached = peerCache.get(peer);
        if (cached == null) {
            cached = peer.group() != null ? groups.getOrDefault(peer.group(), Membership.NOTHING) : direct(peer);
            peerCache.put(peer, cached);
        }
        return cached;
    }

    /**
     * Each group's members: its own entries and those of every group it reaches through group entries. Reaching is
     * followed with a visited set, so that a cycle (which the server refuses) adds each group once and ends.
     */
    private Map<String, Membership> resolveGroups(Map<String, SecurityGroup> all) {
        Map<String, Membership> own = new HashMap<>();
        all.forEach((name, group) -> own.put(name, Membership.union(group.spec().members().stream()
                .filter(m -> m.group() == null)
                .map(this::direct)
                .toList())));
        Map<String, Membership> resolved = new HashMap<>();
        for (String name : all.keySet()) {
            Set<String> reached = new LinkedHashSet<>();
            Deque<String> todo = new ArrayDeque<>(List.of(name));
            while (!todo.isEmpty()) {
                String next = todo.pop();
                SecurityGroup group = all.get(next);
                if (group == null || !reached.add(next)) {
                    continue; // unknown (no members) or already counted
                }
                group.spec().members().stream().filter(m -> m.group() != null).forEach(m -> todo.push(m.group()));
            }
            resolved.put(name, Membership.union(reached.stream().map(own::get).toList()));
        }
        return Map.copyOf(resolved);
    }

    /** The members of one entry that is not a group reference: selected pods, or a block. */
    private Membership direct(FirewallPeer peer) {
        if (peer.ipBlock() != null) {
            try {
                Cidr cidr = Cidr.parse(peer.ipBlock().cidr());
                List<Cidr> except = peer.ipBlock().except().stream().map(Cidr::parse).toList();
                return new Membership(false, Set.of(), CidrMath.subtract(cidr, except));
            } catch (RuntimeException e) {
                return Membership.NOTHING; // validation refuses it; a stored one matches nothing
            }
        }
        if (!peer.selectsPods()) {
            return Membership.NOTHING;
        }
        Set<NamespacedName> selected = new TreeSet<>();
        for (PodParty pod : pods) {
            if (selects(peer, pod)) {
                selected.add(pod.key());
            }
        }
        return new Membership(false, selected, List.of());
    }

    /** Pods by labels in every namespace, unless namespaces are named or selected; a namespace need not exist yet. */
    private static boolean selects(FirewallPeer peer, PodParty pod) {
        if (peer.namespaces() != null && !peer.namespaces().contains(pod.key().namespace())) {
            return false;
        }
        if (peer.namespaceSelector() != null && !peer.namespaceSelector().matches(pod.namespaceLabels())) {
            return false;
        }
        return peer.podSelector() == null || peer.podSelector().matches(pod.labels());
    }

    /** The services as port ranges; none listed: every protocol and port (ICMP included). */
    private static PortSet services(List<FirewallService> services) {
        if (services.isEmpty()) {
            return PortSet.any();
        }
        List<PortRange> ranges = new ArrayList<>();
        for (FirewallService s : services) {
            String protocol = s.effectiveProtocol();
            if (protocol.equals(FirewallService.ICMP) || s.port() == null) {
                ranges.add(PortRange.every(protocol));
            } else {
                int to = s.endPort() == null ? s.port() : s.endPort();
                if (s.port() >= 0 && to <= PortRange.MAX_PORT && s.port() <= to) {
                    ranges.add(new PortRange(protocol, s.port(), to));
                }
            }
        }
        return PortSet.of(ranges);
    }
}
