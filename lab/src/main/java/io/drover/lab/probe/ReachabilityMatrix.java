package io.drover.lab.probe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Who reaches whom on one port and protocol: rows are clients, columns servers, each cell {@code .} (connected),
 * {@code X} (blocked) or {@code -} (loopback: a pod and itself, not probed). The text form is the stable contract
 * of conformance/netpol/README.md, which {@link #format()} writes and {@link #parse} reads:
 *
 * <pre>
 * from\to x/a x/b x/c
 * x/a       -   .   X
 * x/b       .   -   .
 * x/c       .   .   -
 * </pre>
 *
 * The first column is as wide as its widest entry ({@code from\to} or a client); every other column is as wide as
 * its server's name, with the cell right-aligned under the name's last character; columns are separated by one
 * space; lines have no trailing spaces and each ends with a newline.
 */
public record ReachabilityMatrix(List<String> clients, List<String> servers, List<List<Cell>> cells) {

    public static final String CORNER = "from\\to";

    public enum Cell {
        CONNECTED('.'),
        BLOCKED('X'),
        SELF('-');

        private final char symbol;

        Cell(char symbol) {
            this.symbol = symbol;
        }

        public char symbol() {
            return symbol;
        }

        static Cell of(String token) {
            return switch (token) {
                case "." -> CONNECTED;
                case "X" -> BLOCKED;
                case "-" -> SELF;
                default -> null;
            };
        }
    }

    public ReachabilityMatrix {
        clients = List.copyOf(clients);
        servers = List.copyOf(servers);
        cells = cells.stream().map(List::copyOf).toList();
        requireUnique(clients, "client");
        requireUnique(servers, "server");
        if (cells.size() != clients.size()) {
            throw new IllegalArgumentException(clients.size() + " clients but " + cells.size() + " rows of cells");
        }
        for (int r = 0; r < clients.size(); r++) {
            if (cells.get(r).size() != servers.size()) {
                throw new IllegalArgumentException("row " + clients.get(r) + " has " + cells.get(r).size()
                        + " cells for " + servers.size() + " servers");
            }
            for (int c = 0; c < servers.size(); c++) {
                boolean self = clients.get(r).equals(servers.get(c));
                if (self != (cells.get(r).get(c) == Cell.SELF)) {
                    throw new IllegalArgumentException(clients.get(r) + " -> " + servers.get(c) + ": '-' marks a pod"
                            + " and itself, and only that" + (self ? "" : "; use '.' or 'X'"));
                }
            }
        }
        for (String key : clients) {
            if (key.isEmpty() || key.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("pod key '" + key + "' is empty or has white space");
            }
        }
        for (String key : servers) {
            if (key.isEmpty() || key.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("pod key '" + key + "' is empty or has white space");
            }
        }
    }

    /** The square matrix over {@code pods} (clients and servers alike), loopback cells marked {@code -}. */
    public static ReachabilityMatrix of(List<String> pods, BiPredicate<String, String> connected) {
        return of(pods, pods, connected);
    }

    public static ReachabilityMatrix of(List<String> clients, List<String> servers,
            BiPredicate<String, String> connected) {
        List<List<Cell>> cells = new ArrayList<>();
        for (String client : clients) {
            List<Cell> row = new ArrayList<>();
            for (String server : servers) {
                row.add(client.equals(server) ? Cell.SELF
                        : connected.test(client, server) ? Cell.CONNECTED : Cell.BLOCKED);
            }
            cells.add(row);
        }
        return new ReachabilityMatrix(clients, servers, cells);
    }

    public Cell cell(String client, String server) {
        int r = clients.indexOf(client);
        int c = servers.indexOf(server);
        if (r < 0 || c < 0) {
            throw new IllegalArgumentException("no cell " + client + " -> " + server + " in this matrix");
        }
        return cells.get(r).get(c);
    }

    public long count(Cell kind) {
        return cells.stream().flatMap(List::stream).filter(c -> c == kind).count();
    }

    /** The text form, exactly as in conformance/netpol/README.md, each line ending with a newline. */
    public String format() {
        int first = CORNER.length();
        for (String client : clients) {
            first = Math.max(first, client.length());
        }
        StringBuilder out = new StringBuilder();
        out.append(pad(CORNER, first, false));
        for (String server : servers) {
            out.append(' ').append(server);
        }
        out.append('\n');
        for (int r = 0; r < clients.size(); r++) {
            StringBuilder line = new StringBuilder(pad(clients.get(r), first, false));
            for (int c = 0; c < servers.size(); c++) {
                line.append(' ').append(pad(String.valueOf(cells.get(r).get(c).symbol()), servers.get(c).length(), true));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return format();
    }

    /**
     * Reads the text form. Blank lines and indentation are ignored and columns may be separated by any amount of
     * space, so that a matrix copied out of a YAML block or typed by hand parses; anything else that is not the
     * format is an error naming the line.
     */
    public static ReachabilityMatrix parse(String text) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("empty reachability matrix: expected a '" + CORNER + "' header line");
        }
        String[] header = lines.getFirst().split("\\s+");
        if (!header[0].equals(CORNER)) {
            throw new IllegalArgumentException("line 1: a reachability matrix starts with '" + CORNER
                    + "' and the server names, not '" + lines.getFirst() + "'");
        }
        List<String> servers = List.of(header).subList(1, header.length);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("line 1: the header names no servers");
        }
        List<String> clients = new ArrayList<>();
        List<List<Cell>> cells = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] tokens = lines.get(i).split("\\s+");
            if (tokens.length != servers.size() + 1) {
                throw new IllegalArgumentException("line " + (i + 1) + ": expected a client and " + servers.size()
                        + " cells, found " + (tokens.length - 1) + " cells in '" + lines.get(i) + "'");
            }
            String client = tokens[0];
            List<Cell> row = new ArrayList<>();
            for (int c = 1; c < tokens.length; c++) {
                Cell cell = Cell.of(tokens[c]);
                if (cell == null) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": cell " + client + " -> "
                            + servers.get(c - 1) + " is '" + tokens[c] + "'; use '.' (connected), 'X' (blocked) or"
                            + " '-' (a pod and itself)");
                }
                row.add(cell);
            }
            clients.add(client);
            cells.add(row);
        }
        if (clients.isEmpty()) {
            throw new IllegalArgumentException("the reachability matrix has a header but no rows");
        }
        try {
            return new ReachabilityMatrix(clients, servers, cells);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid reachability matrix: " + e.getMessage(), e);
        }
    }

    /** How {@code actual} differs from this matrix, taken as the expectation. */
    public MatrixDiff diff(ReachabilityMatrix actual) {
        List<String> missingClients = clients.stream().filter(c -> !actual.clients.contains(c)).toList();
        List<String> extraClients = actual.clients.stream().filter(c -> !clients.contains(c)).toList();
        List<String> missingServers = servers.stream().filter(s -> !actual.servers.contains(s)).toList();
        List<String> extraServers = actual.servers.stream().filter(s -> !servers.contains(s)).toList();
        Map<String, Integer> actualRows = indexOf(actual.clients);
        Map<String, Integer> actualColumns = indexOf(actual.servers);
        List<MatrixDiff.CellDiff> differing = new ArrayList<>();
        for (int r = 0; r < clients.size(); r++) {
            Integer ar = actualRows.get(clients.get(r));
            for (int c = 0; c < servers.size(); c++) {
                Integer ac = actualColumns.get(servers.get(c));
                if (ar == null || ac == null) {
                    continue;
                }
                Cell expected = cells.get(r).get(c);
                Cell got = actual.cells.get(ar).get(ac);
                if (expected != got) {
                    differing.add(new MatrixDiff.CellDiff(clients.get(r), servers.get(c), expected, got));
                }
            }
        }
        return new MatrixDiff(missingClients, extraClients, missingServers, extraServers, differing);
    }

    private static Map<String, Integer> indexOf(List<String> keys) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            index.put(keys.get(i), i);
        }
        return index;
    }

    private static void requireUnique(List<String> keys, String what) {
        var seen = new HashSet<String>();
        for (String key : keys) {
            if (!seen.add(key)) {
                throw new IllegalArgumentException(what + " " + key + " appears twice");
            }
        }
    }

    private static String pad(String s, int width, boolean right) {
        if (s.length() >= width) {
            return s;
        }
        String spaces = " ".repeat(width - s.length());
        return right ? spaces + s : s + spaces;
    }
}
