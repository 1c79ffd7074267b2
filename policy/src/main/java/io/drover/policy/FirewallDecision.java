package io.drover.policy;

import io.drover.model.firewall.RuleAction;
import io.drover.policy.FirewallVerdict.DecidedBy;
import java.util.Objects;
import java.util.Optional;

/**
 * What a compiled chain does with one packet of a new connection.
 *
 * @param action Allow, Drop or Reject
 * @param rule   the firewall rule that decided, when one did (a NetworkPolicy or the default action has none)
 */
public record FirewallDecision(RuleAction action, DecidedBy decidedBy, Optional<FirewallRuleRef> rule) {

    public FirewallDecision {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(decidedBy, "decidedBy");
        Objects.requireNonNull(rule, "rule");
    }

    public boolean allows() {
        return action == RuleAction.ALLOW;
    }
}
