package io.drover.model.validation;

import io.drover.model.meta.LabelRules;
import io.drover.model.meta.SelectorSpec;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpFamily;
import io.drover.model.policy.IpBlock;
import io.drover.model.policy.NetworkPolicyPeer;
import io.drover.model.policy.NetworkPolicyPort;
import io.drover.model.policy.NetworkPolicyRule;
import io.drover.model.policy.NetworkPolicySpec;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The field rules of a NetworkPolicy, Kubernetes' own (ValidateNetworkPolicySpec), so that a policy written for
 * Kubernetes is accepted here unchanged and one Kubernetes refuses is refused here too. The one addition: Drover
 * refuses an ingress rule with {@code to} (or an egress rule with {@code from}), which Kubernetes' strict decoding
 * refuses as an unknown field.
 */
final class NetworkPolicyRules {

    private static final Set<String> POLICY_TYPES = Set.of(NetworkPolicySpec.INGRESS, NetworkPolicySpec.EGRESS);
    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");
    private static final int MAX_PORT = 65535;

    private NetworkPolicyRules() {}

    static void validate(NetworkPolicySpec spec, Errors errors) {
        validateSelector("spec.podSelector", spec.podSelector(), errors);
        validatePolicyTypes(spec.policyTypes(), errors);
        validateRules("spec.ingress", spec.ingressRules(), true, errors);
        validateRules("spec.egress", spec.egressRules(), false, errors);
    }

    /** matchLabels as labels are; matchExpressions with a valid key, a known operator and values that fit it. */
    static void validateSelector(String field, SelectorSpec selector, Errors errors) {
        Validators.validateLabels(field + ".matchLabels", selector.matchLabels(), errors);
        List<SelectorSpec.Expression> expressions = selector.matchExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            validateExpression(Errors.index(field + ".matchExpressions", i), expressions.get(i), errors);
        }
    }

    private static void validateExpression(String field, SelectorSpec.Expression e, Errors errors) {
        if (e.key() == null || e.key().isEmpty()) {
            errors.add(field + ".key", "is required: the label key the expression tests, e.g. app");
        } else {
            errors.addIfProblem(field + ".key", e.key(), LabelRules.keyProblem(e.key()));
        }
        String operator = e.operator();
        List<String> values = e.values();
        if (operator == null || operator.isEmpty()) {
            errors.add(field + ".operator", "is required; use In, NotIn, Exists or DoesNotExist");
            return;
        }
        switch (operator) {
            case "In", "NotIn" -> {
                if (values.isEmpty()) {
                    errors.add(field + ".values", "must list at least one value for operator " + operator
                            + "; add values, or use " + (operator.equals("In") ? "Exists" : "DoesNotExist")
                            + " to test only whether the label is set");
                }
            }
            case "Exists", "DoesNotExist" -> {
                if (!values.isEmpty()) {
                    errors.add(field + ".values", "must be empty for operator " + operator
                            + ", which tests only whether the label is set; remove values, or use "
                            + (operator.equals("Exists") ? "In" : "NotIn") + " to test the value");
                }
            }
            default -> errors.add(field + ".operator", Errors.quote(operator) + " is not an operator"
                    + SelectorSpec.KNOWN_OPERATORS.stream()
                            .filter(known -> known.equalsIgnoreCase(operator))
                            .findFirst()
                            .map(known -> "; operators are written as Kubernetes spells them: " + known)
                            .orElse("; use In, NotIn, Exists or DoesNotExist"));
        }
        for (int i = 0; i < values.size(); i++) {
            errors.addIfProblem(Errors.index(field + ".values", i), values.get(i), LabelRules.valueProblem(values.get(i)));
        }
    }

    private static void validatePolicyTypes(List<String> policyTypes, Errors errors) {
        if (policyTypes == null) {
            return;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < policyTypes.size(); i++) {
            String field = Errors.index("spec.policyTypes", i);
            String type = policyTypes.get(i);
            if (!POLICY_TYPES.contains(type)) {
                String hint = POLICY_TYPES.stream().filter(t -> t.equalsIgnoreCase(type)).findFirst()
                        .map(t -> "; policy types are capitalized: " + t)
                        .orElse("; use Ingress or Egress");
                errors.add(field, Errors.quote(type) + " is not a policy type" + hint);
                continue;
            }
            Integer earlier = seen.putIfAbsent(type, i);
            if (earlier != null) {
                errors.add(field, type + " is already listed at " + Errors.index("spec.policyTypes", earlier)
                        + "; list each policy type once");
            }
        }
    }

    private static void validateRules(String field, List<NetworkPolicyRule> rules, boolean ingress, Errors errors) {
        for (int i = 0; i < rules.size(); i++) {
            String ruleField = Errors.index(field, i);
            NetworkPolicyRule rule = rules.get(i);
            // Kubernetes has no "to" in ingress rules nor "from" in egress rules; a rule that used the wrong one
            // would silently allow every peer.
            String peersName = ingress ? "from" : "to";
            String wrongName = ingress ? "to" : "from";
            List<NetworkPolicyPeer> wrong = ingress ? rule.to() : rule.from();
            List<NetworkPolicyPeer> peers = ingress ? rule.from() : rule.to();
            if (wrong != null) {
                errors.add(ruleField + "." + wrongName, (ingress ? "an ingress" : "an egress") + " rule names the peers "
                        + (ingress ? "traffic comes from" : "traffic goes to") + " in '" + peersName + "', not '"
                        + wrongName + "'; write " + peersName + ":");
            }
            if (peers != null) {
                for (int j = 0; j < peers.size(); j++) {
                    validatePeer(Errors.index(ruleField + "." + peersName, j), peers.get(j), errors);
                }
            }
            List<NetworkPolicyPort> ports = rule.portList();
            for (int j = 0; j < ports.size(); j++) {
                validatePort(Errors.index(ruleField + ".ports", j), ports.get(j), errors);
            }
        }
    }

    private static void validatePeer(String field, NetworkPolicyPeer peer, Errors errors) {
        if (peer == null) {
            errors.add(field, "is empty; give it a podSelector, a namespaceSelector or an ipBlock");
            return;
        }
        boolean selects = peer.podSelector() != null || peer.namespaceSelector() != null;
        if (peer.ipBlock() != null && selects) {
            errors.add(field + ".ipBlock", "cannot be combined with " + (peer.podSelector() != null ? "podSelector" : "namespaceSelector")
                    + " in one peer; move the ipBlock to a peer of its own (a new '- ipBlock:' item)");
        } else if (peer.ipBlock() == null && !selects) {
            errors.add(field, "selects nothing: a peer must set podSelector and/or namespaceSelector, or ipBlock; "
                    + "write podSelector: {} for every pod of the policy's namespace");
        }
        if (peer.podSelector() != null) {
            validateSelector(field + ".podSelector", peer.podSelector(), errors);
        }
        if (peer.namespaceSelector() != null) {
            validateSelector(field + ".namespaceSelector", peer.namespaceSelector(), errors);
        }
        if (peer.ipBlock() != null) {
            validateIpBlock(field + ".ipBlock", peer.ipBlock(), errors);
        }
    }

    /** The block is a CIDR; each exception is a CIDR of the same family strictly inside it. */
    static void validateIpBlock(String field, IpBlock block, Errors errors) {
        Cidr cidr = null;
        if (block.cidr() == null || block.cidr().isEmpty()) {
            errors.add(field + ".cidr", "is required: the addresses the peer covers, e.g. 10.0.0.0/8");
        } else {
            try {
                cidr = Cidr.parse(block.cidr());
            } catch (IllegalArgumentException e) {
                errors.add(field + ".cidr", e.getMessage());
            }
        }
        List<String> except = block.except();
        for (int i = 0; i < except.size(); i++) {
            String exceptField = Errors.index(field + ".except", i);
            Cidr excluded;
            try {
                excluded = Cidr.parse(except.get(i));
            } catch (IllegalArgumentException e) {
                errors.add(exceptField, e.getMessage());
                continue;
            }
            if (cidr == null) {
                continue; // the block's own error says what to fix first
            }
            if (excluded.family() != cidr.family()) {
                errors.add(exceptField, excluded + " is " + name(excluded) + " but the block " + cidr + " is "
                        + name(cidr) + "; an except is a part of the block, of the same family");
            } else if (!cidr.contains(excluded)) {
                errors.add(exceptField, excluded + " is outside the block " + cidr + "; an except must lie inside "
                        + "cidr: remove it, or correct it to a part of " + cidr);
            } else if (excluded.prefixLength() == cidr.prefixLength()) {
                errors.add(exceptField, excluded + " is the whole block " + cidr + ", which would leave nothing; "
                        + "an except must be strictly inside cidr (a longer prefix), or remove the peer");
            }
        }
    }

    private static void validatePort(String field, NetworkPolicyPort port, Errors errors) {
        if (port == null) {
            errors.add(field, "is empty; give it a port and/or a protocol, or remove it");
            return;
        }
        validateProtocol(field + ".protocol", port.protocol(), errors);
        Integer number = null;
        if (port.port() != null) {
            if (port.port().isNamed()) {
                String name = port.port().nameValue().orElseThrow();
                errors.addIfProblem(field + ".port", name, namedPortProblem(name));
            } else {
                number = port.port().numberValue().orElseThrow();
                if (number < 1 || number > MAX_PORT) {
                    errors.add(field + ".port", "must be between 1 and " + MAX_PORT + "; it is " + number);
                    number = null;
                }
            }
        }
        Integer endPort = port.endPort();
        if (endPort == null) {
            return;
        }
        String endField = field + ".endPort";
        if (port.port() == null) {
            errors.add(endField, "needs port: endPort ends the range that port starts; set port, or remove endPort");
        } else if (port.port().isNamed()) {
            errors.add(endField, "cannot be used with a named port (" + Errors.quote(port.port().toString())
                    + "); a range is between port numbers: write a number in port, or remove endPort");
        } else if (endPort < 1 || endPort > MAX_PORT) {
            errors.add(endField, "must be between 1 and " + MAX_PORT + "; it is " + endPort);
        } else if (number != null && endPort < number) {
            errors.add(endField, "must be at least port (" + number + "); it is " + endPort);
        }
    }

    /** Kubernetes resolves a named port against each pod's ports, whose names are IANA service names. */
    private static String namedPortProblem(String name) {
        String problem = Names.portNameProblem(name);
        return problem == null ? null : problem + "; a named port is the name of a port the pods declare in spec.ports";
    }

    private static void validateProtocol(String field, String protocol, Errors errors) {
        // Omitted (or empty, as NetworkPolicyPort.effectiveProtocol reads it) is TCP.
        if (protocol == null || protocol.isEmpty() || PROTOCOLS.contains(protocol)) {
            return;
        }
        String upper = protocol.toUpperCase(Locale.ROOT);
        if (PROTOCOLS.contains(upper)) {
            errors.add(field, Errors.quote(protocol) + " must be upper case, as in Kubernetes: " + upper);
        } else {
            errors.add(field, Errors.quote(protocol) + " is not a protocol; use TCP, UDP or SCTP (or omit it for TCP)");
        }
    }

    private static String name(Cidr cidr) {
        return cidr.family() == IpFamily.IPV4 ? "IPv4" : "IPv6";
    }
}
