package io.drover.agent.rules;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpFamily;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The peer sets one calculation rendered, by the peer list they come from, for the next calculation of the same
 * node. The policy engine hands out the same list object for as long as a rule's peers stay the same, so most sets
 * of a sync are found by identity here, without hashing tens of thousands of addresses to find an equal list.
 * Only what the last calculation used is kept: lists of rules that are gone are forgotten at once.
 *
 * <p>Not thread-safe: one per calculator, which calculates one node at a time.
 */
public final class PeerSetRenderings {

    private Map<List<Cidr>, Map<IpFamily, Set<SetElement>>> previous = new IdentityHashMap<>();
    private Map<List<Cidr>, Map<IpFamily, Set<SetElement>>> current = new IdentityHashMap<>();

    /** The elements of {@code family} in {@code peers}: the last calculation's, else {@code render}'s. */
    Set<SetElement> render(List<Cidr> peers, IpFamily family, Supplier<Set<SetElement>> render) {
        Map<IpFamily, Set<SetElement>> known = previous.get(peers);
        Set<SetElement> elements = known == null ? null : known.get(family);
        if (elements == null) {
            elements = render.get();
        }
        current.computeIfAbsent(peers, p -> new EnumMap<>(IpFamily.class)).put(family, elements);
        return elements;
    }

    /** The calculation is done: what it rendered is what the next one may reuse. */
    void finish() {
        previous = current;
        current = new IdentityHashMap<>();
    }
}
