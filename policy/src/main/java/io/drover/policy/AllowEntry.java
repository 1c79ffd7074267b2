package io.drover.policy;

import io.drover.model.net.Cidr;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * What one rule lets through, resolved to what the data plane matches on: peer addresses (the other end: the
 * source for ingress, the destination for egress) and ports.
 *
 * @param rule  the rule it comes from, for counters and explanations
 * @param peers non-overlapping prefixes, IPv4 first; a rule without peers gives 0.0.0.0/0 and ::/0
 * @param ports the destination ports
 */
public record AllowEntry(RuleRef rule, List<Cidr> peers, PortSet ports) {

    public AllowEntry {
        Objects.requireNonNull(rule, "rule");
        peers = List.copyOf(peers);
        Objects.requireNonNull(ports, "ports");
    }

    public boolean allows(InetAddress peer, String protocol, int port) {
        return ports.allows(protocol, port) && peers.stream().anyMatch(cidr -> cidr.contains(peer));
    }

    @Override
    public String toString() {
        return rule + ": " + peers + " " + ports;
    }
}
