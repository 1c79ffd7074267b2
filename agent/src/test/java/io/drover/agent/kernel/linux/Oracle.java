package io.drover.agent.kernel.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tools the end-to-end tests check LinuxKernel against: iproute2, nft, ping. Run as separate processes from the
 * test thread, which stays in the root namespace; they reach a test namespace with {@code ip -n} / {@code ip netns
 * exec}, never through LinuxKernel.
 */
final class Oracle {

    record Result(int exit, String out, String err) {
        Result ok() {
            if (exit != 0) {
                throw new AssertionError("exit " + exit + ": " + err + out);
            }
            return this;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Oracle() {}

    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    static boolean has(String tool) {
        for (String dir : new String[] {"/usr/sbin", "/sbin", "/usr/bin", "/bin"}) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static Result run(String... command) {
        return runWithInput(null, command);
    }

    static Result runWithInput(String stdin, String... command) {
        try {
            Process p = new ProcessBuilder(command).start();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), out, new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ip -n NS -j ARGS}, parsed; NS null: the root namespace. */
    static JsonNode ip(String ns, String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        if (ns != null) {
            command.addAll(List.of("-n", ns));
        }
        command.add("-j");
        command.addAll(List.of(args));
        String out = run(command.toArray(String[]::new)).ok().out();
        return JSON.readTree(out.isBlank() ? "[]" : out);
    }

    /** {@code ip -n NS ARGS} as text. */
    static String ipText(String ns, String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", ns));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new)).ok().out();
    }

    static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    /** Runs a command inside a namespace the way an operator would: {@code ip netns exec}. */
    static Result exec(String ns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    /**
     * One echo request answered within a second, tried a few times (the first may go to neighbour discovery).
     * iputils' ping where installed, else busybox's (which the README's packages bring).
     */
    static boolean ping(String ns, String address) {
        String[] ping = has("ping") ? new String[] {"ping"} : new String[] {"busybox", "ping"};
        for (int attempt = 0; attempt < 5; attempt++) {
            List<String> command = new ArrayList<>(List.of(ping));
            command.addAll(List.of("-c1", "-W1", address));
            if (exec(ns, command.toArray(String[]::new)).exit() == 0) {
                return true;
            }
        }
        return false;
    }
}
