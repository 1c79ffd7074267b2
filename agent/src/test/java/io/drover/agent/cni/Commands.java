package io.drover.agent.cni;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs programs for the end-to-end tests: with a given environment and stdin, as a runtime runs a plugin. */
final class Commands {

    static final String PATH = "/usr/sbin:/usr/bin:/sbin:/bin";

    private Commands() {}

    record Result(int exit, String stdout, String stderr) {
        boolean ok() {
            return exit == 0;
        }

        Result orFail(String what) {
            if (exit != 0) {
                throw new AssertionError(what + " failed (" + exit + "): " + stderr + stdout);
            }
            return this;
        }
    }

    /** Runs {@code command}; {@code env} null inherits this process's environment plus PATH. */
    static Result run(List<String> command, Map<String, String> env, byte[] stdin, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (env != null) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        pb.environment().putIfAbsent("PATH", PATH);
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (var in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException e) {
                // the program did not read its stdin
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                return new Result(-1, new String(out.join(), StandardCharsets.UTF_8),
                        "timed out after " + timeout + ": " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    static Result run(String... command) {
        return run(List.of(command), null, new byte[0], Duration.ofSeconds(60));
    }

    /** Runs a command that must succeed; its stdout. */
    static String check(String... command) {
        return run(command).orFail(String.join(" ", command)).stdout();
    }

    static boolean isRoot() {
        try {
            return Files.readString(Path.of("/proc/self/status")).lines()
                    .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    static boolean onPath(String program) {
        for (String dir : PATH.split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
