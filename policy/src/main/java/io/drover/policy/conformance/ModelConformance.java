package io.drover.policy.conformance;

import io.drover.policy.Endpoint;
import io.drover.policy.PolicySnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a case against the policy engine instead of a real data plane: each probe cell is what
 * {@link PolicySnapshot#evaluate} says. Checks the engine against the cases, and gives the lab's real probes an
 * oracle to compare with.
 */
public final class ModelConformance {

    private ModelConformance() {}

    /** Every probe of every step, in order. */
    public static List<ProbeOutcome> run(ConformanceCase conformanceCase, ConformanceModel model) {
        CaseState state = CaseState.initial(model);
        List<ProbeOutcome> outcomes = new ArrayList<>();
        for (CaseStep step : conformanceCase.steps()) {
            for (CaseAction action : step.actions()) {
                state = state.apply(action);
            }
            PolicySnapshot snapshot = state.snapshot();
            for (Probe probe : step.probes()) {
                outcomes.add(ProbeOutcome.of(step.number(), probe, observe(snapshot, probe)));
            }
        }
        return List.copyOf(outcomes);
    }

    /** What the engine says for each cell of the probe's matrix. */
    public static ReachabilityMatrix observe(PolicySnapshot snapshot, Probe probe) {
        ReachabilityMatrix expected = probe.expected();
        return ReachabilityMatrix.of(expected.clients(), expected.servers(), (client, server) -> client.equals(server)
                ? Reachability.LOOPBACK
                : Reachability.of(snapshot.evaluate(Endpoint.pod(client), Endpoint.pod(server), probe.protocol(),
                        probe.port()).allowed()));
    }
}
