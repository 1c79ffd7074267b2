package io.drover.agent.rules;

import io.drover.agent.kernel.NftElementChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What changes in the node's table from one {@link ServiceRules} to another, found by looking at the services that
 * differ alone ({@link ServiceRules#changeSince}): the elements of the fixed service sets that go and come, the
 * service chains and affinity sets that come, change or go ({@link ServiceTransition} writes those), and the UDP
 * flows whose conntrack entries must go.
 *
 * @param deleted        elements that go, by set (in {@link ServiceRules#SERVICE_SETS} order)
 * @param added          elements that come, by set
 * @param setsAdded      affinity sets that come
 * @param setsRemoved    affinity sets that go
 * @param chainsAdded    chains that come
 * @param chainsRefilled chains that stay with other rules
 * @param chainsRemoved  chains that go
 * @param udpFlowsGone   UDP flows no longer balanced
 */
record ServiceChange(Map<String, List<SetElement>> deleted, Map<String, List<SetElement>> added,
        List<ServiceRules.AffinitySet> setsAdded, List<ServiceRules.AffinitySet> setsRemoved,
        List<ServiceRules.ServiceChain> chainsAdded, List<ServiceRules.ServiceChain> chainsRefilled,
        List<ServiceRules.ServiceChain> chainsRemoved, Set<ServiceRules.UdpFlow> udpFlowsGone) {

    static final ServiceChange NONE = new ServiceChange(Map.of(), Map.of(), List.of(), List.of(), List.of(), List.of(),
            List.of(), Set.of());

    private static final Map<String, DroverTable.SetDecl> DECLARATIONS = DroverTable.byName(DroverTable.SETS);

    /**
     * The change from services {@code gone} (as they were) to services {@code come} (as they are), given the elements
     * each side brings, by set: the elements of services that did not change are neither here nor affected.
     */
    static ServiceChange between(Map<String, Set<SetElement>> was, Map<String, Set<SetElement>> is,
            List<ServicePart> gone, List<ServicePart> come, Set<ServiceRules.UdpFlow> udpFlowsGone) {
        Map<String, List<SetElement>> deleted = new LinkedHashMap<>();
        Map<String, List<SetElement>> added = new LinkedHashMap<>();
        for (String set : ServiceRules.SERVICE_SETS) {
            Set<SetElement> before = was.getOrDefault(set, Set.of());
            Set<SetElement> after = is.getOrDefault(set, Set.of());
            // Most often one side is empty (services that came, or went): nothing to compare.
            List<SetElement> out = after.isEmpty() ? List.copyOf(before)
                    : before.stream().filter(e -> !after.contains(e)).toList();
            List<SetElement> in = before.isEmpty() ? List.copyOf(after)
                    : after.stream().filter(e -> !before.contains(e)).toList();
            if (!out.isEmpty()) {
                deleted.put(set, out);
            }
            if (!in.isEmpty()) {
                added.put(set, in);
            }
        }
        Map<String, ServiceRules.ServiceChain> oldChains = chains(gone);
        Map<String, ServiceRules.ServiceChain> newChains = chains(come);
        Map<String, ServiceRules.AffinitySet> oldSets = affinitySets(gone);
        Map<String, ServiceRules.AffinitySet> newSets = affinitySets(come);
        return new ServiceChange(deleted, added,
                newSets.values().stream().filter(s -> !oldSets.containsKey(s.name())).toList(),
                oldSets.values().stream().filter(s -> !newSets.containsKey(s.name())).toList(),
                newChains.values().stream().filter(c -> !oldChains.containsKey(c.name())).toList(),
                newChains.values().stream().filter(c -> oldChains.containsKey(c.name()) && !oldChains.get(c.name()).equals(c))
                        .toList(),
                oldChains.values().stream().filter(c -> !newChains.containsKey(c.name())).toList(),
                udpFlowsGone);
    }

    ServiceChange {
        deleted = Map.copyOf(deleted);
        added = Map.copyOf(added);
        setsAdded = List.copyOf(setsAdded);
        setsRemoved = List.copyOf(setsRemoved);
        chainsAdded = List.copyOf(chainsAdded);
        chainsRefilled = List.copyOf(chainsRefilled);
        chainsRemoved = List.copyOf(chainsRemoved);
        udpFlowsGone = Set.copyOf(udpFlowsGone);
    }

    private static Map<String, ServiceRules.ServiceChain> chains(List<ServicePart> parts) {
        Map<String, ServiceRules.ServiceChain> out = new LinkedHashMap<>();
        parts.forEach(p -> p.chains().forEach(c -> out.putIfAbsent(c.name(), c)));
        return out;
    }

    private static Map<String, ServiceRules.AffinitySet> affinitySets(List<ServicePart> parts) {
        Map<String, ServiceRules.AffinitySet> out = new LinkedHashMap<>();
        parts.forEach(p -> p.sets().forEach(s -> out.putIfAbsent(s.name(), s)));
        return out;
    }

    /** Whether elements are all that change: then they can be written without nft, straight through netlink. */
    boolean elementsOnly() {
        return setsAdded.isEmpty() && setsRemoved.isEmpty() && chainsAdded.isEmpty() && chainsRefilled.isEmpty()
                && chainsRemoved.isEmpty();
    }

    /** The element changes in table {@code FAMILY TABLE}, every deletion first (a changed element goes, then comes). */
    List<NftElementChange> elementChanges(String family, String table) {
        List<NftElementChange> out = new ArrayList<>();
        forEachInOrder(deleted, (set, e) -> out.add(DECLARATIONS.get(set).change(family, table, e, false)));
        forEachInOrder(added, (set, e) -> out.add(DECLARATIONS.get(set).change(family, table, e, true)));
        return out;
    }

    /** The element changes as {@code nft -f} lines, as {@link TableElements#updateScript} writes them. */
    String elementScript(String family, String table) {
        NftWriter out = new NftWriter();
        for (String set : ServiceRules.SERVICE_SETS) {
            List<SetElement> gone = deleted.getOrDefault(set, List.of());
            if (!gone.isEmpty()) {
                out.line("delete element " + family + " " + table + " " + set + " { "
                        + gone.stream().map(SetElement::key).collect(Collectors.joining(", ")) + " }");
            }
        }
        for (String set : ServiceRules.SERVICE_SETS) {
            List<SetElement> come = added.getOrDefault(set, List.of());
            if (!come.isEmpty()) {
                out.line("add element " + family + " " + table + " " + set + " { "
                        + come.stream().map(SetElement::render).collect(Collectors.joining(", ")) + " }");
            }
        }
        return out.toString();
    }

    private static void forEachInOrder(Map<String, List<SetElement>> elements,
            java.util.function.BiConsumer<String, SetElement> action) {
        for (String set : ServiceRules.SERVICE_SETS) {
            elements.getOrDefault(set, List.of()).forEach(e -> action.accept(set, e));
        }
    }
}
