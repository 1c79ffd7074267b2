package io.drover.model.service;

import java.util.Arrays;
import java.util.Optional;

/** How a node picks one of a service's ready endpoints for a new connection (Drover's annotation, not Kubernetes'). */
public enum LoadBalancing {
    /** Each endpoint equally likely, as kube-proxy. */
    RANDOM("random"),
    /** Endpoints in turn. */
    ROUND_ROBIN("round-robin"),
    /** In proportion to each pod's {@value EndpointWeights#ANNOTATION} annotation. */
    WEIGHTED("weighted"),
    /** A hash of the client's address: one client keeps one endpoint while the endpoints stay the same. */
    SOURCE_HASH("source-hash");

    public static final LoadBalancing DEFAULT = RANDOM;

    private final String annotationValue;

    LoadBalancing(String annotationValue) {
        this.annotationValue = annotationValue;
    }

    public String annotationValue() {
        return annotationValue;
    }

    /** The algorithm an annotation value names; the default when the value is absent, empty when it names none. */
    public static Optional<LoadBalancing> ofAnnotation(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of(DEFAULT);
        }
        return Arrays.stream(values()).filter(l -> l.annotationValue.equals(value)).findFirst();
    }

    /** "random, round-robin, weighted or source-hash". */
    public static String known() {
        return "random, round-robin, weighted or source-hash";
    }

    @Override
    public String toString() {
        return annotationValue;
    }
}
