package io.drover.bench;

import io.drover.cli.Main;
import io.drover.lab.runtime.LabLauncher;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabState;
import io.drover.lab.runtime.LabStateStore;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The labs and processes of one benchmark run, and their removal: labs are started as users start them ({@code
 * drover lab up}, the CLI as a process from a copy of the class path, with a lab directory of the run's own); every
 * lab and process the run makes is recorded, and {@link #cleanUp} (also from a shutdown hook, on Ctrl-C) ends the
 * processes by their handles and takes the labs down. The same shape as {@link DataplaneBenchmark}'s.
 */
final class BenchLabs {

    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(120);

    private final Path work;
    private final Path labDir;
    private final List<String> cli;

    // What exists and must go at the end; guarded by this.
    private final List<String> labs = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private boolean closed;

    BenchLabs(Path work) throws IOException {
        this.work = work;
        this.labDir = work.resolve("labs");
        this.cli = cliCommand(snapshotClassPath(work.resolve("classpath")));
    }

    Path work() {
        return work;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** {@code drover lab up --name LAB ARGS...}; the lab is taken down by {@link #cleanUp}, or by {@link #down}. */
    void up(String lab, List<String> args) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("interrupted: cleaning up");
            }
            labs.add(lab);
        }
        List<String> command = new ArrayList<>(List.of("lab", "up", "--name", lab));
        command.addAll(args);
        droverCli(command);
    }

    /** Takes a lab of this run down now (the benchmark's parts run one after the other, not all at once). */
    void down(String lab) {
        labDown(lab);
        synchronized (this) {
            labs.remove(lab);
        }
    }

    URI server(String lab) {
        LabState state = new LabStateStore(labDir).load(lab)
                .orElseThrow(() -> new IllegalStateException("lab " + lab + " has no state in " + labDir));
        return URI.create(state.serverUrl());
    }

    void droverCli(List<String> args) {
        List<String> command = new ArrayList<>(cli);
        command.addAll(args);
        Run r = run(command, Map.of(LabLauncher.LAB_DIR_ENV, labDir.toString()), CLI_TIMEOUT);
        if (r.exit() != 0) {
            throw new IllegalStateException("drover " + String.join(" ", args) + " failed (" + r.exit() + "): "
                    + r.stdout() + r.stderr());
        }
    }

    /** Starts a process of the run (output discarded); {@link #cleanUp} ends it if it still runs. */
    Process start(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("PATH", PATH);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("interrupted: cleaning up");
            }
            try {
                Process p = pb.start();
                processes.add(p);
                return p;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run " + command, e);
            }
        }
    }

    /** Ends a process this run started (iperf3 -s -1 ends by itself after its one test). */
    void stop(Process p) {
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroy();
                if (!p.waitFor(2, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            processes.remove(p);
        }
    }

    /** Stops this run's processes, takes its labs down and removes the work directory. Idempotent. */
    void cleanUp() {
        List<Process> running;
        List<String> labsUp;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = List.copyOf(processes);
            labsUp = List.copyOf(labs);
        }
        for (Process p : running) {
            p.destroyForcibly();
        }
        List<Process> waited = List.copyOf(RUNNING);
        for (Process p : waited) {
            p.destroyForcibly(); // a command the run waits for (iperf3 -c, lab up, ...): bounded, but not worth waiting
        }
        for (Process p : waited) {
            try {
                // A 'lab up' that is ending may still be recording what it started: 'lab down' reads that record.
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        labsUp.forEach(this::labDown);
        if (namespaces().stream().anyMatch(n -> labsUp.stream().anyMatch(l -> LabNames.of(l).owns(n)))) {
            labsUp.forEach(this::labDown); // once more: what a 'lab up' cut short recorded late
        }
        boolean leftovers = namespaces().stream().anyMatch(n -> labsUp.stream().anyMatch(l -> LabNames.of(l).owns(n)));
        if (leftovers) {
            System.err.println("warning: namespaces of this run are left; keeping " + work + " (the labs' state)");
            return;
        }
        try (Stream<Path> tree = Files.exists(work) ? Files.walk(work) : Stream.empty()) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("warning: cannot remove " + work + ": " + e.getMessage());
        }
    }

    private void labDown(String lab) {
        List<String> command = new ArrayList<>(cli);
        command.addAll(List.of("lab", "down", "--name", lab));
        try {
            Run r = run(command, Map.of(LabLauncher.LAB_DIR_ENV, labDir.toString()), Duration.ofSeconds(90));
            if (r.exit() != 0 && namespaces().stream().anyMatch(LabNames.of(lab)::owns)) {
                System.err.println("warning: drover lab down --name " + lab + " failed: " + r.stdout() + r.stderr()
                        + " run it again with DROVER_LAB_DIR=" + labDir);
            }
        } catch (RuntimeException e) {
            System.err.println("warning: drover lab down --name " + lab + " failed: " + e.getMessage());
        }
    }

    static List<String> namespaces() {
        Path dir = Path.of("/run/netns");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The Drover CLI as a process: this java and a copy of this class path, as ./drover runs it. */
    static List<String> cliCommand(String classPath) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return List.of(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath, Main.class.getName());
    }

    /** Copies the class path, so that the labs' processes do not read jars that a concurrent rebuild rewrites. */
    static String snapshotClassPath(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> copied = new ArrayList<>();
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        for (int i = 0; i < entries.length; i++) {
            Path from = Path.of(entries[i]);
            if (!Files.exists(from)) {
                continue;
            }
            Path to = dir.resolve(i + "-" + from.getFileName());
            if (Files.isDirectory(from)) {
                try (Stream<Path> tree = Files.walk(from)) {
                    for (Path p : tree.toList()) {
                        Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            } else {
                Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
            }
            copied.add(to.toString());
        }
        return String.join(File.pathSeparator, copied);
    }

    // ---- processes -----------------------------------------------------------------------------------------------

    record Run(int exit, String stdout, String stderr) {}

    /** Every process {@link #run} waits for now, so that the clean-up can end them (by their handles) on Ctrl-C. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static Run run(List<String> command, Map<String, String> env, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("PATH", PATH);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            RUNNING.add(p);
            try {
                CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
                CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s: "
                            + String.join(" ", command));
                }
                return new Run(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                        new String(err.join(), StandardCharsets.UTF_8));
            } finally {
                RUNNING.remove(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
