package io.drover.lab.probe;

import io.drover.lab.net.Protocol;
import io.drover.lab.probe.ProbeResult.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The result of a probe run: one matrix per protocol and port, in the order asked for, and what was skipped.
 *
 * <p>{@link #format()} prints, for each matrix, a title line {@code PROTOCOL port PORT:} and the matrix in the
 * format of conformance/netpol/README.md, a blank line after each; then a {@code note:} line for every probe that
 * reached the wrong pod or failed for a reason other than being blocked; a {@code skipped:} line per protocol that
 * could not be probed; and last the summary line:
 *
 * <pre>
 * probe: P pods, N ports × M protocols, K probes: C connected, B blocked[, U not run (time limit)][; skipped: SCTP]
 * </pre>
 *
 * where K = N × M × P × (P − 1) (a pod is not probed against itself), C + B + U = K, and "blocked" is every other
 * outcome (refused, timed out, unreachable, wrong answer, no address, failed). M counts only the protocols probed.
 *
 * @param pods      the pods probed, in matrix order
 * @param ports     the ports probed
 * @param protocols the protocols probed (those asked for, less those skipped)
 */
public record ProbeReport(
        List<String> pods,
        List<Integer> ports,
        List<Protocol> protocols,
        List<Matrix> matrices,
        List<Skipped> skipped,
        Duration elapsed) {

    /** The results for one protocol and port. */
    public record Matrix(Protocol protocol, int port, ReachabilityMatrix matrix, List<ProbeResult> results) {
        public Matrix {
            results = List.copyOf(results);
        }

        public String title() {
            return protocol + " port " + port + ":";
        }
    }

    /** A protocol that was asked for but could not be probed, and why. */
    public record Skipped(Protocol protocol, String reason) {}

    public ProbeReport {
        pods = List.copyOf(pods);
        ports = List.copyOf(ports);
        protocols = List.copyOf(protocols);
        matrices = List.copyOf(matrices);
        skipped = List.copyOf(skipped);
    }

    public Optional<ReachabilityMatrix> matrix(Protocol protocol, int port) {
        return matrices.stream().filter(m -> m.protocol() == protocol && m.port() == port)
                .map(Matrix::matrix).findFirst();
    }

    public List<ProbeResult> results() {
        return matrices.stream().flatMap(m -> m.results().stream()).toList();
    }

    public long count(Outcome outcome) {
        return results().stream().filter(r -> r.outcome() == outcome).count();
    }

    public String summary() {
        long probes = results().size();
        long connected = count(Outcome.CONNECTED);
        long notRun = count(Outcome.NOT_RUN);
        long blocked = probes - connected - notRun;
        StringBuilder s = new StringBuilder("probe: ")
                .append(plural(pods.size(), "pod")).append(", ")
                .append(plural(ports.size(), "port")).append(" × ").append(plural(protocols.size(), "protocol")).append(", ")
                .append(plural(probes, "probe")).append(": ")
                .append(connected).append(" connected, ").append(blocked).append(" blocked");
        if (notRun > 0) {
            s.append(", ").append(notRun).append(" not run (time limit)");
        }
        if (!skipped.isEmpty()) {
            s.append("; skipped: ").append(String.join(", ", skipped.stream().map(k -> k.protocol().name()).toList()));
        }
        return s.toString();
    }

    /** The whole printout; see the class comment. */
    public String format() {
        StringBuilder out = new StringBuilder();
        for (Matrix m : matrices) {
            out.append(m.title()).append('\n').append(m.matrix().format()).append('\n');
        }
        for (String note : notes()) {
            out.append("note: ").append(note).append('\n');
        }
        for (Skipped k : skipped) {
            out.append("skipped: ").append(k.protocol()).append(": ").append(k.reason()).append('\n');
        }
        return out.append(summary()).append('\n').toString();
    }

    /** Probes worth a line of their own: a wrong pod answered, or an error that is not a plain block. */
    public List<String> notes() {
        List<String> notes = new ArrayList<>();
        for (ProbeResult r : results()) {
            if (r.outcome() == Outcome.WRONG_ANSWER || r.outcome() == Outcome.FAILED
                    || r.outcome() == Outcome.NO_ADDRESS) {
                notes.add(r.toString());
            }
        }
        return notes;
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
