package io.drover.lab.conformance;

import io.drover.policy.conformance.Probe;
import io.drover.policy.conformance.Reachability;
import io.drover.policy.conformance.ReachabilityMatrix;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one round of real connections showed for a probe of a case: a matrix over the probe's clients and servers,
 * with what happened in words for cells that did not connect; or, when the probe could not run at all (SCTP on a
 * machine without it), why not.
 *
 * @param matrix  the observed cells; null when skipped
 * @param details for cells that did not connect, e.g. {@code timed out: no answer within 500 ms}; may lack cells
 * @param skipped why the probe did not run; empty when it ran
 */
public record ObservedMatrix(Probe probe, ReachabilityMatrix matrix, Map<PodPair, String> details,
        Optional<String> skipped) {

    public ObservedMatrix {
        Objects.requireNonNull(probe, "probe");
        details = Map.copyOf(details);
        Objects.requireNonNull(skipped, "skipped");
        if (matrix == null && skipped.isEmpty()) {
            throw new IllegalArgumentException("an observed matrix has cells unless the probe was skipped");
        }
    }

    public static ObservedMatrix of(Probe probe, ReachabilityMatrix matrix, Map<PodPair, String> details) {
        return new ObservedMatrix(probe, Objects.requireNonNull(matrix, "matrix"), details, Optional.empty());
    }

    public static ObservedMatrix skipped(Probe probe, String reason) {
        return new ObservedMatrix(probe, null, Map.of(), Optional.of(reason));
    }

    /**
     * A matrix with the probe's clients and servers whose cells are what {@code connected} says of each pair (given as
     * {@code <namespace>/<pod>}); a pod and itself is loopback, never probed.
     */
    public static ReachabilityMatrix shapedLike(Probe probe, java.util.function.BiPredicate<String, String> connected) {
        ReachabilityMatrix expected = probe.expected();
        return ReachabilityMatrix.of(expected.clients(), expected.servers(), (client, server) -> client.equals(server)
                ? Reachability.LOOPBACK
                : Reachability.of(connected.test(client.toString(), server.toString())));
    }

    public boolean wasSkipped() {
        return skipped.isPresent();
    }

    /** What happened on a cell that did not connect, if known. */
    public Optional<String> detail(PodPair cell) {
        return Optional.ofNullable(details.get(cell));
    }
}
