package io.drover.agent.rules;

/**
 * The service chains and affinity sets of a {@link ServiceChange}, in two halves of one transaction around the
 * element changes: {@link #before} creates what the new elements and rules name (sets, chains, the refilled rules of
 * changed chains), {@link #after} removes what nothing names any more. A service or endpoint that changes touches
 * only its own chains and sets; the rest of the table, and the clients remembered in untouched affinity sets, stay as
 * they are.
 */
final class ServiceTransition {

    private ServiceTransition() {}

    static String before(ServiceChange change, String family, String table) {
        String prefix = family + " " + table + " ";
        NftWriter out = new NftWriter();
        for (ServiceRules.AffinitySet set : change.setsAdded()) {
            out.line("add set " + prefix + set.name() + " " + set.declaration());
        }
        // Every new chain exists before any rule is added: a rule may name another new chain.
        for (ServiceRules.ServiceChain chain : change.chainsAdded()) {
            out.line("add chain " + prefix + chain.name());
        }
        for (ServiceRules.ServiceChain chain : change.chainsRefilled()) {
            out.line("flush chain " + prefix + chain.name());
            addRules(out, prefix, chain);
        }
        for (ServiceRules.ServiceChain chain : change.chainsAdded()) {
            addRules(out, prefix, chain);
        }
        return out.toString();
    }

    /** Chains are flushed before any is deleted: a chain going may still be named by another going. */
    static String after(ServiceChange change, String family, String table) {
        String prefix = family + " " + table + " ";
        NftWriter out = new NftWriter();
        change.chainsRemoved().forEach(c -> out.line("flush chain " + prefix + c.name()));
        change.chainsRemoved().forEach(c -> out.line("delete chain " + prefix + c.name()));
        change.setsRemoved().forEach(s -> out.line("delete set " + prefix + s.name()));
        return out.toString();
    }

    private static void addRules(NftWriter out, String prefix, ServiceRules.ServiceChain chain) {
        for (DroverTable.Rule rule : chain.rules()) {
            out.line("add rule " + prefix + chain.name() + " " + rule.text() + " " + NftWriter.comment(rule.comment()));
        }
    }
}
