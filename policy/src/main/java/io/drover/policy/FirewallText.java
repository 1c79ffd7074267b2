package io.drover.policy;

import io.drover.model.firewall.FirewallPeer;
import io.drover.model.firewall.FirewallRule;
import io.drover.model.firewall.FirewallService;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Firewall rules in the words explanations use, close to how the policy writes them. */
final class FirewallText {

    private FirewallText() {}

    /** {@code from group web-tier; to any; ports 80/TCP; logged}. */
    static String rule(FirewallRule rule) {
        return "from " + peers(rule.sourceList()) + "; to " + peers(rule.destinationList()) + "; "
                + services(rule.serviceList()) + (rule.logged() ? "; logged" : "");
    }

    static String peers(List<FirewallPeer> peers) {
        return peers.isEmpty() ? "any" : peers.stream().map(FirewallText::peer).collect(Collectors.joining(", "));
    }

    /** {@code group web-tier}, {@code pods tier=web in namespaces shop}, {@code ipBlock 10.0.0.0/8 except 10.1.0.0/16}. */
    static String peer(FirewallPeer peer) {
        if (peer.group() != null) {
            return "group " + peer.group();
        }
        if (peer.ipBlock() != null) {
            return PolicyText.ipBlock(peer.ipBlock());
        }
        String pods = peer.podSelector() == null || peer.podSelector().isEmpty()
                ? "every pod" : "pods " + PolicyText.selector(peer.podSelector());
        if (peer.namespaces() != null) {
            return pods + " in namespaces " + String.join(", ", peer.namespaces());
        }
        if (peer.namespaceSelector() != null && !peer.namespaceSelector().isEmpty()) {
            return pods + " in namespaces " + PolicyText.selector(peer.namespaceSelector());
        }
        return pods;
    }

    /** {@code ports 80/TCP, 1000-2000/UDP, ICMP}; {@code any service} when the rule lists none. */
    static String services(List<FirewallService> services) {
        if (services.isEmpty()) {
            return "any service";
        }
        List<String> out = new ArrayList<>();
        for (FirewallService s : services) {
            String protocol = s.effectiveProtocol();
            if (protocol.equals(FirewallService.ICMP)) {
                out.add(protocol);
            } else if (s.port() == null) {
                out.add("every " + protocol + " port");
            } else {
                out.add(s.port() + (s.endPort() == null ? "" : "-" + s.endPort()) + "/" + protocol);
            }
        }
        return "services " + String.join(", ", out);
    }
}
