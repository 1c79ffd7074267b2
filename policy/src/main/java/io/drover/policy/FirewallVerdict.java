package io.drover.policy;

import io.drover.model.firewall.RuleAction;
import io.drover.policy.FirewallMatch.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How one end of a connection decides it, the distributed firewall and NetworkPolicy together: the client as the
 * connection leaves it (egress), the server as it arrives (ingress). In order:
 * <ol>
 *   <li>the rules of the tiers before NetworkPolicy (emergency, security, application) enforced at this end: the
 *       first that matches decides with Allow, Drop or Reject; with Pass it hands the decision to NetworkPolicy;</li>
 *   <li>NetworkPolicy: when a policy isolates the pod in this direction, its rules decide ({@link #networkPolicy});</li>
 *   <li>otherwise the baseline tier's rules (the first that matches decides; Pass goes on), and at the bottom the
 *       cluster's default action.</li>
 * </ol>
 *
 * @param matches       every firewall rule that selects the connection at this end, in evaluation order, each with
 *                      its role (decides, passes, not reached)
 * @param decidedBy     which of the steps decided
 * @param action        the end's verdict: Allow, Drop or Reject (NetworkPolicy's block is a Drop)
 * @param networkPolicy what NetworkPolicy says at this end, consulted or not
 * @param defaultAction the cluster's default action
 * @param configured    whether the cluster has any firewall policy or settings; explanations leave the firewall out
 *                      when not
 */
public record FirewallVerdict(Direction direction, String subject, List<FirewallMatch> matches, DecidedBy decidedBy,
        RuleAction action, DirectionVerdict networkPolicy, RuleAction defaultAction, boolean configured) {

    public enum DecidedBy {
        /** The end is an address outside every pod: nothing applies there, and it lets everything through. */
        NOT_A_POD,
        /** A tier rule with Allow, Drop or Reject (a baseline rule only when NetworkPolicy does not isolate the pod). */
        FIREWALL_RULE,
        /** A NetworkPolicy isolates the pod in this direction, and no tier rule before NetworkPolicy decided. */
        NETWORK_POLICY,
        /** Nothing else decided. */
        DEFAULT_ACTION
    }

    public FirewallVerdict {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(subject, "subject");
        matches = List.copyOf(matches);
        Objects.requireNonNull(decidedBy, "decidedBy");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(networkPolicy, "networkPolicy");
        Objects.requireNonNull(defaultAction, "defaultAction");
        if (!action.isFinal()) {
            throw new IllegalArgumentException("a verdict is Allow, Drop or Reject, not " + action);
        }
    }

    public boolean allows() {
        return action == RuleAction.ALLOW;
    }

    /** The rule whose action is the verdict, when a rule decided. */
    public Optional<FirewallMatch> decidingRule() {
        return matches.stream().filter(m -> m.role() == Role.DECIDES).findFirst();
    }

    /** The rules that passed the decision on, in order (at most one before NetworkPolicy and one in baseline). */
    public List<FirewallMatch> passedBy() {
        return matches.stream().filter(m -> m.role() == Role.PASSES).toList();
    }

    /**
     * One line, e.g. {@code egress of x/a: dropped by firewall rule isolate-web/web-to-web (tier security, priority 10)}
     * or {@code ingress of y/b: no tier rule before NetworkPolicy decides; isolated by y/p; allowed by y/p ingress[0]
     * (...)}.
     */
    public String describe() {
        String prefix = direction + " of " + subject + ": ";
        if (decidedBy == DecidedBy.NOT_A_POD) {
            return prefix + networkPolicy.reason();
        }
        List<String> parts = new ArrayList<>();
        Optional<FirewallMatch> decided = decidingRule();
        boolean decidedBefore = decided.filter(m -> m.rule().tier().beforeNetworkPolicy()).isPresent();
        Optional<FirewallMatch> passedBefore = passedBy().stream().filter(m -> m.rule().tier().beforeNetworkPolicy()).findFirst();
        if (decidedBefore) {
            return prefix + outcome(decided.orElseThrow());
        }
        parts.add(passedBefore.map(m -> "passed to NetworkPolicy by firewall rule " + m.rule().describe())
                .orElse("no tier rule before NetworkPolicy decides"));
        parts.add(networkPolicy.reason());
        if (decidedBy != DecidedBy.NETWORK_POLICY) {
            passedBy().stream().filter(m -> !m.rule().tier().beforeNetworkPolicy()).findFirst()
                    .ifPresent(m -> parts.add("passed by firewall rule " + m.rule().describe()));
            parts.add(decided.map(FirewallVerdict::outcome)
                    .orElse("default action " + defaultAction.yamlName()));
        }
        return prefix + String.join("; ", parts);
    }

    private static String outcome(FirewallMatch rule) {
        String verb = switch (rule.action()) {
            case ALLOW -> "allowed";
            case DROP -> "dropped";
            case REJECT -> "rejected";
            case PASS -> "passed";
        };
        return verb + " by firewall rule " + rule.rule().describe();
    }

    @Override
    public String toString() {
        return describe();
    }
}
