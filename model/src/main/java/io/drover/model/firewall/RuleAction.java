package io.drover.model.firewall;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a firewall rule does with the connections it matches. The first matching rule decides:
 * {@code Allow} lets the connection through without consulting NetworkPolicy or later tiers, {@code Drop} discards it
 * silently, {@code Reject} refuses it (a TCP reset, or an ICMP "administratively prohibited"), and {@code Pass} skips
 * the remaining tiers before NetworkPolicy and hands the decision to NetworkPolicy (from the baseline tier: to the
 * default action).
 */
public enum RuleAction {
    ALLOW("Allow"),
    DROP("Drop"),
    REJECT("Reject"),
    PASS("Pass");

    private final String yamlName;

    RuleAction(String yamlName) {
        this.yamlName = yamlName;
    }

    /** As YAML spells it: {@code Allow}. */
    public String yamlName() {
        return yamlName;
    }

    /** Whether the action ends the evaluation with a verdict (every action but Pass). */
    public boolean isFinal() {
        return this != PASS;
    }

    /** The action spelled exactly as YAML writes it. */
    public static Optional<RuleAction> find(String name) {
        return Arrays.stream(values()).filter(a -> a.yamlName.equals(name)).findFirst();
    }

    /** The action whose name differs from {@code name} only in case, for a hint. */
    public static Optional<RuleAction> ignoringCase(String name) {
        return Arrays.stream(values()).filter(a -> a.yamlName.equalsIgnoreCase(name)).findFirst();
    }

    @Override
    public String toString() {
        return yamlName;
    }
}
