package io.drover.policy;

import io.drover.model.meta.SelectorSpec;
import io.drover.model.policy.IpBlock;
import io.drover.model.policy.NetworkPolicyPeer;
import io.drover.model.policy.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.List;

/** Peers and ports of rules in the words explanations use, close to how the policy writes them. */
final class PolicyText {

    private PolicyText() {}

    static String selector(SelectorSpec selector) {
        return selector.isEmpty() ? "{}" : selector.toLabelSelector().toString();
    }

    static String peer(NetworkPolicyPeer peer) {
        if (peer.ipBlock() != null) {
            return ipBlock(peer.ipBlock());
        }
        List<String> parts = new ArrayList<>();
        if (peer.namespaceSelector() != null) {
            parts.add("namespaceSelector " + selector(peer.namespaceSelector()));
        }
        if (peer.podSelector() != null) {
            parts.add("podSelector " + selector(peer.podSelector()));
        }
        return parts.isEmpty() ? "an empty peer" : String.join(" and ", parts);
    }

    static String ipBlock(IpBlock block) {
        return "ipBlock " + block.cidr() + (block.except().isEmpty() ? "" : " except " + String.join(", ", block.except()));
    }

    static String port(NetworkPolicyPort port) {
        String protocol = port.effectiveProtocol();
        if (port.port() == null) {
            return "every " + protocol + " port";
        }
        if (port.port().isNamed()) {
            return "port " + port.port() + "/" + protocol;
        }
        return port.endPort() == null
                ? "port " + port.port() + "/" + protocol
                : "ports " + port.port() + "-" + port.endPort() + "/" + protocol;
    }
}
