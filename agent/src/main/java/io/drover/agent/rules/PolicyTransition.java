package io.drover.agent.rules;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one transaction that takes a table from one set of policy chains and peer sets to another, touching only
 * what differs: a pod that becomes isolated gets its chain, a policy rule that appears gets its set, a chain whose
 * rules changed is flushed and refilled, and what is no longer wanted goes. Everything else, including every
 * element that stays, is left alone, so the cost is that of the change, not of the table.
 *
 * <p>The order inside the transaction matters to nft, which checks references as it goes: sets and chains are
 * created before the rules and map elements that name them, and deleted only after the last rule or element
 * naming them is gone.
 */
final class PolicyTransition {

    private PolicyTransition() {}

    static String script(PolicyRules from, PolicyRules to, TableElements fromElements, TableElements toElements,
            String family, String table) {
        String prefix = family + " " + table + " ";
        Map<String, PolicyRules.PeerSet> oldSets = byName(from.sets());
        Map<String, PolicyRules.PeerSet> newSets = byName(to.sets());
        Map<String, PolicyRules.PodChain> oldChains = chainsByName(from.chains());
        Map<String, PolicyRules.PodChain> newChains = chainsByName(to.chains());
        NftWriter out = new NftWriter();

        Set<String> replacedSets = newSets.keySet().stream()
                .filter(n -> oldSets.containsKey(n) && !oldSets.get(n).equals(newSets.get(n)))
                .collect(Collectors.toSet());
        // A set whose type or comment changed cannot be altered in place: it goes (after its rules) and comes back.
        for (PolicyRules.PeerSet set : to.sets()) {
            if (!oldSets.containsKey(set.name())) {
                addSet(out, prefix, set);
            }
        }
        for (PolicyRules.PodChain chain : to.chains()) {
            if (!oldChains.containsKey(chain.name())) {
                out.line("add chain " + prefix + chain.name());
            }
        }
        for (PolicyRules.PodChain chain : from.chains()) {
            PolicyRules.PodChain wanted = newChains.get(chain.name());
            boolean rulesChange = wanted == null || !wanted.equals(chain)
                    || chain.rules().stream().anyMatch(r -> namesAny(r.text(), replacedSets));
            if (rulesChange) {
                out.line("flush chain " + prefix + chain.name());
            }
        }
        for (String name : replacedSets) {
            out.line("delete set " + prefix + name);
            addSet(out, prefix, newSets.get(name));
        }
        for (PolicyRules.PodChain chain : to.chains()) {
            PolicyRules.PodChain old = oldChains.get(chain.name());
            boolean fill = old == null || !old.equals(chain) || old.rules().stream().anyMatch(r -> namesAny(r.text(), replacedSets));
            if (fill) {
                for (DroverTable.Rule rule : chain.rules()) {
                    out.line("add rule " + prefix + chain.name() + " " + rule.text() + " " + NftWriter.comment(rule.comment()));
                }
            }
        }

        // Elements of sets that are deleted or made afresh are not changed one by one: they go or come with the set.
        Map<String, Set<SetElement>> fromKept = new HashMap<>(fromElements.sets());
        Map<String, Set<SetElement>> toKept = new HashMap<>(toElements.sets());
        oldSets.keySet().stream().filter(n -> !newSets.containsKey(n) || replacedSets.contains(n)).forEach(fromKept::remove);
        replacedSets.forEach(toKept::remove);
        String elements = new TableElements(toKept).updateScript(new TableElements(fromKept), family, table);
        out.raw(elements);
        for (String name : replacedSets) {
            Set<SetElement> members = toElements.of(name);
            if (!members.isEmpty()) {
                out.line("add element " + prefix + name + " { "
                        + members.stream().map(SetElement::render).collect(Collectors.joining(", ")) + " }");
            }
        }

        for (PolicyRules.PodChain chain : from.chains()) {
            if (!newChains.containsKey(chain.name())) {
                out.line("delete chain " + prefix + chain.name());
            }
        }
        for (PolicyRules.PeerSet set : from.sets()) {
            if (!newSets.containsKey(set.name())) {
                out.line("delete set " + prefix + set.name());
            }
        }
        return out.toString();
    }

    private static void addSet(NftWriter out, String prefix, PolicyRules.PeerSet set) {
        out.line("add set " + prefix + set.name() + " { type " + set.type() + "; flags interval; "
                + NftWriter.comment(set.comment()) + "; }");
    }

    private static boolean namesAny(String ruleText, Set<String> sets) {
        return sets.stream().anyMatch(s -> ruleText.contains("@" + s + " ") || ruleText.endsWith("@" + s));
    }

    private static Map<String, PolicyRules.PeerSet> byName(List<PolicyRules.PeerSet> sets) {
        return sets.stream().collect(Collectors.toMap(PolicyRules.PeerSet::name, s -> s));
    }

    private static Map<String, PolicyRules.PodChain> chainsByName(List<PolicyRules.PodChain> chains) {
        return chains.stream().collect(Collectors.toMap(PolicyRules.PodChain::name, c -> c));
    }
}
