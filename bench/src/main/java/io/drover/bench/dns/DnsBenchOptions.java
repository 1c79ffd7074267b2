package io.drover.bench.dns;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

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
        Map<String, Integer> n = new LinkedHashMap<>();
        n.put("--threads", 2);
        n.put("--seconds", 10);
        n.put("--rounds", 3);
        n.put("--clients", 8);
        n.put("--namespaces", 10);
        n.put("--services", 100);
        n.put("--changes", 100);
        Path jfr = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new IllegalArgumentException(USAGE + "\n(defaults:" + n.entrySet().stream()
                        .map(e -> " " + e.getKey() + " " + e.getValue()).reduce("", String::concat) + ")");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg + " needs a value; " + USAGE);
            }
            String value = args[++i];
            if (arg.equals("--jfr")) {
                jfr = Path.of(value).toAbsolutePath();
            } else if (n.containsKey(arg)) {
                try {
                    n.put(arg, Integer.parseInt(value));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(arg + " takes a number, not '" + value + "'; " + USAGE);
                }
            } else {
                throw new IllegalArgumentException("unknown option " + arg + "; " + USAGE);
            }
        }
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
