package io.drover.policy.conformance;

import java.util.List;

/** Actions applied in order, then probes of the state they leave; the state carries over to the next step. */
public record CaseStep(int number, List<CaseAction> actions, List<Probe> probes) {

    public CaseStep {
        actions = List.copyOf(actions);
        probes = List.copyOf(probes);
    }
}
