package io.drover.policy;

import java.util.Objects;

/** A pod's policy in the form the data plane programs: per direction, isolated or not, and what is allowed. */
public record PodPolicy(NamespacedName pod, DirectionPolicy ingress, DirectionPolicy egress) {

    public PodPolicy {
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(ingress, "ingress");
        Objects.requireNonNull(egress, "egress");
    }

    public DirectionPolicy direction(Direction direction) {
        return direction == Direction.INGRESS ? ingress : egress;
    }
}
