package io.drover.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway network namespaces for the health checks' kernel tests, all named with one run's prefix
 * ({@link io.drover.agent.kernel.TestRuns}: leftovers of a killed run are removed by the next), made and removed with
 * iproute2 so that cleaning up never depends on the code under test. Nothing here runs in the root namespace except
 * `ip netns add/del` and reading its links, to check that they are left as they were.
 */
final class Netns implements AutoCloseable {

    final String prefix = io.drover.agent.kernel.TestRuns.prefix();
    private final List<String> made = new ArrayList<>();

    /** Root, with ip and nsenter: what the tests need; the reason they are skipped otherwise, or null. */
    static String unavailable() {
        try {
            String status = Files.readString(Path.of("/proc/self/status"));
            if (status.lines().noneMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"))) {
                return "needs root (network namespaces)";
            }
        } catch (IOException e) {
            return "cannot tell whether this is root";
        }
        for (String program : List.of("ip", "nsenter")) {
            if (!onPath(program)) {
                return "needs " + program;
            }
        }
        return null;
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** The root namespace's links, to compare before and after. */
    static String rootLinks() {
        return run("ip", "-j", "link", "show");
    }

    static void assertRootLinksUnchanged(String before) {
        if (before != null) {
            assertThat(rootLinks()).as("the root namespace's interfaces").isEqualTo(before);
        }
    }

    /** Makes {@code <prefix><suffix>} with its loopback up; returns its name. */
    String add(String suffix) {
        String name = prefix + suffix;
        run("ip", "netns", "add", name);
        made.add(name);
        in(name, "ip", "link", "set", "lo", "up");
        return name;
    }

    /** A command in namespace {@code ns}; its output. */
    static String in(String ns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    /** Runs a command (bounded to 30 s); its stdout; an AssertionError when it fails. */
    static String run(String... command) {
        try {
            Path out = Files.createTempFile("drvt-hc", ".out");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    throw new AssertionError("timed out: " + String.join(" ", command));
                }
                String text = Files.readString(out, StandardCharsets.UTF_8);
                if (p.exitValue() != 0) {
                    throw new AssertionError("failed (" + p.exitValue() + "): " + String.join(" ", command) + ": " + text);
                }
                return text;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + List.of(command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + List.of(command), e);
        }
    }

    /** Removes every namespace with this run's prefix, made here or by the code under test. */
    @Override
    public void close() {
        List<String> names = new ArrayList<>(made);
        try (var files = Files.list(Path.of("/run/netns"))) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix) && !names.contains(n))
                    .forEach(names::add);
        } catch (IOException e) {
            // no /run/netns: nothing was made
        }
        for (String name : names) {
            if (Files.exists(Path.of("/run/netns", name))) {
                try {
                    run("ip", "netns", "del", name);
                } catch (AssertionError e) {
                    System.err.println("could not remove namespace " + name + ": " + e.getMessage());
                }
            }
        }
        made.clear();
    }
}
