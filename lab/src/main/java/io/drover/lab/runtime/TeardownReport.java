package io.drover.lab.runtime;

import java.util.List;

/**
 * What {@code lab down} did, for the CLI to print.
 *
 * @param hadState   whether the lab had a state file (false for the leftovers of a killed run, or nothing at all)
 * @param stopped    recorded processes that were running and were stopped
 * @param gone       recorded processes that had already exited (or whose PID now belongs to another program)
 * @param namespaces namespaces deleted
 * @param strays     processes the lab did not record, found inside its namespaces; left running
 */
public record TeardownReport(
        String lab, boolean hadState, List<Stopped> stopped, List<Gone> gone, List<String> namespaces, List<Stray> strays) {

    /** @param killed true when SIGTERM was not enough and SIGKILL was sent */
    public record Stopped(String role, long pid, boolean killed) {}

    public record Gone(String role, long pid) {}

    public record Stray(long pid, String namespace, String command) {}

    public TeardownReport {
        stopped = List.copyOf(stopped);
        gone = List.copyOf(gone);
        namespaces = List.copyOf(namespaces);
        strays = List.copyOf(strays);
    }

    /** Whether there was anything to remove. */
    public boolean foundAnything() {
        return hadState || !stopped.isEmpty() || !namespaces.isEmpty();
    }

    /** One line per fact, e.g. for {@code drover lab down}. */
    public List<String> lines() {
        List<String> lines = new java.util.ArrayList<>();
        if (!foundAnything()) {
            lines.add("lab " + lab + ": nothing to remove");
            return lines;
        }
        for (Stopped s : stopped) {
            lines.add("stopped " + s.role() + " (pid " + s.pid() + (s.killed() ? ", killed after the grace period)" : ")"));
        }
        for (String ns : namespaces) {
            lines.add("deleted namespace " + ns);
        }
        for (Stray s : strays) {
            lines.add("warning: pid " + s.pid() + " (" + s.command() + ") was running in " + s.namespace()
                    + " but was not started by the lab; left running");
        }
        lines.add("lab " + lab + " removed" + (hadState ? "" : " (it had no state file: leftovers of a killed run)"));
        return lines;
    }
}
