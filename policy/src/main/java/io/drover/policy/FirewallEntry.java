package io.drover.policy;

import io.drover.model.firewall.RuleAction;
import io.drover.model.net.Cidr;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * One firewall rule as one pod's data plane enforces it in one direction: a packet of a new connection matches when
 * its own address (the pod's end) is in {@code local}, the other end's address in {@code peers}, and its protocol and
 * destination port in {@code services}. The first entry of a chain part that matches applies {@code action}.
 *
 * @param rule     the rule, for counters ({@link FirewallRuleRef#id()}), logs and explanations
 * @param action   Allow, Drop, Reject or Pass
 * @param local    the pod's own addresses the rule applies to, as host prefixes: all of them when the pod was chosen
 *                 by labels or namespace, only those inside a block when it was chosen by address
 * @param peers    the other end's addresses (the destination for egress, the source for ingress) as non-overlapping
 *                 prefixes, IPv4 first; a rule without destinations (sources) gives 0.0.0.0/0 and ::/0
 * @param services protocols and destination ports; {@link PortSet.AnyPort} for a rule without services
 * @param logged   whether the rule asks to log what it decides
 */
public record FirewallEntry(FirewallRuleRef rule, RuleAction action, List<Cidr> local, List<Cidr> peers, PortSet services,
        boolean logged) {

    public FirewallEntry {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(action, "action");
        local = List.copyOf(local);
        peers = List.copyOf(peers);
        Objects.requireNonNull(services, "services");
    }

    /**
     * @param own  the pod's address the packet carries (its source for egress, its destination for ingress)
     * @param peer the other end's address
     */
    public boolean matches(InetAddress own, InetAddress peer, String protocol, int port) {
        return services.allows(protocol, port)
                && local.stream().anyMatch(cidr -> cidr.contains(own))
                && peers.stream().anyMatch(cidr -> cidr.contains(peer));
    }

    @Override
    public String toString() {
        return rule + " " + action + ": " + local + " <-> " + peers + " " + services + (logged ? " (logged)" : "");
    }
}
