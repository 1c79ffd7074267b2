package io.drover.lab.conformance;

import io.drover.policy.conformance.CellDifference;
import io.drover.policy.conformance.Probe;
import java.util.List;

/** A probe of a step compared with what it expects: the cells that differ (none when it passed or was skipped). */
public record ProbeCheck(Probe probe, ObservedMatrix observed, List<CellDifference> differences) {

    public ProbeCheck {
        differences = List.copyOf(differences);
    }

    public static ProbeCheck of(ObservedMatrix observed) {
        return new ProbeCheck(observed.probe(), observed, observed.wasSkipped() ? List.of()
                : observed.probe().expected().differences(observed.matrix()));
    }

    /** Nothing differs; a skipped probe passes (the case's result says it was skipped). */
    public boolean passed() {
        return differences.isEmpty();
    }

    public boolean skipped() {
        return observed.wasSkipped();
    }
}
