package io.drover.agent.rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway network namespaces for tests that need a real kernel: each sandbox names its namespaces
 * {@code drvt-a<pid>-<random>-<suffix>} (leftovers of a killed run are removed by the next run), so that runs never
 * collide, and {@link #close()} removes them (and stops the processes started in them) whatever the test did. Nothing here touches the namespace the tests run in.
 */
final class NetnsSandbox implements AutoCloseable {

    record Result(int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /** Without its trailing '-': names are {@code prefix + "-" + suffix}. */
    private final String prefix = io.drover.agent.kernel.TestRuns.prefix().replaceFirst("-$", "");
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();

    /** Root, with ip and nft on the PATH: what the kernel tests need. */
    static boolean available() {
        try {
            String status = Files.readString(Path.of("/proc/self/status"));
            boolean root = status.lines().anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
            return root && onPath("ip") && onPath("nft");
        } catch (IOException e) {
            return false;
        }
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Creates a namespace with its loopback up and returns its name. */
    String namespace(String suffix) {
        String name = prefix + "-" + suffix;
        must(run("ip", "netns", "add", name));
        namespaces.add(name);
        must(exec(name, "ip", "link", "set", "lo", "up"));
        return name;
    }

    Result run(String... command) {
        return run(List.of(command), 30);
    }

    Result run(List<String> command, int timeoutSeconds) {
        try {
            Path out = Files.createTempFile("drvt", ".out");
            Path err = Files.createTempFile("drvt", ".err");
            try {
                Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    return new Result(-1, Files.readString(out), "timed out: " + String.join(" ", command));
                }
                return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    Result exec(String ns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(command));
        return run(full, 30);
    }

    static Result must(Result result) {
        if (!result.ok()) {
            throw new AssertionError("command failed (" + result.exitCode() + "): " + result.stderr() + result.stdout());
        }
        return result;
    }

    /** Applies an nft script in the namespace with {@code nft -f}. */
    Result nft(String ns, String script) {
        try {
            Path file = Files.createTempFile("drvt", ".nft");
            files.add(file);
            Files.writeString(file, script, StandardCharsets.UTF_8);
            return exec(ns, "nft", "-f", file.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code nft -j list table inet drover}, or the empty listing when the table does not exist (as Kernel does). */
    String listDrover(String ns) {
        Result r = exec(ns, "nft", "-j", "list", "table", NodeRules.FAMILY, NodeRules.TABLE);
        if (!r.ok()) {
            if (r.stderr().contains("No such file or directory")) {
                return "{\"nftables\": []}";
            }
            throw new AssertionError("nft list failed: " + r.stderr());
        }
        return r.stdout();
    }

    /** Starts a long-running program in the namespace; {@link #close()} stops it. */
    Process background(String ns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a program in the namespace with its stdin and stdout piped to the test; {@link #close()} stops it. */
    Process interactive(String ns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(full).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("drvt");
            files.add(dir);
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        for (String ns : namespaces.reversed()) {
            run("ip", "netns", "delete", ns);
        }
        namespaces.clear();
        for (Path f : files.reversed()) {
            run("rm", "-rf", f.toString());
        }
        files.clear();
    }
}
