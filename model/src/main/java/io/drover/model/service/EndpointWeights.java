package io.drover.model.service;

import java.util.Map;
import java.util.OptionalInt;

/** A pod's share under weighted balancing: its {@value #ANNOTATION} annotation, 1 to 1000, 1 when absent. */
public final class EndpointWeights {

    public static final String ANNOTATION = "drover.io/weight";
    public static final int MIN = 1;
    public static final int MAX = 1000;
    public static final int DEFAULT = 1;

    private EndpointWeights() {}

    /** The weight an annotation value gives; empty when it is not a whole number from 1 to 1000. */
    public static OptionalInt parse(String value) {
        if (value == null || !value.matches("\\d{1,4}")) {
            return OptionalInt.empty();
        }
        int weight = Integer.parseInt(value);
        return weight < MIN || weight > MAX ? OptionalInt.empty() : OptionalInt.of(weight);
    }

    /** The weight of a pod with these annotations; the default when it has none (or, unvalidated, a bad one). */
    public static int of(Map<String, String> podAnnotations) {
        String value = podAnnotations == null ? null : podAnnotations.get(ANNOTATION);
        return value == null ? DEFAULT : parse(value).orElse(DEFAULT);
    }
}
