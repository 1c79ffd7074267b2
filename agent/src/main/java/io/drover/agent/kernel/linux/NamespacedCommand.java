package io.drover.agent.kernel.linux;

import io.drover.agent.kernel.NetNs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a tool (nft, conntrack) in a network namespace as {@code nsenter --net=PATH TOOL ...}, started from the
 * caller's thread. Forking it from the namespace's thread would also put it in the namespace (a child inherits the
 * forking thread's namespaces), but {@link ProcessBuilder#start} may start the JDK's process-reaper thread on the
 * forking thread, and that pooled thread would then live in the namespace (keeping it alive after deletion, for
 * one). nsenter keeps every thread of ours where it belongs, for about a millisecond more per run.
 */
final class NamespacedCommand {

    /** What a run printed and how it ended. */
    record Output(int exitCode, String stdout, String stderr) {}

    private static final List<String> DIRECTORIES = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    private NamespacedCommand() {}

    /** The tool in the usual places (a daemon's PATH may lack the sbin directories), else by PATH. */
    static String locate(String tool) {
        return DIRECTORIES.stream().map(d -> Path.of(d, tool)).filter(Files::isExecutable).findFirst()
                .map(Path::toString).orElse(tool);
    }

    static Output run(String nsenter, NetNs ns, String tool, String stdin, long timeoutSeconds, String... args) {
        if (!ns.isSelf() && !Files.exists(ns.path())) {
            // Otherwise nsenter's "No such file or directory" would read as the tool's, e.g. as an absent table.
            throw new ErrnoException(Errno.ENOENT, "namespace " + ns);
        }
        List<String> command = new ArrayList<>(args.length + 2);
        if (!ns.isSelf()) {
            command.addAll(List.of(nsenter, "--net=" + ns.path()));
        }
        command.add(tool);
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new ErrnoException(Errno.ENOENT, "run " + command.getFirst(),
                    e.getMessage() + " (are nftables, conntrack and util-linux installed?)");
        }
        try {
            CompletableFuture<String> stderr = drain(process.getErrorStream());
            CompletableFuture<String> stdout = drain(process.getInputStream());
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // The tool exited before reading all of it (a bad option); its exit status and stderr explain why.
            }
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new ErrnoException(Errno.ETIMEDOUT, "", tool + " did not finish within " + timeoutSeconds + " s");
            }
            return new Output(process.exitValue(), stdout.join(), stderr.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ErrnoException(Errno.EINTR, "", "interrupted while waiting for " + tool);
        }
    }

    /** Reads a pipe to its end on a virtual thread, so that neither pipe can fill up and stall the tool. */
    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread.ofVirtual().name("drover-tool-pipe").start(() -> {
            try (stream) {
                result.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
            }
        });
        return result;
    }
}
