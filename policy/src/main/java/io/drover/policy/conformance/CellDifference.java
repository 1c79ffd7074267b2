package io.drover.policy.conformance;

import io.drover.policy.NamespacedName;

/** A cell where what was observed is not what the case expects. */
public record CellDifference(NamespacedName client, NamespacedName server, Reachability expected,
        Reachability observed) {

    @Override
    public String toString() {
        return client + " -> " + server + ": expected " + expected.symbol() + ", observed " + observed.symbol();
    }
}
