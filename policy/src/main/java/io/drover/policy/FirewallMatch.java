package io.drover.policy;

import io.drover.model.firewall.RuleAction;
import java.util.Objects;

/**
 * A firewall rule that selects a connection at one end: it is enforced there, its sources hold the client, its
 * destinations the server, and its services the protocol and port. The first such rule decides (or passes); the
 * others are listed as not reached.
 *
 * @param detail the rule in words: its sources, destinations and services
 */
public record FirewallMatch(FirewallRuleRef rule, RuleAction action, Role role, String detail) {

    public enum Role {
        /** The first matching rule, with Allow, Drop or Reject: its action is the end's verdict. */
        DECIDES("decides"),
        /** The first matching rule of its part (the tiers before NetworkPolicy, or baseline), with Pass. */
        PASSES("passes"),
        /** Matches too, but an earlier rule decided or passed. */
        NOT_REACHED("not reached");

        private final String label;

        Role(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    public FirewallMatch {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(detail, "detail");
    }

    /** {@code decides: isolate-web/web-to-web Drop (tier security, priority 10; from group web-tier; ...)}. */
    public String describe() {
        return role + ": " + rule + " " + action.yamlName() + " (tier " + rule.tier().yamlName() + ", priority "
                + rule.priority() + "; " + detail + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
