package io.drover.model.validation;

import io.drover.model.firewall.FirewallPeer;
import io.drover.model.firewall.FirewallPolicySpec;
import io.drover.model.firewall.FirewallRule;
import io.drover.model.firewall.FirewallService;
import io.drover.model.firewall.FirewallSettings;
import io.drover.model.firewall.RuleAction;
import io.drover.model.firewall.RuleDirection;
import io.drover.model.firewall.SecurityGroup;
import io.drover.model.firewall.Tier;
import io.drover.model.meta.LabelRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The field rules of the distributed firewall's kinds: SecurityGroup, FirewallPolicy and FirewallSettings. Selectors
 * and ipBlocks follow NetworkPolicy's rules ({@link NetworkPolicyRules}). Whether a named group exists and whether
 * another policy of the tier already has the priority depend on other objects: the registry checks those.
 */
final class FirewallRules {

    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP", FirewallService.ICMP);
    private static final int MAX_PORT = 65535;

    private FirewallRules() {}

    static void validate(SecurityGroup group, Errors errors) {
        List<FirewallPeer> members = group.spec().members();
        for (int i = 0; i < members.size(); i++) {
            String field = Errors.index("spec.members", i);
            FirewallPeer member = members.get(i);
            validatePeer(field, member, errors);
            if (member != null && member.group() != null && member.group().equals(group.name())) {
                errors.add(field + ".group", "names the group itself; a group cannot contain itself: remove this member");
            }
        }
    }

    static void validate(FirewallPolicySpec spec, Errors errors) {
        validateTier(spec.tier(), errors);
        validatePriority(spec.priority(), errors);
        List<FirewallPeer> appliedTo = spec.appliedToList();
        for (int i = 0; i < appliedTo.size(); i++) {
            validatePeer(Errors.index("spec.appliedTo", i), appliedTo.get(i), errors);
        }
        List<FirewallRule> rules = spec.ruleList();
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            String field = Errors.index("spec.rules", i);
            FirewallRule rule = rules.get(i);
            if (rule == null) {
                errors.add(field, "is empty; give the rule at least a name and an action, or remove it");
                continue;
            }
            validateRule(field, rule, errors);
            if (rule.name() != null && !rule.name().isEmpty()) {
                Integer earlier = names.putIfAbsent(rule.name(), i);
                if (earlier != null) {
                    errors.add(field + ".name", Errors.quote(rule.name()) + " is already the name of "
                            + Errors.index("spec.rules", earlier) + "; counters and logs tell rules apart by name: give "
                            + "each rule of a policy its own");
                }
            }
        }
    }

    static void validate(FirewallSettings settings, Errors errors) {
        String name = settings.name();
        if (name != null && !name.isEmpty() && !FirewallSettings.NAME.equals(name)) {
            errors.add("metadata.name", Errors.quote(name) + ": the cluster has one FirewallSettings, named "
                    + FirewallSettings.NAME + "; write metadata.name: " + FirewallSettings.NAME);
        }
        String action = settings.spec().defaultAction();
        if (action == null || action.isEmpty()) {
            return;
        }
        if (RuleAction.find(action).orElse(null) == RuleAction.PASS) {
            errors.add("spec.defaultAction", "cannot be Pass: the default action is the bottom, with nothing below to "
                    + "pass to; use Allow, Drop (zero trust) or Reject");
        } else if (RuleAction.find(action).isEmpty()) {
            errors.add("spec.defaultAction", Errors.quote(action) + " is not an action" + RuleAction.ignoringCase(action)
                    .filter(RuleAction::isFinal)
                    .map(a -> "; actions are capitalized: " + a.yamlName())
                    .orElse("; use Allow, Drop (zero trust) or Reject"));
        }
    }

    private static void validateTier(String tier, Errors errors) {
        if (tier == null || tier.isEmpty() || Tier.find(tier).isPresent()) {
            return;
        }
        errors.add("spec.tier", Errors.quote(tier) + " is not a tier" + Tier.ignoringCase(tier)
                .map(t -> "; tiers are written in lower case: " + t.yamlName())
                .orElse("; use " + Tier.known() + " (evaluated in that order; baseline after NetworkPolicy), or omit "
                        + "it for " + Tier.DEFAULT.yamlName()));
    }

    private static void validatePriority(Integer priority, Errors errors) {
        if (priority == null) {
            errors.add("spec.priority", "is required: the policy's place within its tier, from "
                    + FirewallPolicySpec.MIN_PRIORITY + " to " + FirewallPolicySpec.MAX_PRIORITY
                    + ", lower first; e.g. priority: 100");
        } else if (priority < FirewallPolicySpec.MIN_PRIORITY || priority > FirewallPolicySpec.MAX_PRIORITY) {
            errors.add("spec.priority", "must be between " + FirewallPolicySpec.MIN_PRIORITY + " and "
                    + FirewallPolicySpec.MAX_PRIORITY + " (lower first); it is " + priority);
        }
    }

    private static void validateRule(String field, FirewallRule rule, Errors errors) {
        if (rule.name() == null || rule.name().isEmpty()) {
            errors.add(field + ".name", "is required: explanations, counters and logs name the rule by it, "
                    + "e.g. name: allow-http");
        } else {
            errors.addIfProblem(field + ".name", rule.name(), LabelRules.dns1123LabelProblem(rule.name()));
        }
        String action = rule.action();
        if (action == null || action.isEmpty()) {
            errors.add(field + ".action", "is required: Allow, Drop, Reject or Pass (hand the decision to NetworkPolicy)");
        } else if (RuleAction.find(action).isEmpty()) {
            errors.add(field + ".action", Errors.quote(action) + " is not an action" + RuleAction.ignoringCase(action)
                    .map(a -> "; actions are capitalized: " + a.yamlName())
                    .orElse("; use Allow, Drop, Reject or Pass"));
        }
        String direction = rule.direction();
        if (direction != null && !direction.isEmpty() && RuleDirection.find(direction).isEmpty()) {
            errors.add(field + ".direction", Errors.quote(direction) + " is not a direction" + RuleDirection
                    .ignoringCase(direction)
                    .map(d -> "; write " + d.yamlName())
                    .orElse("; use In (at the destination), Out (at the source) or InOut (both, the default)"));
        }
        validatePeers(field + ".sources", rule.sources(), errors);
        validatePeers(field + ".destinations", rule.destinations(), errors);
        List<FirewallService> services = rule.serviceList();
        for (int i = 0; i < services.size(); i++) {
            validateService(Errors.index(field + ".services", i), services.get(i), errors);
        }
    }

    private static void validatePeers(String field, List<FirewallPeer> peers, Errors errors) {
        if (peers == null) {
            return;
        }
        for (int i = 0; i < peers.size(); i++) {
            validatePeer(Errors.index(field, i), peers.get(i), errors);
        }
    }

    /** One of three forms: a group, pods (selectors and/or namespaces), or an ipBlock. */
    static void validatePeer(String field, FirewallPeer peer, Errors errors) {
        if (peer == null) {
            errors.add(field, "is empty; give it a group, pods (podSelector, namespaceSelector or namespaces) or an ipBlock");
            return;
        }
        List<String> forms = new ArrayList<>();
        if (peer.group() != null) {
            forms.add("group");
        }
        if (peer.selectsPods()) {
            forms.add("pods (" + String.join(", ", podFields(peer)) + ")");
        }
        if (peer.ipBlock() != null) {
            forms.add("ipBlock");
        }
        if (forms.isEmpty()) {
            errors.add(field, "selects nothing: give it a group, pods (podSelector, namespaceSelector or namespaces) or "
                    + "an ipBlock; write podSelector: {} for every pod of every namespace");
        } else if (forms.size() > 1) {
            errors.add(field, "combines " + String.join(" and ", forms) + "; an entry is one of them: put each in an "
                    + "entry of its own (a new '- ' item), which then adds up");
        }
        if (peer.group() != null) {
            if (peer.group().isEmpty()) {
                errors.add(field + ".group", "is empty; name a SecurityGroup, e.g. group: web-tier");
            } else {
                errors.addIfProblem(field + ".group", peer.group(), LabelRules.dns1123SubdomainProblem(peer.group()));
            }
        }
        if (peer.podSelector() != null) {
            NetworkPolicyRules.validateSelector(field + ".podSelector", peer.podSelector(), errors);
        }
        if (peer.namespaceSelector() != null) {
            NetworkPolicyRules.validateSelector(field + ".namespaceSelector", peer.namespaceSelector(), errors);
        }
        if (peer.namespaces() != null) {
            validateNamespaces(field, peer, errors);
        }
        if (peer.ipBlock() != null) {
            NetworkPolicyRules.validateIpBlock(field + ".ipBlock", peer.ipBlock(), errors);
        }
    }

    private static List<String> podFields(FirewallPeer peer) {
        List<String> fields = new ArrayList<>();
        if (peer.podSelector() != null) {
            fields.add("podSelector");
        }
        if (peer.namespaceSelector() != null) {
            fields.add("namespaceSelector");
        }
        if (peer.namespaces() != null) {
            fields.add("namespaces");
        }
        return fields;
    }

    private static void validateNamespaces(String field, FirewallPeer peer, Errors errors) {
        String namespacesField = field + ".namespaces";
        if (peer.namespaceSelector() != null) {
            errors.add(namespacesField, "cannot be combined with namespaceSelector; use one: namespaces lists "
                    + "namespaces by name, namespaceSelector matches their labels");
        }
        List<String> namespaces = peer.namespaces();
        if (namespaces.isEmpty()) {
            errors.add(namespacesField, "is empty, which would select no namespace; list at least one, or remove it "
                    + "for every namespace");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < namespaces.size(); i++) {
            String item = Errors.index(namespacesField, i);
            String namespace = namespaces.get(i);
            if (namespace == null || namespace.isEmpty()) {
                errors.add(item, "is empty; write a namespace's name");
                continue;
            }
            errors.addIfProblem(item, namespace, LabelRules.dns1123LabelProblem(namespace));
            Integer earlier = seen.putIfAbsent(namespace, i);
            if (earlier != null) {
                errors.add(item, Errors.quote(namespace) + " is already listed at " + Errors.index(namespacesField, earlier)
                        + "; list each namespace once");
            }
        }
    }

    private static void validateService(String field, FirewallService service, Errors errors) {
        if (service == null) {
            errors.add(field, "is empty; give it a protocol and/or a port, or remove it");
            return;
        }
        String protocol = service.effectiveProtocol();
        boolean knownProtocol = PROTOCOLS.contains(protocol);
        if (!knownProtocol) {
            String upper = protocol.toUpperCase(Locale.ROOT);
            errors.add(field + ".protocol", PROTOCOLS.contains(upper)
                    ? Errors.quote(protocol) + " must be upper case: " + upper
                    : Errors.quote(protocol) + " is not a protocol; use TCP, UDP, SCTP or ICMP (or omit it for TCP)");
        }
        if (knownProtocol && protocol.equals(FirewallService.ICMP)) {
            if (service.port() != null || service.endPort() != null) {
                errors.add(field + (service.port() != null ? ".port" : ".endPort"), "ICMP has no ports; remove "
                        + (service.port() != null ? "port" : "endPort") + ", or use TCP, UDP or SCTP");
            }
            return;
        }
        Integer port = service.port();
        if (port != null && (port < 1 || port > MAX_PORT)) {
            errors.add(field + ".port", "must be between 1 and " + MAX_PORT + "; it is " + port);
            port = null;
        }
        Integer endPort = service.endPort();
        if (endPort == null) {
            return;
        }
        String endField = field + ".endPort";
        if (service.port() == null) {
            errors.add(endField, "needs port: endPort ends the range that port starts; set port, or remove endPort");
        } else if (endPort < 1 || endPort > MAX_PORT) {
            errors.add(endField, "must be between 1 and " + MAX_PORT + "; it is " + endPort);
        } else if (port != null && endPort < port) {
            errors.add(endField, "must be at least port (" + port + "); it is " + endPort);
        }
    }
}
