package io.drover.policy;

import io.drover.model.firewall.RuleAction;
import io.drover.policy.DirectionVerdict.Isolated;
import io.drover.policy.FirewallIndex.IndexedRule;
import io.drover.policy.FirewallMatch.Role;
import io.drover.policy.FirewallVerdict.DecidedBy;
import io.drover.policy.Party.PodParty;
import java.util.ArrayList;
import java.util.List;

/** Judges one end of a connection through the tiers, NetworkPolicy, baseline and the default action. */
final class FirewallJudge {

    private final FirewallIndex index;
    private final Firewall firewall;

    FirewallJudge(FirewallIndex index, Firewall firewall) {
        this.index = index;
        this.firewall = firewall;
    }

    /**
     * @param subject       the end that decides (the client for egress, the server for ingress)
     * @param peer          the other end
     * @param networkPolicy what NetworkPolicy says at this end
     */
    FirewallVerdict judge(Direction direction, Party subject, Party peer, String protocol, int port,
            DirectionVerdict networkPolicy) {
        RuleAction defaultAction = firewall.defaultAction();
        boolean configured = firewall.configured();
        if (!(subject instanceof PodParty pod)) {
            return new FirewallVerdict(direction, subject.display(), List.of(), DecidedBy.NOT_A_POD, RuleAction.ALLOW,
                    networkPolicy, defaultAction, configured);
        }
        List<FirewallMatch> matches = new ArrayList<>();
        // The tiers before NetworkPolicy: the first match decides, or passes and ends this part.
        IndexedRule first = walk(index.beforeNetworkPolicy(), direction, pod, peer, protocol, port, matches);
        boolean isolated = networkPolicy instanceof Isolated;
        IndexedRule baselineFirst;
        if (first != null && first.action().isFinal() || isolated) {
            // Baseline is not reached; its rules that select the pair are still listed.
            selecting(index.baseline(), direction, pod, peer, protocol, port).forEach(rule -> matches.add(
                    match(rule, Role.NOT_REACHED)));
            baselineFirst = null;
        } else {
            baselineFirst = walk(index.baseline(), direction, pod, peer, protocol, port, matches);
        }
        if (first != null && first.action().isFinal()) {
            return verdict(direction, pod, matches, DecidedBy.FIREWALL_RULE, first.action(), networkPolicy);
        }
        if (isolated) {
            return verdict(direction, pod, matches, DecidedBy.NETWORK_POLICY,
                    networkPolicy.allows() ? RuleAction.ALLOW : RuleAction.DROP, networkPolicy);
        }
        if (baselineFirst != null && baselineFirst.action().isFinal()) {
            return verdict(direction, pod, matches, DecidedBy.FIREWALL_RULE, baselineFirst.action(), networkPolicy);
        }
        return verdict(direction, pod, matches, DecidedBy.DEFAULT_ACTION, defaultAction, networkPolicy);
    }

    private FirewallVerdict verdict(Direction direction, PodParty pod, List<FirewallMatch> matches, DecidedBy decidedBy,
            RuleAction action, DirectionVerdict networkPolicy) {
        return new FirewallVerdict(direction, pod.display(), matches, decidedBy, action, networkPolicy,
                firewall.defaultAction(), firewall.configured());
    }

    /**
     * Adds every rule of the part that selects the connection to {@code matches} (when given) with its role, and
     * returns the first, which decides or passes; null when none selects it.
     */
    private static IndexedRule walk(List<IndexedRule> rules, Direction direction, PodParty subject, Party peer,
            String protocol, int port, List<FirewallMatch> matches) {
        IndexedRule first = null;
        for (IndexedRule rule : rules) {
            if (!selects(rule, direction, subject, peer, protocol, port)) {
                continue;
            }
            if (matches != null) {
                matches.add(match(rule, first != null ? Role.NOT_REACHED
                        : rule.action().isFinal() ? Role.DECIDES : Role.PASSES));
            }
            if (first == null) {
                first = rule;
            }
        }
        return first;
    }

    /** The rules of the part that select the connection. */
    private static List<IndexedRule> selecting(List<IndexedRule> rules, Direction direction, PodParty subject, Party peer,
            String protocol, int port) {
        return rules.stream().filter(rule -> selects(rule, direction, subject, peer, protocol, port)).toList();
    }

    /**
     * A rule selects a connection at an end when it is enforced there (its direction, and the end's pod in its
     * applied-to scope), the end's pod is among its sources (egress) or destinations (ingress), the other end among
     * the destinations or sources, and its services hold the protocol and port. The end's pod must be in scope and in
     * its own role by one same address: a pod that joins only by a block's address counts by that address.
     */
    static boolean selects(IndexedRule rule, Direction direction, PodParty subject, Party peer, String protocol, int port) {
        return rule.enforcedAt(direction)
                && rule.services().allows(protocol, port)
                && rule.local(direction, subject).any()
                && rule.peerMatches(direction, peer);
    }

    private static FirewallMatch match(IndexedRule rule, Role role) {
        return new FirewallMatch(rule.ref(), rule.action(), role, rule.detail());
    }
}
