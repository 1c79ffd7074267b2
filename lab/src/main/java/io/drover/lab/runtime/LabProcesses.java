package io.drover.lab.runtime;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Starts a lab's long-running processes (its server, the agent of each node) inside their namespaces and records
 * each one, PID and start time, in the lab state before returning it, so that {@code lab down} can stop it even
 * after the process that started it is gone.
 *
 * <p>The command runs as {@code setsid ip netns exec NS COMMAND...}: both exec rather than fork (setsid forks only
 * when already a process group leader, which a child of the JVM is not), so the PID Java sees is the command's
 * own. setsid puts the process in a session of its own, so that a Ctrl-C meant for {@code drover lab up} does not
 * reach the lab, and the lab outlives the command that started it. Standard output and error are appended to
 * {@code logs/ROLE.log} in the lab's directory; standard input is /dev/null. The lab's server and agents run as
 * plain {@code setsid COMMAND...} in the namespace of the command that starts the lab: they talk over its loopback,
 * and the agents program the lab's namespaces from there through the kernel, never this namespace itself.
 */
public final class LabProcesses {

    private static final Pattern ROLE = Pattern.compile("[a-z0-9][a-z0-9.-]{0,62}");

    private final LabStateStore store;
    private final LabState initial;

    /**
     * @param initial the lab state to record into when the lab has no state file yet
     */
    public LabProcesses(LabStateStore store, LabState initial) {
        this.store = store;
        this.initial = initial;
    }

    /**
     * Starts {@code command} in namespace {@code namespace} (a name under /run/netns), or in this process's own
     * namespace when {@code namespace} is null.
     *
     * @param role names the process in the state and its log file, e.g. {@code server} or {@code agent-node-1}
     * @param env  variables added to this process's environment
     * @throws LabException when the command cannot start, or has already exited by the time it would be recorded
     *                      (the message quotes the end of its log); a later exit shows in the log and in
     *                      {@link ProcessIdentity#isRunning()}
     */
    public LabState.ProcessRecord start(String role, String namespace, List<String> command, Map<String, String> env) {
        return start(role, namespace, command, env, false);
    }

    /**
     * Starts a recorded process again (one stopped on purpose, or one that exited): the same role, namespace and
     * command, its log appended to; the new PID replaces the record.
     *
     * @throws LabException when it still runs, or cannot start
     */
    public LabState.ProcessRecord restart(LabState.ProcessRecord record, Map<String, String> env) {
        if (record.identity().isRunning()) {
            throw new LabException(record.role() + " is running (pid " + record.pid() + "); stop it first");
        }
        return start(record.role(), record.namespace(), record.command(), env, true);
    }

    private LabState.ProcessRecord start(String role, String namespace, List<String> command, Map<String, String> env,
            boolean replace) {
        if (!ROLE.matcher(role).matches()) {
            throw new IllegalArgumentException("process role '" + role + "' must be lowercase letters, digits, '.' or '-'");
        }
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command to start for " + role);
        }
        Path log = store.logDir(initial.name()).resolve(role + ".log");
        List<String> full = new ArrayList<>(namespace == null
                ? List.of("setsid")
                : List.of("setsid", "ip", "netns", "exec", namespace));
        full.addAll(command);
        Process process;
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(full)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true);
            // etcd reads ETCD_* variables: inherited ones would mix another configuration into a lab member's.
            builder.environment().keySet().removeIf(k -> k.startsWith("ETCD_"));
            builder.environment().putAll(env);
            process = builder.start();
        } catch (IOException e) {
            throw new LabException("cannot start " + role + " (" + String.join(" ", full) + "): " + e.getMessage(), e);
        }
        Optional<ProcessIdentity> identity = ProcessIdentity.of(process.pid());
        if (identity.isEmpty() || !process.isAlive()) {
            throw new LabException(role + " exited as soon as it started (exit code " + exitCode(process) + ")"
                    + tail(log));
        }
        LabState.ProcessRecord record = new LabState.ProcessRecord(role, process.pid(), identity.get().startTime(),
                namespace, command, log.toString());
        try {
            store.update(initial.name(), initial, s -> replace ? s.withProcessReplaced(record) : s.withProcess(record));
        } catch (RuntimeException e) {
            // Never leave a process the lab has no record of: stop it before reporting the failure.
            process.destroyForcibly();
            throw e;
        }
        return record;
    }

    /**
     * Stops a recorded process (SIGTERM, then SIGKILL after {@code grace}) if it is still the one recorded, and
     * drops its record. True when it was running and has been stopped.
     */
    public boolean stop(LabState.ProcessRecord record, Duration grace) {
        boolean wasRunning = terminate(record, grace);
        // A lab being torn down has no state file any more: do not make a new one just to drop the record.
        if (store.load(initial.name()).isPresent()) {
            store.update(initial.name(), initial, s -> s.withoutProcess(record.role()));
        }
        return wasRunning;
    }

    /**
     * Stops a recorded process as {@link #stop} does, but keeps its record, marked stopped, so that {@link #restart}
     * can start it again and {@code lab status} shows it stopped on purpose. True when it was running.
     */
    public boolean stopKeepingRecord(LabState.ProcessRecord record, Duration grace) {
        boolean wasRunning = terminate(record, grace);
        store.update(initial.name(), initial, s -> s.withProcessReplaced(record.asStopped()));
        return wasRunning;
    }

    /** SIGTERM, then SIGKILL after {@code grace}, if the process is still the one recorded; true when it ran. */
    static boolean terminate(LabState.ProcessRecord record, Duration grace) {
        boolean wasRunning = LabTeardown.signal(record.identity(), false);
        if (wasRunning) {
            awaitExit(record, grace);
            if (record.identity().isRunning()) {
                LabTeardown.signal(record.identity(), true);
                awaitExit(record, Duration.ofSeconds(2));
            }
        }
        return wasRunning;
    }

    /** Waits (bounded by {@code limit}) until the recorded process no longer runs. */
    private static void awaitExit(LabState.ProcessRecord record, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (record.identity().isRunning() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The processes recorded for this lab now. */
    public List<LabState.ProcessRecord> recorded() {
        return store.load(initial.name()).map(LabState::processes).orElse(List.of());
    }

    private static String exitCode(Process process) {
        try {
            return Integer.toString(process.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** The last lines of a log, to put the reason for a failed start into the error itself. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            if (lines.isEmpty()) {
                return "; its log " + log + " is empty";
            }
            List<String> last = lines.subList(Math.max(0, lines.size() - 10), lines.size());
            return "; the end of its log " + log + ":\n  " + String.join("\n  ", last);
        } catch (IOException | UncheckedIOException e) {
            return "; see its log " + log;
        }
    }
}
