package io.drover.policy.conformance;

import java.util.Objects;

/** Connections from every client to every server of {@code expected} on one protocol and port, and their outcome. */
public record Probe(String protocol, int port, ReachabilityMatrix expected) {

    public Probe {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(expected, "expected");
    }

    @Override
    public String toString() {
        return port + "/" + protocol;
    }
}
