package io.drover.model.firewall;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * @param tier      {@code emergency}, {@code security}, {@code application} (the default) or {@code baseline}
 *                  ({@link Tier})
 * @param priority  the policy's place within its tier, 1 to {@link #MAX_PRIORITY}, lower first; two policies of one
 *                  tier cannot share a priority
 * @param appliedTo the pods where the policy's rules are enforced; omitted or empty: every pod
 * @param rules     in order: the first rule that matches a connection decides
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FirewallPolicySpec(String tier, Integer priority, List<FirewallPeer> appliedTo, List<FirewallRule> rules) {

    public static final int MIN_PRIORITY = 1;
    public static final int MAX_PRIORITY = 10000;
    public static final FirewallPolicySpec EMPTY = new FirewallPolicySpec(null, null, null, null);

    public FirewallPolicySpec {
        appliedTo = appliedTo == null ? null : List.copyOf(appliedTo);
        rules = rules == null ? null : List.copyOf(rules);
    }

    /** The tier the policy is in; {@link Tier#DEFAULT} when it names none or (unvalidated) an unknown one. */
    @JsonIgnore
    public Tier effectiveTier() {
        return Tier.ofSpec(tier).orElse(Tier.DEFAULT);
    }

    /** Empty means every pod. */
    @JsonIgnore
    public List<FirewallPeer> appliedToList() {
        return appliedTo == null ? List.of() : appliedTo;
    }

    @JsonIgnore
    public List<FirewallRule> ruleList() {
        return rules == null ? List.of() : rules;
    }
}
