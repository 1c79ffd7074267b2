package io.drover.policy.conformance;

import io.drover.policy.NamespacedName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Who reaches whom on one protocol and port: rows are clients, columns servers. The text form, as the conformance
 * cases and the probe write it:
 * <pre>
 * from\to x/a x/b
 * x/a       -   X
 * x/b       .   -
 * </pre>
 */
public record ReachabilityMatrix(List<NamespacedName> clients, List<NamespacedName> servers,
        List<List<Reachability>> rows) {

    public static final String CORNER = "from\\to";

    public ReachabilityMatrix {
        clients = List.copyOf(clients);
        servers = List.copyOf(servers);
        rows = rows.stream().map(List::copyOf).toList();
        int columns = servers.size();
        if (rows.size() != clients.size() || rows.stream().anyMatch(row -> row.size() != columns)) {
            throw new IllegalArgumentException("a reachability matrix needs one row per client and one cell per server");
        }
        requireDistinct(clients, "client");
        requireDistinct(servers, "server");
    }

    /** A matrix whose every cell is computed, e.g. from policies or from real probes. */
    public static ReachabilityMatrix of(List<NamespacedName> clients, List<NamespacedName> servers,
            BiFunction<NamespacedName, NamespacedName, Reachability> cell) {
        return new ReachabilityMatrix(clients, servers, clients.stream()
                .map(client -> servers.stream().map(server -> cell.apply(client, server)).toList())
                .toList());
    }

    /**
     * Reads the text form; blank lines are ignored.
     *
     * @throws IllegalArgumentException naming the line and what is wrong with it
     */
    public static ReachabilityMatrix parse(String text) {
        List<String> lines = text.lines().filter(line -> !line.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("the matrix is empty; its first line is '" + CORNER + "' and the servers");
        }
        String[] header = lines.getFirst().trim().split("\\s+");
        if (!header[0].equals(CORNER)) {
            throw new IllegalArgumentException("the matrix's first line starts with '" + CORNER + "', not '" + header[0] + "'");
        }
        List<NamespacedName> servers = Arrays.stream(header).skip(1).map(ReachabilityMatrix::pod).toList();
        List<NamespacedName> clients = new ArrayList<>();
        List<List<Reachability>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length != servers.size() + 1) {
                throw new IllegalArgumentException("matrix row '" + line.trim() + "' has " + (fields.length - 1)
                        + " cells for " + servers.size() + " servers");
            }
            clients.add(pod(fields[0]));
            rows.add(Arrays.stream(fields).skip(1).map(ReachabilityMatrix::cell).toList());
        }
        return new ReachabilityMatrix(clients, servers, rows);
    }

    /** @throws IllegalArgumentException when the client or server is not in the matrix */
    public Reachability at(NamespacedName client, NamespacedName server) {
        int row = clients.indexOf(client);
        int column = servers.indexOf(server);
        if (row < 0 || column < 0) {
            throw new IllegalArgumentException("the matrix has no cell for " + client + " -> " + server);
        }
        return rows.get(row).get(column);
    }

    /**
     * The cells where {@code observed} differs from this matrix, taken as the expectation; loopback cells are not
     * probed, so they never differ.
     *
     * @throws IllegalArgumentException when the two matrices do not have the same clients and servers
     */
    public List<CellDifference> differences(ReachabilityMatrix observed) {
        if (!new HashSet<>(observed.clients).equals(new HashSet<>(clients))
                || !new HashSet<>(observed.servers).equals(new HashSet<>(servers))) {
            throw new IllegalArgumentException("the observed matrix does not have the expected clients and servers");
        }
        List<CellDifference> differences = new ArrayList<>();
        for (NamespacedName client : clients) {
            for (NamespacedName server : servers) {
                Reachability expected = at(client, server);
                Reachability seen = observed.at(client, server);
                if (expected != Reachability.LOOPBACK && seen != expected) {
                    differences.add(new CellDifference(client, server, expected, seen));
                }
            }
        }
        return List.copyOf(differences);
    }

    /** The text form, each symbol under the end of its server's name, as the cases align it. */
    public String render() {
        int firstColumn = Math.max(CORNER.length(), clients.stream().mapToInt(c -> c.toString().length()).max().orElse(0));
        StringBuilder text = new StringBuilder(pad(CORNER, firstColumn));
        servers.forEach(server -> text.append(' ').append(server));
        text.append('\n');
        for (int row = 0; row < clients.size(); row++) {
            text.append(pad(clients.get(row).toString(), firstColumn));
            for (int column = 0; column < servers.size(); column++) {
                int width = servers.get(column).toString().length();
                text.append(' ').append(" ".repeat(width - 1)).append(rows.get(row).get(column).symbol());
            }
            text.append('\n');
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return render();
    }

    private static NamespacedName pod(String text) {
        return NamespacedName.parse(text);
    }

    private static Reachability cell(String text) {
        if (text.length() != 1) {
            throw new IllegalArgumentException("matrix cell '" + text + "' is not one of . X -");
        }
        return Reachability.ofSymbol(text.charAt(0));
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }

    private static void requireDistinct(List<NamespacedName> pods, String role) {
        if (new HashSet<>(pods).size() != pods.size()) {
            throw new IllegalArgumentException("the matrix names a " + role + " twice: " + pods);
        }
    }
}
