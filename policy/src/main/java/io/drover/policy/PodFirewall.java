package io.drover.policy;

import java.util.Objects;

/**
 * A pod's distributed firewall and NetworkPolicy in the form its data plane programs: one chain per direction
 * ({@link FirewallChain}). Ingress is what comes to the pod, egress what leaves it; a connection between two pods
 * passes the client's egress chain and then the server's ingress chain, each on its own node.
 */
public record PodFirewall(NamespacedName pod, FirewallChain ingress, FirewallChain egress) {

    public PodFirewall {
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(ingress, "ingress");
        Objects.requireNonNull(egress, "egress");
    }

    public FirewallChain direction(Direction direction) {
        return direction == Direction.INGRESS ? ingress : egress;
    }
}
