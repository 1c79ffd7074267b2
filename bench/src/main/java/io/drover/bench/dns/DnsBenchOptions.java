package io.drover.bench.dns;

import io.drover.bench.BenchArguments;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code bench/run dns}'s options: {@code [--threads 2] [--seconds 10] [--rounds 3] [--clients 8] [--namespaces 10]
 * [--services 100] [--changes 100] [--jfr FILE]}.
 *
 * @param threads  threads of each server ({@code drover dns --threads}, {@code named -n})
 * @param seconds  length of each throughput run
 * @param rounds   throughput runs of each server, alternating
 * @param clients  dnsperf's clients (sockets)
 * @param services services per namespace in the catalog
 * @param changes  endpoint changes for the propagation figure
 * @param jfr      where to write a JFR profile of the Drover DNS process, or null
 */
record DnsBenchOptions(int threads, int seconds, int rounds, int clients, int namespaces, int services, int changes,
        Path jfr) {

    static final String USAGE = "usage: bench/run dns [--threads N] [--seconds N] [--rounds N] [--clients N]"
            + " [--namespaces N] [--services N] [--changes N] [--jfr FILE]";

    static DnsBenchOptions parse(String[] args) {
        Map<String, Integer> defaults = new LinkedHashMap<>();
        defaults.put("--threads", 2);
        defaults.put("--seconds", 10);
        defaults.put("--rounds", 3);
        defaults.put("--clients", 8);
        defaults.put("--namespaces", 10);
        defaults.put("--services", 100);
        defaults.put("--changes", 100);
        BenchArguments parsed = BenchArguments.parse(args, defaults, Set.of("--jfr"), USAGE);
        if (parsed.help()) {
            throw new IllegalArgumentException(USAGE + "\n" + BenchArguments.defaultsText(defaults));
        }
        Map<String, Integer> n = parsed.numbers();
        Path jfr = parsed.texts().containsKey("--jfr") ? Path.of(parsed.texts().get("--jfr")).toAbsolutePath() : null;
        if (n.values().stream().anyMatch(v -> v < 1) || n.get("--threads") > 64 || n.get("--seconds") > 600
                || n.get("--rounds") > 20 || n.get("--clients") > 1000 || n.get("--namespaces") * n.get("--services")
                > 100_000 || n.get("--changes") > 10_000) {
            throw new IllegalArgumentException("a value is out of range (each at least 1; threads <= 64, seconds <= 600,"
                    + " rounds <= 20, clients <= 1000, namespaces x services <= 100000, changes <= 10000)");
        }
        return new DnsBenchOptions(n.get("--threads"), n.get("--seconds"), n.get("--rounds"), n.get("--clients"),
                n.get("--namespaces"), n.get("--services"), n.get("--changes"), jfr);
    }
}
