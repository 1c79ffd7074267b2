package io.drover.lab.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.lab.net.Protocol;
import io.drover.lab.probe.ProbeResult.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeReportTest {

    private static final List<String> PODS = List.of("x/a", "x/b", "y/a");

    /** A matrix on which y/a is unreachable from everyone; x/a -> x/b answered wrongly on TCP. */
    private static ProbeReport.Matrix matrix(Protocol protocol, int port) {
        List<ProbeResult> results = new ArrayList<>();
        for (String c : PODS) {
            for (String s : PODS) {
                if (c.equals(s)) {
                    continue;
                }
                Outcome outcome = s.equals("y/a") ? Outcome.TIMED_OUT
                        : protocol == Protocol.TCP && c.equals("x/a") && s.equals("x/b") ? Outcome.WRONG_ANSWER
                        : Outcome.CONNECTED;
                String detail = outcome == Outcome.WRONG_ANSWER ? "answered 'y/a' instead of 'x/b'"
                        : outcome == Outcome.TIMED_OUT ? "no answer within 1000 ms" : "";
                results.add(new ProbeResult(c, s, protocol, port, outcome, detail));
            }
        }
        ReachabilityMatrix m = ReachabilityMatrix.of(PODS, (c, s) -> results.stream()
                .anyMatch(r -> r.client().equals(c) && r.server().equals(s) && r.connected()));
        return new ProbeReport.Matrix(protocol, port, m, results);
    }

    @Test
    void summaryCountsEveryProbe() {
        ProbeReport report = new ProbeReport(PODS, List.of(80, 81), List.of(Protocol.TCP, Protocol.UDP),
                List.of(matrix(Protocol.TCP, 80), matrix(Protocol.TCP, 81), matrix(Protocol.UDP, 80),
                        matrix(Protocol.UDP, 81)),
                List.of(), Duration.ofSeconds(1));
        // 4 matrices × 3 pods × 2 others = 24 probes; y/a blocked from 2 clients in each (8); x/a -> x/b wrong on TCP (2).
        assertThat(report.summary())
                .isEqualTo("probe: 3 pods, 2 ports × 2 protocols, 24 probes: 14 connected, 10 blocked");
        assertThat(report.matrix(Protocol.UDP, 81)).isPresent();
        assertThat(report.matrix(Protocol.SCTP, 81)).isEmpty();
    }

    @Test
    void formatPrintsTitledMatricesNotesAndTheSummaryLast() {
        ProbeReport report = new ProbeReport(PODS, List.of(80), List.of(Protocol.TCP), List.of(matrix(Protocol.TCP, 80)),
                List.of(new ProbeReport.Skipped(Protocol.SCTP, "SCTP is unavailable: no libsctp")),
                Duration.ofSeconds(1));
        assertThat(report.format()).isEqualTo("""
                TCP port 80:
                from\\to x/a x/b y/a
                x/a       -   X   X
                x/b       .   -   X
                y/a       .   .   -

                note: x/a -> x/b TCP/80: WRONG_ANSWER (answered 'y/a' instead of 'x/b')
                skipped: SCTP: SCTP is unavailable: no libsctp
                probe: 3 pods, 1 port × 1 protocol, 6 probes: 3 connected, 3 blocked; skipped: SCTP
                """);
    }

    @Test
    void probesNotRunAreCountedApart() {
        List<ProbeResult> results = List.of(
                new ProbeResult("x/a", "x/b", Protocol.TCP, 80, Outcome.CONNECTED, ""),
                new ProbeResult("x/b", "x/a", Protocol.TCP, 80, Outcome.NOT_RUN, "time limit"));
        ReachabilityMatrix m = ReachabilityMatrix.of(List.of("x/a", "x/b"), (c, s) -> c.equals("x/a"));
        ProbeReport report = new ProbeReport(List.of("x/a", "x/b"), List.of(80), List.of(Protocol.TCP),
                List.of(new ProbeReport.Matrix(Protocol.TCP, 80, m, results)), List.of(), Duration.ZERO);
        assertThat(report.summary())
                .isEqualTo("probe: 2 pods, 1 port × 1 protocol, 2 probes: 1 connected, 0 blocked, 1 not run (time limit)");
    }
}
