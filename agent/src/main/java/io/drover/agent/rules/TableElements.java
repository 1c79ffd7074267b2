package io.drover.agent.rules;

import io.drover.agent.kernel.NftElementChange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The elements of every set and map of the table, by set name. Everything that varies from node to node lives in
 * elements (the chains never change), so two tables with equal elements and the same ruleset are the same table,
 * and going from one to the other is a matter of adding and deleting elements: O(change), as DESIGN.md asks.
 *
 * <p>Equality ignores order (the sets compare as sets) while iteration keeps the order given, so that scripts
 * rendered from it are deterministic. Empty sets are dropped, so "no entry" and "no elements" compare equal.
 */
public record TableElements(Map<String, Set<SetElement>> sets) {

    public TableElements {
        Map<String, Set<SetElement>> copy = new LinkedHashMap<>();
        sets.forEach((name, elements) -> {
            if (!elements.isEmpty()) {
                copy.put(name, elements instanceof Frozen ? elements : Collections.unmodifiableSet(new LinkedHashSet<>(elements)));
            }
        });
        sets = Collections.unmodifiableMap(copy);
    }

    public static final TableElements NONE = new TableElements(Map.of());

    /**
     * Elements that will never change, shared as they are by every table that holds them rather than copied: a
     * rule's peers, tens of thousands in a large cluster, are one set however many pods and syncs use them.
     */
    static Set<SetElement> frozen(Set<SetElement> elements) {
        return elements instanceof Frozen ? elements : new Frozen(new LinkedHashSet<>(elements));
    }

    private static final class Frozen extends java.util.AbstractSet<SetElement> {
        private final Set<SetElement> elements;
        private final int hash;

        Frozen(Set<SetElement> elements) {
            this.elements = Collections.unmodifiableSet(elements);
            this.hash = elements.hashCode();
        }

        @Override
        public java.util.Iterator<SetElement> iterator() {
            return elements.iterator();
        }

        @Override
        public int size() {
            return elements.size();
        }

        @Override
        public boolean contains(Object o) {
            return elements.contains(o);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            // The cached hashes tell most unequal sets apart at once: a sync compares sets of 100,000 elements.
            return o == this || !(o instanceof Frozen f && f.hash != hash) && super.equals(o);
        }
    }

    /** These elements without those of the named sets. */
    public TableElements without(Set<String> names) {
        if (names.isEmpty() || names.stream().noneMatch(sets::containsKey)) {
            return this;
        }
        Map<String, Set<SetElement>> kept = new LinkedHashMap<>(sets);
        kept.keySet().removeAll(names);
        return new TableElements(kept);
    }

    public Set<SetElement> of(String set) {
        return sets.getOrDefault(set, Set.of());
    }

    /**
     * {@link #updateScript} as element changes, deletions first, for the sets {@code declared} describes; null when an
     * element of a set not declared there changes (a policy's peer set: the caller writes the script instead).
     */
    List<NftElementChange> changes(TableElements from, String family, String table, Map<String, DroverTable.SetDecl> declared) {
        List<String> names = new ArrayList<>(sets.keySet());
        from.sets.keySet().stream().filter(n -> !sets.containsKey(n)).forEach(names::add);
        List<NftElementChange> deletions = new ArrayList<>();
        List<NftElementChange> additions = new ArrayList<>();
        for (String name : names) {
            Set<SetElement> now = of(name);
            Set<SetElement> before = from.of(name);
            if (now.equals(before)) {
                continue;
            }
            DroverTable.SetDecl decl = declared.get(name);
            if (decl == null) {
                return null;
            }
            before.stream().filter(e -> !now.contains(e)).forEach(e -> deletions.add(decl.change(family, table, e, false)));
            now.stream().filter(e -> !before.contains(e)).forEach(e -> additions.add(decl.change(family, table, e, true)));
        }
        deletions.addAll(additions);
        return deletions;
    }

    /**
     * The commands that turn a table holding {@code from} into one holding these elements, for table
     * {@code FAMILY NAME}: first every deletion, then every addition, so that an element whose value or comment
     * changed is replaced within the one transaction. Empty when nothing changes. A deletion names the key only,
     * as nft requires; it fails the transaction when the kernel lacks the element, which tells the caller that
     * the kernel is not what it believed and a full rewrite is due.
     */
    public String updateScript(TableElements from, String family, String table) {
        List<String> names = new ArrayList<>(sets.keySet());
        from.sets.keySet().stream().filter(n -> !sets.containsKey(n)).forEach(names::add);
        NftWriter out = new NftWriter();
        for (String name : names) {
            List<SetElement> gone = from.of(name).stream().filter(e -> !of(name).contains(e)).toList();
            if (!gone.isEmpty()) {
                out.line("delete element " + family + " " + table + " " + name + " { "
                        + gone.stream().map(SetElement::key).collect(Collectors.joining(", ")) + " }");
            }
        }
        for (String name : names) {
            List<SetElement> added = of(name).stream().filter(e -> !from.of(name).contains(e)).toList();
            if (!added.isEmpty()) {
                out.line("add element " + family + " " + table + " " + name + " { "
                        + added.stream().map(SetElement::render).collect(Collectors.joining(", ")) + " }");
            }
        }
        return out.toString();
    }
}
