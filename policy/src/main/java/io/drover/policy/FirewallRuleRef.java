package io.drover.policy;

import io.drover.model.firewall.Tier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One rule of a firewall policy: {@code isolate-web/web-to-web}, as explanations, compiled entries, counters and logs
 * cite it.
 *
 * @param tier     the policy's tier
 * @param priority the policy's priority within the tier
 * @param policy   the policy's name (firewall policies are cluster-scoped)
 * @param index    the rule's place in the policy's list, from 0
 * @param rule     the rule's name, unique within the policy
 */
public record FirewallRuleRef(Tier tier, int priority, String policy, int index, String rule) {

    /** The counter and log identifier of the default action, which is no rule. */
    public static final String DEFAULT_ACTION_ID = "fw-default";

    public FirewallRuleRef {
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(rule, "rule");
    }

    /**
     * A short identifier that stays the same while the policy and the rule keep their names, whatever else changes
     * (order, priority, tier): {@code fw-} and 12 hex digits of the SHA-256 of {@code policy/rule}. Fit for nftables
     * counter names and log prefixes, which limit their length.
     */
    public String id() {
        return idOf(policy, rule);
    }

    /** {@link #id()} of the rule named {@code rule} in the policy named {@code policy}. */
    public static String idOf(String policy, String rule) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((policy + "/" + rule).getBytes(StandardCharsets.UTF_8));
            return "fw-" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** {@code isolate-web/web-to-web (tier security, priority 10)}. */
    public String describe() {
        return this + " (tier " + tier.yamlName() + ", priority " + priority + ")";
    }

    @Override
    public String toString() {
        return policy + "/" + rule;
    }
}
