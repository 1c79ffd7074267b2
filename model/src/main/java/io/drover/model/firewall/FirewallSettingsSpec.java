package io.drover.model.firewall;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * @param defaultAction what happens at the bottom, to a connection that no tier rule decides and NetworkPolicy does
 *                      not isolate: {@code Allow} (the default: plain Kubernetes behaviour), {@code Drop} (zero
 *                      trust) or {@code Reject}
 * @param logging       log each connection the default action decides
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FirewallSettingsSpec(String defaultAction, Boolean logging) {

    public static final FirewallSettingsSpec EMPTY = new FirewallSettingsSpec(null, null);

    /** Allow when none is set; unvalidated unknown values read as Allow too. */
    @JsonIgnore
    public RuleAction effectiveDefaultAction() {
        if (defaultAction == null || defaultAction.isEmpty()) {
            return RuleAction.ALLOW;
        }
        return RuleAction.find(defaultAction).filter(RuleAction::isFinal).orElse(RuleAction.ALLOW);
    }

    @JsonIgnore
    public boolean logged() {
        return Boolean.TRUE.equals(logging);
    }
}
