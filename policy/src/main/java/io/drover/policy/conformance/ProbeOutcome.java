package io.drover.policy.conformance;

import java.util.List;
import java.util.stream.Collectors;

/** A probe of a step with what was observed, and where that differs from what the case expects. */
public record ProbeOutcome(int step, Probe probe, ReachabilityMatrix observed, List<CellDifference> differences) {

    public ProbeOutcome {
        differences = List.copyOf(differences);
    }

    public static ProbeOutcome of(int step, Probe probe, ReachabilityMatrix observed) {
        return new ProbeOutcome(step, probe, observed, probe.expected().differences(observed));
    }

    public boolean passed() {
        return differences.isEmpty();
    }

    /** One line when it passed; else the differing cells and both matrices. */
    public String describe() {
        String title = "step " + step + " " + probe;
        if (passed()) {
            return title + ": as expected";
        }
        return title + ": " + differences.size() + " cell(s) differ: "
                + differences.stream().map(CellDifference::toString).collect(Collectors.joining("; ")) + "\n"
                + "expected:\n" + probe.expected().render()
                + "observed:\n" + observed.render();
    }
}
