package io.drover.controllers.hostports;

/**
 * The node ports that automatic host ports ({@code spec.publishAllPorts}) come from, both ends included. The default
 * is Docker's, the kernel's default ephemeral range: 32768-60999.
 */
public record HostPortRange(int from, int to) {

    public static final HostPortRange DEFAULT = new HostPortRange(32768, 60999);

    public HostPortRange {
        if (from < 1 || to > 65535 || from > to) {
            throw new IllegalArgumentException("host port range " + from + "-" + to + " is not a range of ports: "
                    + "write FROM-TO with 1 <= FROM <= TO <= 65535, e.g. " + DEFAULT);
        }
    }

    /**
     * Parses {@code FROM-TO} (e.g. {@code 32768-60999}); a single port {@code N} is the range {@code N-N}.
     *
     * @throws IllegalArgumentException saying what is wrong and what to write instead
     */
    public static HostPortRange parse(String text) {
        String t = text == null ? "" : text.strip();
        String example = "write FROM-TO, e.g. " + DEFAULT;
        if (t.isEmpty()) {
            throw new IllegalArgumentException("the host port range is empty; " + example);
        }
        int dash = t.indexOf('-', 1);
        String fromText = dash < 0 ? t : t.substring(0, dash).strip();
        String toText = dash < 0 ? t : t.substring(dash + 1).strip();
        int from = port(fromText, "first", t, example);
        int to = port(toText, "last", t, example);
        if (from > to) {
            throw new IllegalArgumentException("host port range \"" + t + "\" ends before it starts; write the lower "
                    + "port first: " + to + "-" + from);
        }
        return new HostPortRange(from, to);
    }

    private static int port(String text, String which, String whole, String example) {
        if (!text.matches("\\d{1,5}")) {
            throw new IllegalArgumentException("host port range \"" + whole + "\": the " + which + " port \"" + text
                    + "\" is not a port number; " + example);
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("host port range \"" + whole + "\": the " + which + " port " + port
                    + " is not between 1 and 65535; " + example);
        }
        return port;
    }

    public boolean contains(int port) {
        return port >= from && port <= to;
    }

    public int size() {
        return to - from + 1;
    }

    @Override
    public String toString() {
        return from + "-" + to;
    }
}
