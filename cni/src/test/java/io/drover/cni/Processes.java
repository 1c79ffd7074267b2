package io.drover.cni;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/** Runs a program with exactly the given environment and stdin, as a container runtime runs a CNI plugin. */
final class Processes {

    private Processes() {}

    record Run(int exit, String stdout, String stderr) {
        JsonNode json() {
            return CniResultTest.JSON.readTree(stdout);
        }
    }

    static Run run(List<String> command, Map<String, String> env, byte[] stdin)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (var in = p.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // a plugin may exit without reading stdin (VERSION, "about"), as the reference plugins do
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(command + " finished").isTrue();
        return new Run(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                new String(err.join(), StandardCharsets.UTF_8));
    }

    /** Runs a command that must succeed, and returns its stdout. */
    static String check(String... command) throws IOException, InterruptedException {
        Run r = run(List.of(command), Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), new byte[0]);
        assertThat(r.exit()).as(String.join(" ", command) + ": " + r.stderr()).isZero();
        return r.stdout();
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
