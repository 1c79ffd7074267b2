package io.drover.cli.output;

import io.drover.model.meta.SelectorSpec;
import io.drover.model.policy.IpBlock;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.policy.NetworkPolicyPeer;
import io.drover.model.policy.NetworkPolicyPort;
import io.drover.model.policy.NetworkPolicyRule;
import io.drover.model.policy.NetworkPolicySpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A NetworkPolicy in words, for {@code get} and {@code describe}. Selectors are written as label selectors are on
 * the command line ({@code app=web,tier in (a,b)}), so that what is shown can be pasted after {@code -l}. Output
 * must never fail on an odd stored value, so nothing here assumes the policy is valid.
 */
public final class PolicyText {

    /** An empty selector: every pod (or namespace). */
    public static final String ALL = "<all>";

    private PolicyText() {}

    public static NetworkPolicySpec spec(NetworkPolicy policy) {
        return policy.spec() == null ? NetworkPolicySpec.EMPTY : policy.spec();
    }

    /** {@code pod=a,tier in (b,c)}; {@code <all>} for the empty selector, which selects everything. */
    public static String selector(SelectorSpec selector) {
        return selector == null || selector.isEmpty() ? ALL : selector.toLabelSelector().toString();
    }

    /**
     * The directions the policy isolates, as Kubernetes defaults an omitted policyTypes: Ingress always, Egress
     * when there are egress rules. {@code Ingress,Egress}.
     */
    public static String types(NetworkPolicy policy) {
        NetworkPolicySpec spec = spec(policy);
        List<String> types = new ArrayList<>();
        if (spec.appliesToIngress()) {
            types.add(NetworkPolicySpec.INGRESS);
        }
        if (spec.appliesToEgress()) {
            types.add(NetworkPolicySpec.EGRESS);
        }
        return types.isEmpty() ? Labels.NONE : String.join(",", types);
    }

    /**
     * The lines describing one direction: whether it is isolated and, rule by rule, whom and which ports each
     * allows. {@code ingress} selects the direction.
     */
    public static List<String> direction(NetworkPolicy policy, boolean ingress) {
        NetworkPolicySpec spec = spec(policy);
        boolean applies = ingress ? spec.appliesToIngress() : spec.appliesToEgress();
        List<NetworkPolicyRule> rules = ingress ? spec.ingressRules() : spec.egressRules();
        String name = ingress ? "ingress" : "egress";
        if (!applies) {
            return List.of("not affected (policyTypes does not include " + (ingress ? "Ingress" : "Egress") + ")");
        }
        if (rules.isEmpty()) {
            return List.of("all " + name + " denied: the selected pods are isolated and no rule allows any");
        }
        List<String> lines = new ArrayList<>();
        String peersLabel = ingress ? "From" : "To";
        for (int i = 0; i < rules.size(); i++) {
            NetworkPolicyRule rule = rules.get(i);
            lines.add("Rule " + (i + 1) + ":");
            List<NetworkPolicyPeer> peers = ingress ? rule.from() : rule.to();
            if (peers == null || peers.isEmpty()) {
                lines.add("  " + peersLabel + ": anywhere (every pod and address)");
            } else {
                for (NetworkPolicyPeer peer : peers) {
                    lines.add("  " + peersLabel + ": " + peer(peer));
                }
            }
            lines.add("  Ports: " + ports(rule.portList()));
        }
        return lines;
    }

    /**
     * Kubernetes' peer semantics in words: a podSelector alone means pods of the policy's own namespace, a
     * namespaceSelector alone every pod of the matching namespaces, both together the matching pods of the
     * matching namespaces.
     */
    static String peer(NetworkPolicyPeer peer) {
        if (peer == null) {
            return Labels.NONE;
        }
        if (peer.ipBlock() != null) {
            return ipBlock(peer.ipBlock());
        }
        SelectorSpec pods = peer.podSelector();
        SelectorSpec namespaces = peer.namespaceSelector();
        if (pods == null && namespaces == null) {
            return Labels.NONE;
        }
        String podPart = pods == null || pods.isEmpty() ? "every pod" : "pods " + selector(pods);
        if (namespaces == null) {
            return podPart + " in this namespace";
        }
        return podPart + (namespaces.isEmpty() ? " in every namespace" : " in namespaces " + selector(namespaces));
    }

    /** {@code 10.0.0.0/8 except 10.1.0.0/16, 10.2.0.0/16}. */
    static String ipBlock(IpBlock block) {
        String cidr = block.cidr() == null ? Labels.NONE : block.cidr();
        return block.except().isEmpty() ? cidr : cidr + " except " + String.join(", ", block.except());
    }

    /** {@code 81/TCP, http/UDP, 1000-2000/TCP, every SCTP port}; every port when the rule names none. */
    static String ports(List<NetworkPolicyPort> ports) {
        if (ports.isEmpty()) {
            return "every port and protocol";
        }
        List<String> out = new ArrayList<>();
        for (NetworkPolicyPort p : ports) {
            if (p == null) {
                continue;
            }
            if (p.port() == null) {
                out.add("every " + p.effectiveProtocol() + " port");
            } else {
                out.add(p.port() + (p.endPort() == null ? "" : "-" + p.endPort()) + "/" + p.effectiveProtocol());
            }
        }
        return String.join(", ", out);
    }
}
