package io.drover.policy;

import io.drover.model.firewall.RuleAction;
import io.drover.policy.FirewallVerdict.DecidedBy;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One direction of one pod as its data plane enforces it, evaluated for the first packet of each connection (replies
 * and later packets follow connection tracking), top to bottom:
 * <ol>
 *   <li>{@code tiers}: the entries of the tiers before NetworkPolicy, in order. The first that matches applies its
 *       action: Allow accepts (NetworkPolicy and baseline are skipped), Drop drops, Reject rejects (a TCP reset for
 *       TCP, an ICMP/ICMPv6 "administratively prohibited" otherwise), Pass jumps to step 2, skipping the remaining
 *       tier entries.</li>
 *   <li>{@code networkPolicy}: when {@link DirectionPolicy#isolated()}, the NetworkPolicy allow entries decide: a match
 *       accepts, anything else drops. Steps 3 and 4 are not reached.</li>
 *   <li>{@code baseline}: the baseline tier's entries, in order; the first that matches applies its action, where Pass
 *       goes on to step 4.</li>
 *   <li>{@code defaultAction}: Allow, Drop or Reject, logged when {@code defaultLogged}.</li>
 * </ol>
 * Each entry counts its hits under its rule's {@link FirewallRuleRef#id()}; the default action under
 * {@link FirewallRuleRef#DEFAULT_ACTION_ID}.
 */
public record FirewallChain(List<FirewallEntry> tiers, DirectionPolicy networkPolicy, List<FirewallEntry> baseline,
        RuleAction defaultAction, boolean defaultLogged) {

    public FirewallChain {
        tiers = List.copyOf(tiers);
        Objects.requireNonNull(networkPolicy, "networkPolicy");
        baseline = List.copyOf(baseline);
        Objects.requireNonNull(defaultAction, "defaultAction");
        if (!defaultAction.isFinal()) {
            throw new IllegalArgumentException("the default action is Allow, Drop or Reject, not " + defaultAction);
        }
    }

    /**
     * What the chain does with the first packet of a connection, as the kernel would: the model of the data plane
     * that tests hold against {@link PolicySnapshot#evaluate}.
     *
     * @param own  the pod's address (the source for egress, the destination for ingress)
     * @param peer the other end's address
     */
    public FirewallDecision decide(InetAddress own, InetAddress peer, String protocol, int port) {
        Optional<FirewallEntry> tier = first(tiers, own, peer, protocol, port);
        if (tier.isPresent() && tier.get().action().isFinal()) {
            return new FirewallDecision(tier.get().action(), DecidedBy.FIREWALL_RULE, Optional.of(tier.get().rule()));
        }
        if (networkPolicy.isolated()) {
            return new FirewallDecision(networkPolicy.allows(peer, protocol, port) ? RuleAction.ALLOW : RuleAction.DROP,
                    DecidedBy.NETWORK_POLICY, Optional.empty());
        }
        Optional<FirewallEntry> base = first(baseline, own, peer, protocol, port);
        if (base.isPresent() && base.get().action().isFinal()) {
            return new FirewallDecision(base.get().action(), DecidedBy.FIREWALL_RULE, Optional.of(base.get().rule()));
        }
        return new FirewallDecision(defaultAction, DecidedBy.DEFAULT_ACTION, Optional.empty());
    }

    /** Whether the chain is only NetworkPolicy's, which a data plane may program as before the firewall. */
    public boolean networkPolicyOnly() {
        return tiers.isEmpty() && baseline.isEmpty() && defaultAction == RuleAction.ALLOW && !defaultLogged;
    }

    private static Optional<FirewallEntry> first(List<FirewallEntry> entries, InetAddress own, InetAddress peer,
            String protocol, int port) {
        return entries.stream().filter(e -> e.matches(own, peer, protocol, port)).findFirst();
    }
}
