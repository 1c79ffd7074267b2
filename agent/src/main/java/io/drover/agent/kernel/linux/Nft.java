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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * nftables through the {@code nft} binary: one {@code nft -f -} run is one kernel transaction, all or nothing.
 *
 * <p>nft runs as {@code nsenter --net=PATH nft ...}, started from the caller's thread. Forking it from the
 * namespace's thread would also put it in the namespace (a child inherits the forking thread's namespaces), but
 * {@link ProcessBuilder#start} may start the JDK's process-reaper thread on the forking thread, and that pooled
 * thread would then live in the namespace (keeping it alive after deletion, for one). nsenter keeps every thread of
 * ours where it belongs, for about a millisecond more per run.
 */
final class Nft {

    static final String EMPTY_TABLE_JSON = "{\"nftables\":[]}";

    private static final List<String> DIRECTORIES = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");
    private static final Set<String> FAMILIES = Set.of("ip", "ip6", "inet", "arp", "bridge", "netdev");
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,255}");
    private static final long TIMEOUT_SECONDS = 120;

    /** The result of one nft run. */
    record Result(int exitCode, String stdout, String stderr) {}

    private final String nft;
    private final String nsenter;

    Nft() {
        this(locate("nft"), locate("nsenter"));
    }

    Nft(String nft, String nsenter) {
        this.nft = nft;
        this.nsenter = nsenter;
    }

    /** The tool in the usual places (a daemon's PATH may lack the sbin directories), else by PATH. */
    private static String locate(String tool) {
        return DIRECTORIES.stream().map(d -> Path.of(d, tool)).filter(Files::isExecutable).findFirst()
                .map(Path::toString).orElse(tool);
    }

    /** Applies a script as one transaction; a failure carries nft's own explanation. */
    void apply(NetNs ns, String script) {
        Result r = run(ns, script, "-f", "-");
        if (r.exitCode() != 0) {
            throw failure(r);
        }
    }

    /** The table as nft's JSON, or {@link #EMPTY_TABLE_JSON} when the namespace has no such table. */
    String listTable(NetNs ns, String family, String table) {
        // nft joins its arguments into one command line and parses it, so a table "x; flush ruleset" would be two
        // commands: only plain names get through.
        if (!FAMILIES.contains(family)) {
            throw new IllegalArgumentException("'" + family + "' is not an nftables family; use one of " + FAMILIES);
        }
        if (table == null || !TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("'" + table + "' is not an nftables table name (letters, digits, _ . -)");
        }
        Result r = run(ns, null, "-j", "list", "table", family, table);
        if (r.exitCode() == 0) {
            return r.stdout().strip();
        }
        NftException e = failure(r);
        if (e.errno() == Errno.ENOENT) {
            return EMPTY_TABLE_JSON;
        }
        throw e;
    }

    Result run(NetNs ns, String stdin, String... args) {
        if (!ns.isSelf() && !Files.exists(ns.path())) {
            // Otherwise nsenter's "No such file or directory" would read as nft's, e.g. as an absent table.
            throw new ErrnoException(Errno.ENOENT, "namespace " + ns);
        }
        List<String> command = new ArrayList<>(args.length + 2);
        if (!ns.isSelf()) {
            command.addAll(List.of(nsenter, "--net=" + ns.path()));
        }
        command.add(nft);
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new ErrnoException(Errno.ENOENT, "run " + command.getFirst(),
                    e.getMessage() + " (are nftables and util-linux installed?)");
        }
        try {
            CompletableFuture<String> stderr = drain(process.getErrorStream());
            CompletableFuture<String> stdout = drain(process.getInputStream());
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // nft exited before reading all of it (a bad option); its exit status and stderr explain why.
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new ErrnoException(Errno.ETIMEDOUT, "", "nft did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), stdout.join(), stderr.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ErrnoException(Errno.EINTR, "", "interrupted while waiting for nft");
        }
    }

    /** Reads a pipe to its end on a virtual thread, so that neither pipe can fill up and stall nft. */
    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread.ofVirtual().name("drover-nft-pipe").start(() -> {
            try (stream) {
                result.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
            }
        });
        return result;
    }

    /**
     * nft's error as an exception: the errno is the one nft reports from the kernel ("Error: Could not process rule:
     * No such file or directory" is ENOENT) or 0 for errors of its own (syntax).
     */
    static NftException failure(Result r) {
        String stderr = r.stderr().strip();
        int errno = stderr.lines()
                .filter(l -> l.contains("Error: ") || l.startsWith("nsenter: "))
                .map(l -> l.substring(l.lastIndexOf(": ") + 2))
                .map(Errno::fromMessage)
                .flatMap(Optional::stream)
                .findFirst()
                .orElse(0);
        String text = stderr.isEmpty() ? "nft exited with status " + r.exitCode() : stderr;
        return new NftException(errno, text);
    }

    /** An nft failure: unlike a system call's, its errno may be 0, and its message is nft's whole report. */
    static final class NftException extends RuntimeException {
        private final int errno;

        NftException(int errno, String text) {
            super(text);
            this.errno = errno;
        }

        int errno() {
            return errno;
        }
    }
}
