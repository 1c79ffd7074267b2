package io.drover.policy;

import io.drover.model.policy.NetworkPolicyRule;
import io.drover.model.policy.NetworkPolicySpec;
import java.util.List;

/** The two directions a policy can isolate a pod in: traffic to it (ingress) and from it (egress). */
public enum Direction {
    INGRESS("ingress", "from"),
    EGRESS("egress", "to");

    private final String label;
    private final String peerWord;

    Direction(String label, String peerWord) {
        this.label = label;
        this.peerWord = peerWord;
    }

    /** Whether a policy selecting a pod isolates it in this direction (policyTypes, or its default). */
    public boolean isolates(NetworkPolicySpec spec) {
        return this == INGRESS ? spec.appliesToIngress() : spec.appliesToEgress();
    }

    public List<NetworkPolicyRule> rules(NetworkPolicySpec spec) {
        return this == INGRESS ? spec.ingressRules() : spec.egressRules();
    }

    /** {@code ingress} or {@code egress}, as policies spell the rule lists. */
    public String label() {
        return label;
    }

    /** {@code from} or {@code to}, as rules name their peers. */
    public String peerWord() {
        return peerWord;
    }

    @Override
    public String toString() {
        return label;
    }
}
