package io.drover.model.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.Optional;

/**
 * A port given by number ({@code 80}) or by the name of a pod's port ({@code http}): Kubernetes' IntOrString. A
 * string of digits is a number, as Kubernetes reads it.
 */
public final class PortReference {

    private final Integer number;
    private final String name;

    private PortReference(Integer number, String name) {
        this.number = number;
        this.name = name;
    }

    public static PortReference number(int port) {
        return new PortReference(port, null);
    }

    public static PortReference named(String name) {
        return new PortReference(null, Objects.requireNonNull(name, "name"));
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static PortReference of(Object value) {
        if (value instanceof Number n) {
            return number(n.intValue());
        }
        if (value instanceof String s) {
            return s.matches("\\d{1,9}") ? number(Integer.parseInt(s)) : named(s);
        }
        throw new IllegalArgumentException("a port is a number or the name of a pod's port, not " + value);
    }

    public Optional<Integer> numberValue() {
        return Optional.ofNullable(number);
    }

    public Optional<String> nameValue() {
        return Optional.ofNullable(name);
    }

    public boolean isNamed() {
        return name != null;
    }

    @JsonValue
    public Object value() {
        return number != null ? number : name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortReference p && Objects.equals(number, p.number) && Objects.equals(name, p.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(number, name);
    }

    @Override
    public String toString() {
        return String.valueOf(value());
    }
}
