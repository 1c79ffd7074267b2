package io.drover.policy;

import java.util.Objects;

/** Ports {@code from} to {@code to} (inclusive) of one protocol (TCP, UDP or SCTP). */
public record PortRange(String protocol, int from, int to) implements Comparable<PortRange> {

    public static final int MAX_PORT = 65535;

    public PortRange {
        Objects.requireNonNull(protocol, "protocol");
        if (from < 0 || to > MAX_PORT || from > to) {
            throw new IllegalArgumentException("port range " + from + "-" + to + " is not within 0-" + MAX_PORT);
        }
    }

    public static PortRange single(String protocol, int port) {
        return new PortRange(protocol, port, port);
    }

    /** Every port of the protocol, as a rule port that names none. */
    public static PortRange every(String protocol) {
        return new PortRange(protocol, 0, MAX_PORT);
    }

    public boolean contains(String otherProtocol, int port) {
        return protocol.equals(otherProtocol) && from <= port && port <= to;
    }

    public boolean isEveryPort() {
        return from == 0 && to == MAX_PORT;
    }

    @Override
    public int compareTo(PortRange other) {
        int c = protocol.compareTo(other.protocol);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(from, other.from);
        return c != 0 ? c : Integer.compare(to, other.to);
    }

    @Override
    public String toString() {
        if (isEveryPort()) {
            return "every " + protocol + " port";
        }
        return (from == to ? Integer.toString(from) : from + "-" + to) + "/" + protocol;
    }
}
