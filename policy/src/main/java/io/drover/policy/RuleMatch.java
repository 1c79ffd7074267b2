package io.drover.policy;

import io.drover.model.policy.NetworkPolicyPeer;
import io.drover.model.policy.NetworkPolicyPort;
import java.util.Objects;
import java.util.Optional;

/**
 * A rule that allows a connection, with the peer and the port of the rule that matched it.
 *
 * @param peer empty when the rule lists no peers, and so matches every peer
 * @param port empty when the rule lists no ports, and so matches every port of every protocol
 */
public record RuleMatch(RuleRef rule, Optional<NetworkPolicyPeer> peer, Optional<NetworkPolicyPort> port) {

    public RuleMatch {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(port, "port");
    }

    /** E.g. {@code y/allow-81 ingress[0] (from namespaceSelector ns=x; port 81/TCP)}. */
    public String describe() {
        String peerText = rule.direction().peerWord() + " " + peer.map(PolicyText::peer).orElse("any peer");
        String portText = port.map(PolicyText::port).orElse("any port and protocol");
        return rule + " (" + peerText + "; " + portText + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
