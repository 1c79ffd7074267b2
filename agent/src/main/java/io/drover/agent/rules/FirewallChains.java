package io.drover.agent.rules;

import static io.drover.agent.rules.PolicyRules.rule;

import io.drover.agent.rules.PolicyRules.PeerSetBuilder;
import io.drover.agent.rules.PolicyRules.PodChain;
import io.drover.model.firewall.RuleAction;
import io.drover.model.net.IpFamily;
import io.drover.policy.Direction;
import io.drover.policy.FirewallChain;
import io.drover.policy.FirewallEntry;
import io.drover.policy.FirewallRuleRef;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The distributed firewall's part of a pod's chains, for one direction, in the order {@link FirewallChain} defines:
 * <pre>
 *   pod.NS.NAME.in      the pod itself; the tier rules in order (Allow returns, Drop drops, Reject rejects, Pass
 *                       goes to NetworkPolicy); nothing matched: goto pod.NS.NAME.in.np
 *   pod.NS.NAME.in.np   NetworkPolicy's allow entries and a drop when it isolates the pod; otherwise the baseline
 *                       tier's rules and the default action
 * </pre>
 * Every rule counts its hits (nft's counter on the rule, which names the firewall rule's id in its comment) and,
 * when the rule asks for it, logs through NFLOG group {@value #LOG_GROUP} with the id, action and pod as prefix.
 * A rule's peers are one set per rule, direction and family, shared by every pod the rule applies to, so that group
 * membership changes are element changes.
 */
public final class FirewallChains {

    /** The NFLOG group firewall rules log to; the agent (or ulogd) reads it. */
    public static final int LOG_GROUP = 100;

    private FirewallChains() {}

    static List<PodChain> of(PolicedPod pod, Direction direction, FirewallChain firewall, String chain,
            Map<String, PeerSetBuilder> sets) {
        String npChain = chain + ".np";
        List<DroverTable.Rule> main = new ArrayList<>(PolicyRules.selfRules(pod, direction));
        for (FirewallEntry entry : firewall.tiers()) {
            main.addAll(entryRules(pod, direction, entry, sets, verdict(entry.action(), "goto " + npChain,
                    firewall.defaultAction()), entry.rule().id()));
        }
        main.add(rule("goto " + npChain, "no tier rule decided: NetworkPolicy, then the baseline"));

        List<DroverTable.Rule> np = new ArrayList<>();
        if (firewall.networkPolicy().isolated()) {
            np.addAll(PolicyRules.allowRules(pod, direction, firewall.networkPolicy(), sets));
            np.add(rule("counter drop", (direction == Direction.INGRESS ? "ingress" : "egress") + " of " + pod.pod()
                    + " is isolated by NetworkPolicy: nothing else"));
        } else {
            String defaultVerdict = verdict(firewall.defaultAction(), null, firewall.defaultAction());
            for (FirewallEntry entry : firewall.baseline()) {
                // Pass in the baseline tier hands the connection to the default action.
                String verdict = entry.action() == RuleAction.PASS ? defaultVerdict
                        : verdict(entry.action(), null, firewall.defaultAction());
                np.addAll(entryRules(pod, direction, entry, sets, verdict, entry.rule().id()));
            }
            np.addAll(terminal(firewall.defaultAction(), firewall.defaultLogged(), FirewallRuleRef.DEFAULT_ACTION_ID,
                    pod.pod(), "", "the default action: " + firewall.defaultAction().yamlName()));
        }
        return List.of(new PodChain(chain, main), new PodChain(npChain, np));
    }

    /** The nft verdict of an action; Reject is written by {@link #terminal}, which needs two rules. */
    private static String verdict(RuleAction action, String pass, RuleAction defaultAction) {
        return switch (action) {
            case ALLOW -> "return";
            case DROP -> "drop";
            case REJECT -> "reject";
            case PASS -> pass == null ? verdict(defaultAction, null, defaultAction) : pass;
        };
    }

    private static List<DroverTable.Rule> entryRules(PolicedPod pod, Direction direction, FirewallEntry entry,
            Map<String, PeerSetBuilder> sets, String verdict, String id) {
        boolean ingress = direction == Direction.INGRESS;
        List<DroverTable.Rule> rules = new ArrayList<>();
        for (IpFamily family : PolicyRules.families(pod)) {
            List<InetAddress> own = pod.addresses().stream().filter(a -> IpFamily.of(a) == family).toList();
            List<InetAddress> local = own.stream().filter(a -> entry.local().stream().anyMatch(c -> c.contains(a))).toList();
            if (local.isEmpty()) {
                continue; // the rule applies to none of the pod's addresses of this family
            }
            String set = PolicyRules.firewallSetName(id, direction, family);
            sets.computeIfAbsent(set, n -> new PeerSetBuilder(family,
                    (ingress ? "sources" : "destinations") + " of firewall rule " + entry.rule()))
                    .add(entry.peers());
            String ownMatch = local.size() == own.size() ? ""
                    : ownField(family, ingress) + " { " + local.stream().map(SetContents::address)
                            .collect(Collectors.joining(", ")) + " } ";
            String peerMatch = PolicyRules.peerField(family, ingress) + " @" + set;
            for (String ports : PolicyRules.portMatches(entry.services())) {
                String match = ownMatch + peerMatch + icmpFor(family, ports);
                String why = id + " " + entry.rule() + " " + entry.action().yamlName();
                if (verdict.equals("reject")) {
                    rules.addAll(terminal(RuleAction.REJECT, entry.logged(), id, pod.pod(), match + " ", why));
                } else {
                    rules.add(rule(match + " counter" + log(entry.logged(), id, verdict, pod.pod()) + " " + verdict, why));
                }
            }
        }
        return rules;
    }

    /** A final action with its counter and log: Reject answers TCP with a reset and the rest with ICMP. */
    private static List<DroverTable.Rule> terminal(RuleAction action, boolean logged, String id, String pod, String match,
            String why) {
        String verdict = verdict(action, null, action);
        if (action != RuleAction.REJECT) {
            return List.of(rule(match + "counter" + log(logged, id, verdict, pod) + " " + verdict, why));
        }
        return List.of(
                rule(match + "meta l4proto tcp counter" + log(logged, id, verdict, pod) + " reject with tcp reset", why),
                rule(match + "counter" + log(logged, id, verdict, pod) + " reject with icmpx admin-prohibited", why));
    }

    private static String log(boolean logged, String id, String verdict, String pod) {
        if (!logged) {
            return "";
        }
        String action = verdict.startsWith("goto") ? "pass" : verdict.equals("return") ? "allow" : verdict;
        // nft limits a log prefix to 127 characters; the id and the action come first so they always fit.
        String prefix = (id + " " + action + " " + pod + " ").toLowerCase(Locale.ROOT);
        return " log prefix " + NftWriter.quote(NftWriter.commentText(prefix).substring(0,
                Math.min(prefix.length(), 120))) + " group " + LOG_GROUP;
    }

    private static String ownField(IpFamily family, boolean ingress) {
        return (family == IpFamily.IPV4 ? "ip" : "ip6") + (ingress ? " daddr" : " saddr");
    }

    /** ICMP in a service means ICMPv6 for IPv6 packets. */
    private static String icmpFor(IpFamily family, String ports) {
        return family == IpFamily.IPV6 ? ports.replace("meta l4proto icmp", "meta l4proto ipv6-icmp") : ports;
    }
}
