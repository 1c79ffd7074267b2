package io.drover.cli.policy;

import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine.ParameterException;

/** {@code 80}, {@code 80/TCP}, {@code 53/udp}: a destination port and its protocol as the CLI takes them. */
record PortAndProtocol(int port, String protocol) {

    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");

    static PortAndProtocol parse(String text, Function<String, ParameterException> usage) {
        String[] parts = text.split("/", -1);
        if (parts.length > 2) {
            throw usage.apply("--port " + text + ": write PORT or PORT/PROTO, e.g. 80/TCP");
        }
        int port;
        try {
            port = Integer.parseInt(parts[0].trim());
        } catch (NumberFormatException e) {
            throw usage.apply("--port " + text + ": the port must be a number from 1 to 65535, e.g. 80/TCP");
        }
        if (port < 1 || port > 65535) {
            throw usage.apply("--port " + text + ": the port must be from 1 to 65535");
        }
        String protocol = parts.length == 2 ? parts[1].trim().toUpperCase(Locale.ROOT) : "TCP";
        if (!PROTOCOLS.contains(protocol)) {
            throw usage.apply("--port " + text + ": the protocol must be TCP, UDP or SCTP");
        }
        return new PortAndProtocol(port, protocol);
    }
}
