package io.drover.agent.rules;

import io.drover.policy.Direction;
import io.drover.policy.FirewallChain;
import io.drover.policy.PodFirewall;
import io.drover.policy.PodPolicy;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A pod of this node that NetworkPolicy isolates in at least one direction, as the rules need it: its addresses
 * (which the dispatch maps key on, and which it may always reach itself through) and its compiled policy.
 *
 * @param pod       {@code <namespace>/<pod>}
 * @param addresses the pod's addresses on every network it joins
 * @param firewall  its distributed firewall chains, or null when no firewall is configured
 */
public record PolicedPod(String pod, List<InetAddress> addresses, PodPolicy policy, PodFirewall firewall) {

    public PolicedPod {
        Objects.requireNonNull(pod, "pod");
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(policy, "policy");
    }

    /** A pod under NetworkPolicy alone. */
    public PolicedPod(String pod, List<InetAddress> addresses, PodPolicy policy) {
        this(pod, addresses, policy, null);
    }

    /** Whether anything restricts the pod: NetworkPolicy isolates it, or the firewall does more than that. */
    public boolean isPoliced() {
        return policy.ingress().isolated() || policy.egress().isolated()
                || firewallChain(Direction.INGRESS).isPresent() || firewallChain(Direction.EGRESS).isPresent();
    }

    /** The firewall's chain in a direction, when it does more than NetworkPolicy does. */
    public java.util.Optional<FirewallChain> firewallChain(Direction direction) {
        if (firewall == null) {
            return java.util.Optional.empty();
        }
        FirewallChain chain = firewall.direction(direction);
        return chain.networkPolicyOnly() ? java.util.Optional.empty() : java.util.Optional.of(chain);
    }
}
