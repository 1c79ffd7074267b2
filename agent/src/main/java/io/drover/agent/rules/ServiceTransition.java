package io.drover.agent.rules;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The service chains and affinity sets that change from one set of services to another, in two halves of one
 * transaction around the element changes: {@link #before} creates what the new elements and rules name (sets,
 * chains, the refilled rules of changed chains), {@link #after} removes what nothing names any more. A service or
 * endpoint that changes touches only its own chains and sets; the rest of the table, and the clients remembered in
 * untouched affinity sets, stay as they are.
 */
final class ServiceTransition {

    private ServiceTransition() {}

    static String before(ServiceRules from, ServiceRules to, String family, String table) {
        String prefix = family + " " + table + " ";
        Map<String, ServiceRules.AffinitySet> oldSets = byName(from.sets(), ServiceRules.AffinitySet::name);
        Map<String, ServiceRules.ServiceChain> oldChains = byName(from.chains(), ServiceRules.ServiceChain::name);
        NftWriter out = new NftWriter();
        for (ServiceRules.AffinitySet set : to.sets()) {
            if (!oldSets.containsKey(set.name())) {
                out.line("add set " + prefix + set.name() + " " + set.declaration());
            }
        }
        for (ServiceRules.ServiceChain chain : to.chains()) {
            if (!oldChains.containsKey(chain.name())) {
                out.line("add chain " + prefix + chain.name());
            }
        }
        for (ServiceRules.ServiceChain chain : to.chains()) {
            ServiceRules.ServiceChain old = oldChains.get(chain.name());
            if (old != null && old.equals(chain)) {
                continue;
            }
            if (old != null) {
                out.line("flush chain " + prefix + chain.name());
            }
            for (DroverTable.Rule rule : chain.rules()) {
                out.line("add rule " + prefix + chain.name() + " " + rule.text() + " " + NftWriter.comment(rule.comment()));
            }
        }
        return out.toString();
    }

    /** Chains are flushed before any is deleted: a chain going may still be named by another going. */
    static String after(ServiceRules from, ServiceRules to, String family, String table) {
        String prefix = family + " " + table + " ";
        Map<String, ServiceRules.AffinitySet> newSets = byName(to.sets(), ServiceRules.AffinitySet::name);
        Map<String, ServiceRules.ServiceChain> newChains = byName(to.chains(), ServiceRules.ServiceChain::name);
        List<ServiceRules.ServiceChain> gone = from.chains().stream().filter(c -> !newChains.containsKey(c.name())).toList();
        NftWriter out = new NftWriter();
        gone.forEach(c -> out.line("flush chain " + prefix + c.name()));
        gone.forEach(c -> out.line("delete chain " + prefix + c.name()));
        for (ServiceRules.AffinitySet set : from.sets()) {
            if (!newSets.containsKey(set.name())) {
                out.line("delete set " + prefix + set.name());
            }
        }
        return out.toString();
    }

    private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
        return items.stream().collect(Collectors.toMap(name, t -> t, (a, b) -> a));
    }
}
