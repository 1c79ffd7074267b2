package io.drover.agent.kernel.linux;

import io.drover.agent.kernel.NetNs;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * nftables through the {@code nft} binary: one {@code nft -f -} run is one kernel transaction, all or nothing.
 *
 * <p>nft runs as {@code nsenter --net=PATH nft ...} ({@link NamespacedCommand} says why).
 */
final class Nft {

    static final String EMPTY_TABLE_JSON = "{\"nftables\":[]}";

    private static final Set<String> FAMILIES = Set.of("ip", "ip6", "inet", "arp", "bridge", "netdev");
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,255}");
    private static final long TIMEOUT_SECONDS = 120;

    /** The result of one nft run. */
    record Result(int exitCode, String stdout, String stderr) {}

    private final String nft;
    private final String nsenter;

    Nft() {
        this(NamespacedCommand.locate("nft"), NamespacedCommand.locate("nsenter"));
    }

    Nft(String nft, String nsenter) {
        this.nft = nft;
        this.nsenter = nsenter;
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
        NamespacedCommand.Output out = NamespacedCommand.run(nsenter, ns, nft, stdin, TIMEOUT_SECONDS, args);
        return new Result(out.exitCode(), out.stdout(), out.stderr());
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
