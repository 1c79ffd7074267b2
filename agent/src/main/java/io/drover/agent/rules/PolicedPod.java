package io.drover.agent.rules;

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
 */
public record PolicedPod(String pod, List<InetAddress> addresses, PodPolicy policy) {

    public PolicedPod {
        Objects.requireNonNull(pod, "pod");
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(policy, "policy");
    }
}
