package io.drover.agent.health;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A script check: the command run inside the pod's network namespace ({@code nsenter --net=NETNS -- COMMAND...},
 * no shell, as {@code script.command} says), with the node's programs and files; exit code 0 passes. The output is
 * what it printed on stdout and stderr, trimmed and capped; a command still running at the timeout is killed, with
 * the processes it started, each by its own PID.
 *
 * <p>The output goes to a temporary file, not a pipe: a process the command left behind holding the pipe would
 * keep a reader waiting, while a file is read once the command is done, whoever still holds it.
 */
final class ScriptProber {

    private static final File NO_INPUT = new File("/dev/null");
    private static final Duration REAP = Duration.ofSeconds(1);

    private final String nsenter;

    /** @param nsenter the nsenter program, looked up on the PATH when it is a bare name */
    ScriptProber(String nsenter) {
        this.nsenter = nsenter;
    }

    Outcome probe(Probe.Script probe, Duration timeout) {
        List<String> command = new ArrayList<>(List.of(nsenter, "--net=" + probe.netns().path(), "--"));
        command.addAll(probe.command());
        Path output;
        try {
            output = Files.createTempFile("drover-check-", ".out");
        } catch (IOException e) {
            return Outcome.fail("cannot make a file for the script's output: " + Endpoints.message(e));
        }
        try {
            Process process;
            try {
                process = new ProcessBuilder(command).redirectInput(NO_INPUT).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
            } catch (IOException e) {
                return Outcome.fail("cannot run " + nsenter + " (util-linux) for the script: " + Endpoints.message(e));
            }
            boolean ended;
            try {
                ended = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                kill(process); // the agent is stopping: the script goes with it
                Thread.currentThread().interrupt();
                return Outcome.fail("stopped: the agent is stopping");
            }
            if (!ended) {
                kill(process);
                String printed = read(output);
                return Outcome.fail("timed out after " + Endpoints.seconds(timeout) + " and was killed"
                        + (printed.isEmpty() ? "" : ": " + printed));
            }
            String printed = read(output);
            int code = process.exitValue();
            if (code == 0) {
                return Outcome.pass(printed);
            }
            return Outcome.fail(printed.isEmpty() ? "exit code " + code : printed);
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                // a temporary file; nothing depends on it
            }
        }
    }

    /**
     * Kills the command and whatever it started, each by its own PID (a handle also checks the process's start time,
     * so a PID used again meanwhile is left alone). The descendants are listed before anything is killed: once the
     * command is gone they are re-parented and no longer found.
     */
    private static void kill(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(REAP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path output) {
        try (InputStream in = Files.newInputStream(output)) {
            return new String(in.readNBytes(Outcome.MAX_OUTPUT * 4), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
