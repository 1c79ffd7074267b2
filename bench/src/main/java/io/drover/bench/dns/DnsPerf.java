package io.drover.bench.dns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code dnsperf} (DNS-OARC) against a server and reads its report: queries per second at full load, or, with a
 * rate limit and {@code -v}, the latency of every reply for percentiles.
 */
final class DnsPerf {

    private static final Pattern QPS = Pattern.compile("Queries per second:\\s+([0-9.]+)");
    private static final Pattern LOST = Pattern.compile("Queries lost:\\s+(\\d+)");
    private static final Pattern COMPLETED = Pattern.compile("Queries completed:\\s+(\\d+)");
    /** {@code > NOERROR name type 0.000123} in verbose mode: one line per reply, its latency in seconds. */
    private static final Pattern REPLY = Pattern.compile("^> (\\S+) (\\S+) .* ([0-9]+\\.[0-9]+)$");

    /**
     * @param clients dnsperf's clients (sockets), {@code -c}
     * @param threads dnsperf's threads, {@code -T}
     */
    record Load(Path queries, int seconds, int clients, int threads, int outstanding) {}

    record Throughput(double qps, long completed, long lost, String report) {}

    /**
     * @param wrong replies whose rcode is not the one the catalog says ({@code expectedRcode}), by rcode and name: a
     *              server that answers these is not serving the same records
     */
    record Latencies(long[] nanos, long lost, String rcodes, java.util.Map<String, Integer> wrong) {}

    private DnsPerf() {}

    static Throughput throughput(InetSocketAddress server, Load load) throws IOException, InterruptedException {
        String out = run(command(server, load, List.of()), false, null);
        return new Throughput(number(QPS, out), (long) number(COMPLETED, out), (long) number(LOST, out), out);
    }

    /** Every reply's latency at a fixed rate of {@code qps}, from dnsperf's verbose output. */
    static Latencies latencies(InetSocketAddress server, Load load, int qps,
            java.util.function.Function<String, String> expectedRcode) throws IOException, InterruptedException {
        List<Long> nanos = new ArrayList<>();
        java.util.Map<String, Integer> rcodes = new java.util.TreeMap<>();
        java.util.Map<String, Integer> wrong = new java.util.TreeMap<>();
        String out = run(command(server, load, List.of("-Q", Integer.toString(qps), "-v")), true, line -> {
            Matcher m = REPLY.matcher(line);
            if (m.matches()) {
                nanos.add(Math.round(Double.parseDouble(m.group(3)) * 1e9));
                rcodes.merge(m.group(1), 1, Integer::sum);
                if (!m.group(1).equals(expectedRcode.apply(m.group(2)))) {
                    wrong.merge(m.group(1) + " " + m.group(2), 1, Integer::sum);
                }
            }
        });
        return new Latencies(nanos.stream().mapToLong(Long::longValue).toArray(), (long) number(LOST, out),
                rcodes.toString(), wrong);
    }

    private static List<String> command(InetSocketAddress server, Load load, List<String> extra) {
        List<String> c = new ArrayList<>(List.of("dnsperf", "-s", server.getAddress().getHostAddress(), "-p",
                Integer.toString(server.getPort()), "-d", load.queries().toString(), "-l", Integer.toString(load.seconds()),
                "-c", Integer.toString(load.clients()), "-T", Integer.toString(load.threads()), "-q",
                Integer.toString(load.outstanding()), "-t", "2"));
        c.addAll(extra);
        return c;
    }

    /** Runs dnsperf; verbose lines go to {@code eachLine} (not kept), the rest is returned. */
    private static String run(List<String> command, boolean verbose, java.util.function.Consumer<String> eachLine)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder report = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (verbose && line.startsWith("> ")) {
                    eachLine.accept(line);
                } else {
                    report.append(line).append('\n');
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("dnsperf failed (exit " + p.exitValue() + "): " + String.join(" ", command)
                    + "\n" + report);
        }
        return report.toString();
    }

    private static double number(Pattern p, String text) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("dnsperf's report has no '" + p.pattern() + "':\n" + text);
        }
        return Double.parseDouble(m.group(1));
    }
}
