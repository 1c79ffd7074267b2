package io.drover.model.firewall;

import java.util.Arrays;
import java.util.Optional;

/**
 * Where a rule is enforced, as NSX's rule direction: at the destination pod as the connection comes in ({@code In}),
 * at the source pod as it goes out ({@code Out}), or at both ({@code InOut}, the default).
 */
public enum RuleDirection {
    IN("In"),
    OUT("Out"),
    IN_OUT("InOut");

    public static final RuleDirection DEFAULT = IN_OUT;

    private final String yamlName;

    RuleDirection(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    /** Enforced at the destination pod. */
    public boolean inbound() {
        return this != OUT;
    }

    /** Enforced at the source pod. */
    public boolean outbound() {
        return this != IN;
    }

    public static Optional<RuleDirection> find(String name) {
        return Arrays.stream(values()).filter(d -> d.yamlName.equals(name)).findFirst();
    }

    /** The direction {@code direction} names: {@link #DEFAULT} when it names none, empty when it names no direction. */
    public static Optional<RuleDirection> ofSpec(String name) {
        return name == null || name.isEmpty() ? Optional.of(DEFAULT) : find(name);
    }

    public static Optional<RuleDirection> ignoringCase(String name) {
        return Arrays.stream(values()).filter(d -> d.yamlName.equalsIgnoreCase(name)).findFirst();
    }

    @Override
    public String toString() {
        return yamlName;
    }
}
