package io.drover.policy;

import io.drover.model.pod.Pod;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.policy.NetworkPolicyPeer;
import io.drover.model.policy.NetworkPolicyPort;
import io.drover.model.policy.NetworkPolicyRule;
import io.drover.policy.DirectionVerdict.Isolated;
import io.drover.policy.DirectionVerdict.NotAPod;
import io.drover.policy.DirectionVerdict.NotIsolated;
import io.drover.policy.Party.PodParty;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Judges one direction of a connection: the client's egress, or the server's ingress. */
final class DirectionJudge {

    private final PolicySnapshot snapshot;

    DirectionJudge(PolicySnapshot snapshot) {
        this.snapshot = snapshot;
    }

    /**
     * @param subject the end whose policies decide (the client for egress, the server for ingress)
     * @param peer    the other end
     */
    DirectionVerdict judge(Direction direction, Party subject, Party peer, String protocol, int port) {
        if (!(subject instanceof PodParty pod)) {
            return new NotAPod(direction, subject.display());
        }
        List<NetworkPolicy> policies = snapshot.selecting(pod, direction);
        if (policies.isEmpty()) {
            return new NotIsolated(direction, subject.display());
        }
        // Named ports always name the destination's ports: the selected pod's for ingress, the peer's for egress.
        Party destination = direction == Direction.INGRESS ? subject : peer;
        Optional<Pod> destinationPod = destination instanceof PodParty p ? Optional.of(p.pod()) : Optional.empty();
        List<RuleMatch> matches = new ArrayList<>();
        for (NetworkPolicy policy : policies) {
            NamespacedName policyName = NamespacedName.of(policy);
            List<NetworkPolicyRule> rules = direction.rules(policy.spec());
            for (int i = 0; i < rules.size(); i++) {
                RuleRef ref = new RuleRef(policyName, direction, i);
                match(ref, rules.get(i), peer, protocol, port, destinationPod).ifPresent(matches::add);
            }
        }
        return new Isolated(direction, subject.display(), policies.stream().map(NamespacedName::of).toList(), matches);
    }

    private static Optional<RuleMatch> match(RuleRef ref, NetworkPolicyRule rule, Party peer, String protocol, int port,
            Optional<Pod> destinationPod) {
        List<NetworkPolicyPeer> peers = rule.peers();
        Optional<NetworkPolicyPeer> matchedPeer = peers.stream()
                .filter(p -> Peers.matches(p, ref.policy().namespace(), peer))
                .findFirst();
        if (!peers.isEmpty() && matchedPeer.isEmpty()) {
            return Optional.empty();
        }
        List<NetworkPolicyPort> ports = rule.portList();
        Optional<NetworkPolicyPort> matchedPort = ports.stream()
                .filter(p -> RulePorts.resolve(p, destinationPod).filter(r -> r.contains(protocol, port)).isPresent())
                .findFirst();
        if (!ports.isEmpty() && matchedPort.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RuleMatch(ref, matchedPeer, matchedPort));
    }
}
