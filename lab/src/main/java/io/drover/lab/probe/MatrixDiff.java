package io.drover.lab.probe;

import io.drover.lab.probe.ReachabilityMatrix.Cell;
import java.util.ArrayList;
import java.util.List;

/**
 * How an actual reachability matrix differs from the expected one: pods present in only one of them, and the
 * cells of the shared pods that disagree.
 */
public record MatrixDiff(
        List<String> missingClients,
        List<String> extraClients,
        List<String> missingServers,
        List<String> extraServers,
        List<CellDiff> cells) {

    /** One disagreeing cell: {@code x/b -> y/a: expected X, got .}. */
    public record CellDiff(String client, String server, Cell expected, Cell actual) {
        @Override
        public String toString() {
            return client + " -> " + server + ": expected " + expected.symbol() + ", got " + actual.symbol();
        }
    }

    public MatrixDiff {
        missingClients = List.copyOf(missingClients);
        extraClients = List.copyOf(extraClients);
        missingServers = List.copyOf(missingServers);
        extraServers = List.copyOf(extraServers);
        cells = List.copyOf(cells);
    }

    public boolean isEmpty() {
        return missingClients.isEmpty() && extraClients.isEmpty() && missingServers.isEmpty() && extraServers.isEmpty()
                && cells.isEmpty();
    }

    /** One line per difference; empty when the matrices agree. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        if (!missingClients.isEmpty()) {
            lines.add("clients missing from the actual matrix: " + String.join(", ", missingClients));
        }
        if (!extraClients.isEmpty()) {
            lines.add("clients not expected: " + String.join(", ", extraClients));
        }
        if (!missingServers.isEmpty()) {
            lines.add("servers missing from the actual matrix: " + String.join(", ", missingServers));
        }
        if (!extraServers.isEmpty()) {
            lines.add("servers not expected: " + String.join(", ", extraServers));
        }
        cells.forEach(c -> lines.add(c.toString()));
        return lines;
    }

    @Override
    public String toString() {
        return isEmpty() ? "no differences" : String.join("\n", lines());
    }
}
