package io.drover.model.policy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One ingress or egress rule. Kubernetes names the peer list {@code from} in ingress rules and {@code to} in egress
 * rules; both are accepted here and only the one that fits the direction is meaningful (validation refuses the
 * other). An omitted or empty peer list matches every peer; an omitted or empty port list matches every port and
 * protocol.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkPolicyRule(List<NetworkPolicyPeer> from, List<NetworkPolicyPeer> to,
        List<NetworkPolicyPort> ports) {

    public NetworkPolicyRule {
        from = from == null ? null : List.copyOf(from);
        to = to == null ? null : List.copyOf(to);
        ports = ports == null ? null : List.copyOf(ports);
    }

    /** The peers of the rule, whichever field holds them; empty means every peer. */
    @JsonIgnore
    public List<NetworkPolicyPeer> peers() {
        if (from != null && !from.isEmpty()) {
            return from;
        }
        return to == null ? List.of() : to;
    }

    /** Empty means every port of every protocol. */
    @JsonIgnore
    public List<NetworkPolicyPort> portList() {
        return ports == null ? List.of() : ports;
    }
}
