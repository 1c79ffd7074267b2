package io.drover.lab.conformance;

import io.drover.policy.conformance.CellDifference;
import io.drover.policy.conformance.ConformanceCase;
import io.drover.policy.conformance.Reachability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The text of a conformance run: per case a line {@code PASS|FAIL ID name (N steps, T s, settled S s)}, for a
 * failed case indented lines saying where and which cells differ ({@code x/a -> y/b TCP/80: expected blocked, got
 * connected}), and at the end a summary line {@code N cases: P passed, F failed}.
 */
public final class ConformanceReport {

    /** Differing cells listed per probe unless verbose; the rest are counted. */
    public static final int CELLS_SHOWN = 12;

    private ConformanceReport() {}

    /** The lines of one case; all differing cells, and the matrices of a failed probe, when {@code verbose}. */
    public static List<String> lines(CaseResult result, boolean verbose) {
        List<String> lines = new ArrayList<>();
        ConformanceCase c = result.conformanceCase();
        int steps = c.steps().size();
        StringBuilder head = new StringBuilder(result.passed() ? "PASS " : "FAIL ").append(c.title())
                .append(" (").append(steps).append(steps == 1 ? " step, " : " steps, ").append(seconds(result.elapsed()));
        if (result.passed()) {
            result.slowestSettled().ifPresent(s -> head.append(", settled ").append(seconds(s)));
        }
        lines.add(head.append(')').toString());
        for (StepResult step : result.steps()) {
            if (step.passed()) {
                if (verbose && !step.isReset()) {
                    lines.add("  step " + step.number() + ": as expected " + seconds(step.settled().orElseThrow())
                            + " after its last action (" + step.rounds() + (step.rounds() == 1 ? " round" : " rounds")
                            + " of probes)");
                    earlierRounds(step, lines);
                }
                continue;
            }
            String name = step.isReset() ? "after the reset (no policies, original labels), not every pod reaches every other"
                    : "step " + step.number();
            for (ProbeCheck check : step.failedChecks()) {
                lines.add("  " + name + " " + check.probe().protocol() + "/" + check.probe().port() + ": "
                        + check.differences().size() + (check.differences().size() == 1 ? " cell differs" : " cells differ")
                        + " after " + seconds(step.waited()) + " (" + step.rounds()
                        + (step.rounds() == 1 ? " round" : " rounds") + " of probes):");
                List<CellDifference> shown = verbose ? check.differences()
                        : check.differences().subList(0, Math.min(CELLS_SHOWN, check.differences().size()));
                for (CellDifference d : shown) {
                    lines.add("    " + cell(check, d));
                }
                if (shown.size() < check.differences().size()) {
                    lines.add("    ... and " + (check.differences().size() - shown.size()) + " more (--verbose lists all)");
                }
                if (verbose) {
                    lines.add("    expected:");
                    check.probe().expected().render().lines().forEach(l -> lines.add("      " + l));
                    lines.add("    observed:");
                    check.observed().matrix().render().lines().forEach(l -> lines.add("      " + l));
                }
            }
        }
        long ran = result.steps().stream().filter(s -> !s.isReset()).count();
        if (!result.passed() && result.error().isEmpty() && ran < steps) {
            lines.add("  " + (ran == 0 ? "the case's steps were not run"
                    : (steps - ran) + (steps - ran == 1 ? " later step was" : " later steps were")
                            + " not run (each builds on the state of the one before)"));
        }
        result.error().ifPresent(e -> lines.add("  error: " + e));
        for (String note : skipNotes(List.of(result))) {
            lines.add("  note: " + note);
        }
        return lines;
    }

    /** The cells that differ in a step's failed probes, each as {@link #cell}, at most {@code max} per probe. */
    public static List<String> differingCells(StepResult step, int max) {
        List<String> cells = new ArrayList<>();
        for (ProbeCheck check : step.failedChecks()) {
            check.differences().stream().limit(max).forEach(d -> cells.add(cell(check, d)));
            if (check.differences().size() > max) {
                cells.add("... and " + (check.differences().size() - max) + " more on " + check.probe().protocol()
                        + "/" + check.probe().port());
            }
        }
        return cells;
    }

    /** What the rounds before the first that matched showed: how enforcement got there (verbose only). */
    private static void earlierRounds(StepResult step, List<String> lines) {
        for (StepResult.Round round : step.earlier()) {
            List<String> cells = round.failedChecks().stream()
                    .flatMap(check -> check.differences().stream().map(d -> cell(check, d))).toList();
            lines.add("    round at " + seconds(round.started()) + ": " + cells.size()
                    + (cells.size() == 1 ? " cell differed" : " cells differed") + (cells.isEmpty() ? "" : ", e.g. "
                    + String.join("; ", cells.subList(0, Math.min(3, cells.size())))));
        }
        int unshown = step.rounds() - 1 - step.earlier().size();
        if (unshown > 0) {
            lines.add("    ... and " + unshown + " more " + (unshown == 1 ? "round" : "rounds") + " that differed");
        }
    }

    /** {@code x/a -> y/b TCP/80: expected blocked, got connected}; for a cell that did not connect, what happened. */
    static String cell(ProbeCheck check, CellDifference d) {
        PodPair pair = new PodPair(d.client(), d.server());
        String text = pair + " " + check.probe().protocol() + "/" + check.probe().port() + ": expected "
                + word(d.expected()) + ", got " + word(d.observed());
        if (d.observed() == Reachability.BLOCKED) {
            String detail = check.observed().detail(pair).orElse(null);
            if (detail != null) {
                text += " (" + detail + ")";
            }
        }
        return text;
    }

    /** {@code 21 cases: 20 passed, 1 failed (1 min 42 s)}, and probes not run, if any. */
    public static String summary(List<CaseResult> results, Duration elapsed) {
        long passed = results.stream().filter(CaseResult::passed).count();
        String line = results.size() + (results.size() == 1 ? " case: " : " cases: ") + passed + " passed, "
                + (results.size() - passed) + " failed (" + seconds(elapsed) + ")";
        long skipped = results.stream().mapToLong(r -> r.skippedChecks().size()).sum();
        if (skipped > 0) {
            line += "; " + skipped + (skipped == 1 ? " probe" : " probes") + " not run: "
                    + String.join("; ", distinctReasons(results));
        }
        return line;
    }

    /**
     * {@code settled after the last action: median 0.11 s, max 0.62 s (25 steps)}: over the steps that matched, the
     * time from a step's last action to its first matching round. Empty when no step matched.
     */
    public static java.util.Optional<String> settledSummary(List<CaseResult> results) {
        List<Duration> settled = results.stream().flatMap(r -> r.steps().stream())
                .filter(s -> !s.isReset()).flatMap(s -> s.settled().stream()).sorted().toList();
        if (settled.isEmpty()) {
            return java.util.Optional.empty();
        }
        Duration median = settled.get((settled.size() - 1) / 2);
        return java.util.Optional.of("settled after the last action: median " + seconds(median) + ", max "
                + seconds(settled.getLast()) + " (" + settled.size() + (settled.size() == 1 ? " step)" : " steps)"));
    }

    private static List<String> skipNotes(List<CaseResult> results) {
        List<String> notes = new ArrayList<>();
        for (CaseResult r : results) {
            for (StepResult step : r.steps()) {
                for (ProbeCheck check : step.skippedChecks()) {
                    notes.add((step.isReset() ? "after the reset" : "step " + step.number()) + " "
                            + check.probe().protocol() + "/" + check.probe().port() + " not probed: "
                            + check.observed().skipped().orElse(""));
                }
            }
        }
        return notes;
    }

    private static Set<String> distinctReasons(List<CaseResult> results) {
        Set<String> reasons = new LinkedHashSet<>();
        results.forEach(r -> r.skippedChecks().forEach(c -> c.observed().skipped().ifPresent(reasons::add)));
        return reasons;
    }

    static String word(Reachability r) {
        return switch (r) {
            case CONNECTED -> "connected";
            case BLOCKED -> "blocked";
            case LOOPBACK -> "itself";
        };
    }

    /** {@code 0.42 s}, {@code 12.3 s}, {@code 2 min 5 s}. */
    public static String seconds(Duration d) {
        double s = d.toNanos() / 1e9;
        if (s < 1) {
            return String.format(Locale.ROOT, "%.2f s", s);
        }
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        long whole = Math.round(s);
        return whole / 60 + " min " + whole % 60 + " s";
    }
}
