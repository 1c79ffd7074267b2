package io.drover.policy;

import java.util.Objects;

/** One rule of a policy: {@code y/allow-81 ingress[0]}, as explanations and compiled entries cite it. */
public record RuleRef(NamespacedName policy, Direction direction, int index) {

    public RuleRef {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(direction, "direction");
    }

    @Override
    public String toString() {
        return policy + " " + direction.label() + "[" + index + "]";
    }
}
