package io.drover.model.firewall;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The tiers of the distributed firewall, evaluated in this order (as Antrea's and Calico's tiers, NSX's categories).
 * {@code emergency}, {@code security} and {@code application} come before Kubernetes NetworkPolicy; {@code baseline}
 * comes after it and is consulted only for pods no NetworkPolicy isolates in the direction at hand. Within a tier,
 * policies go by {@code priority} (lower first), and within a policy rules go in the order written.
 */
public enum Tier {
    /** Quarantine and incident response: decided before everything else. */
    EMERGENCY("emergency", 10),
    /** Guardrails of the security team, e.g. isolating tiers of an application from each other. */
    SECURITY("security", 20),
    /** Application owners' rules; the tier of a policy that names none. */
    APPLICATION("application", 30),
    /** After NetworkPolicy: the defaults for pods that NetworkPolicy leaves open, above the default action. */
    BASELINE("baseline", 90);

    /** The tier of a policy that names none. */
    public static final Tier DEFAULT = APPLICATION;

    private final String yamlName;
    private final int order;

    Tier(String yamlName, int order) {
        this.yamlName = yamlName;
        this.order = order;
    }

    /** As {@code spec.tier} spells it: {@code security}. */
    public String yamlName() {
        return yamlName;
    }

    /** The tier's place: lower tiers are evaluated first. NetworkPolicy sits between 30 and 90. */
    public int order() {
        return order;
    }

    /** Whether the tier is evaluated before NetworkPolicy (every tier but baseline). */
    public boolean beforeNetworkPolicy() {
        return this != BASELINE;
    }

    /** The tier spelled exactly as YAML writes it; empty for anything else (including other cases). */
    public static Optional<Tier> find(String name) {
        return Arrays.stream(values()).filter(t -> t.yamlName.equals(name)).findFirst();
    }

    /** The tier {@code spec.tier} names: {@link #DEFAULT} when it names none, empty when it names no tier. */
    public static Optional<Tier> ofSpec(String name) {
        return name == null || name.isEmpty() ? Optional.of(DEFAULT) : find(name);
    }

    /** "emergency, security, application or baseline", in evaluation order. */
    public static String known() {
        String all = Arrays.stream(values()).map(Tier::yamlName).collect(Collectors.joining(", "));
        int last = all.lastIndexOf(", ");
        return all.substring(0, last) + " or " + all.substring(last + 2);
    }

    /** The tier whose name differs from {@code name} only in case, for a hint. */
    public static Optional<Tier> ignoringCase(String name) {
        return name == null ? Optional.empty() : find(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return yamlName;
    }
}
