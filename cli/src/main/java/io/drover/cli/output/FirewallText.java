package io.drover.cli.output;

import io.drover.model.firewall.FirewallPeer;
import io.drover.model.firewall.FirewallPolicy;
import io.drover.model.firewall.FirewallPolicySpec;
import io.drover.model.firewall.FirewallRule;
import io.drover.model.firewall.FirewallService;
import io.drover.model.firewall.FirewallSettings;
import io.drover.model.firewall.FirewallSettingsSpec;
import io.drover.model.firewall.RuleAction;
import io.drover.model.firewall.RuleDirection;
import io.drover.model.firewall.SecurityGroup;
import io.drover.model.firewall.SecurityGroupSpec;
import io.drover.model.firewall.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Security groups, firewall policies and settings in words, for {@code get} and {@code describe}. Selectors are
 * written as on the command line ({@code tier=web}), as {@link PolicyText} writes NetworkPolicy's. Output never fails
 * on an odd stored value, so nothing here assumes the object is valid.
 */
public final class FirewallText {

    /** An omitted applied-to scope: the policy is enforced at every pod. */
    public static final String EVERYWHERE = "<every pod>";
    public static final String ANY = "<any>";

    private FirewallText() {}

    public static SecurityGroupSpec spec(SecurityGroup group) {
        return group.spec() == null ? SecurityGroupSpec.EMPTY : group.spec();
    }

    public static FirewallPolicySpec spec(FirewallPolicy policy) {
        return policy.spec() == null ? FirewallPolicySpec.EMPTY : policy.spec();
    }

    public static FirewallSettingsSpec spec(FirewallSettings settings) {
        return settings.spec() == null ? FirewallSettingsSpec.EMPTY : settings.spec();
    }

    /** {@code pods tier=web; group partners; 10.20.0.0/16 except 10.20.5.0/24}; {@code <none>} without members. */
    public static String members(SecurityGroup group) {
        List<FirewallPeer> members = spec(group).members();
        return members.isEmpty() ? Labels.NONE : members.stream().map(FirewallText::peer).collect(Collectors.joining("; "));
    }

    /** {@code group web-tier}, {@code pods tier=web in namespaces shop}, {@code every pod}, an ipBlock. */
    public static String peer(FirewallPeer peer) {
        if (peer == null) {
            return Labels.NONE;
        }
        if (peer.group() != null) {
            return "group " + peer.group();
        }
        if (peer.ipBlock() != null) {
            return PolicyText.ipBlock(peer.ipBlock());
        }
        if (!peer.selectsPods()) {
            return Labels.NONE;
        }
        String pods = peer.podSelector() == null || peer.podSelector().isEmpty()
                ? "every pod" : "pods " + PolicyText.selector(peer.podSelector());
        if (peer.namespaces() != null) {
            return pods + " in namespaces " + String.join(",", peer.namespaces());
        }
        if (peer.namespaceSelector() != null && !peer.namespaceSelector().isEmpty()) {
            return pods + " in namespaces " + PolicyText.selector(peer.namespaceSelector());
        }
        return pods;
    }

    /** A peer list: {@code <any>} when empty (sources, destinations). */
    public static String peers(List<FirewallPeer> peers) {
        return peers.isEmpty() ? ANY : peers.stream().map(FirewallText::peer).collect(Collectors.joining(", "));
    }

    public static String appliedTo(FirewallPolicy policy) {
        List<FirewallPeer> scope = spec(policy).appliedToList();
        return scope.isEmpty() ? EVERYWHERE : peers(scope);
    }

    /** The tier as written, or the default's name; an unknown one as stored. */
    public static String tier(FirewallPolicy policy) {
        String tier = spec(policy).tier();
        return tier == null || tier.isEmpty() ? Tier.DEFAULT.yamlName() : tier;
    }

    public static String priority(FirewallPolicy policy) {
        Integer priority = spec(policy).priority();
        return priority == null ? Labels.NONE : priority.toString();
    }

    /** {@code web-to-web:Drop,http:Allow}: each rule's name and action, in order. */
    public static String ruleActions(FirewallPolicy policy) {
        List<FirewallRule> rules = spec(policy).ruleList();
        return rules.isEmpty() ? Labels.NONE : rules.stream()
                .map(r -> r == null ? Labels.NONE : orNone(r.name()) + ":" + orNone(r.action()))
                .collect(Collectors.joining(","));
    }

    /** Where the tier stands among the tiers and NetworkPolicy: {@code security (2nd: emergency, security, ...)}. */
    public static String tierPlace(FirewallPolicy policy) {
        String tier = tier(policy);
        return Tier.find(tier).map(t -> t.yamlName() + " (order: emergency, security, application, NetworkPolicy, baseline, "
                + "default action)").orElse(tier + " (not a tier)");
    }

    /** The rules as a table: place, name, action, where enforced, from, to, services, logging. */
    public static Table rules(FirewallPolicy policy) {
        List<List<String>> rows = new ArrayList<>();
        List<FirewallRule> rules = spec(policy).ruleList();
        for (int i = 0; i < rules.size(); i++) {
            FirewallRule r = rules.get(i);
            if (r == null) {
                continue;
            }
            rows.add(List.of(Integer.toString(i + 1), orNone(r.name()), orNone(r.action()), direction(r),
                    peers(r.sourceList()), peers(r.destinationList()), services(r.serviceList()),
                    r.logged() ? "yes" : "no"));
        }
        return new Table(List.of("#", "NAME", "ACTION", "DIRECTION", "FROM", "TO", "SERVICES", "LOG"), rows);
    }

    private static String direction(FirewallRule rule) {
        return RuleDirection.ofSpec(rule.direction()).map(RuleDirection::yamlName).orElse(rule.direction());
    }

    /** {@code 80/TCP, 8000-8080/TCP, every UDP port, ICMP}; {@code <any>} when the rule lists none. */
    public static String services(List<FirewallService> services) {
        if (services.isEmpty()) {
            return ANY;
        }
        List<String> out = new ArrayList<>();
        for (FirewallService s : services) {
            if (s == null) {
                continue;
            }
            String protocol = s.effectiveProtocol();
            if (protocol.equals(FirewallService.ICMP)) {
                out.add(protocol);
            } else if (s.port() == null) {
                out.add("every " + protocol + " port");
            } else {
                out.add(s.port() + (s.endPort() == null ? "" : "-" + s.endPort()) + "/" + protocol);
            }
        }
        return String.join(", ", out);
    }

    /** {@code Drop} as stored, or {@code Allow} when unset. */
    public static String defaultAction(FirewallSettings settings) {
        String action = spec(settings).defaultAction();
        return action == null || action.isEmpty() ? RuleAction.ALLOW.yamlName() : action;
    }

    /** What the default action means, for describe. */
    public static String defaultActionMeaning(FirewallSettings settings) {
        String action = defaultAction(settings);
        return action + switch (RuleAction.find(action).orElse(RuleAction.PASS)) {
            case ALLOW -> " (what no firewall rule decides and no NetworkPolicy isolates is allowed, as in Kubernetes)";
            case DROP -> " (zero trust: what no firewall rule allows and no NetworkPolicy decides is dropped)";
            case REJECT -> " (zero trust: what no firewall rule allows and no NetworkPolicy decides is refused)";
            case PASS -> " (not an action)";
        };
    }

    private static String orNone(String value) {
        return value == null || value.isEmpty() ? Labels.NONE : value;
    }
}
