package io.drover.lab.echo;

import io.drover.lab.net.Protocol;

/** A port the echo server serves: {@code 80/tcp}. */
public record EchoPort(int port, Protocol protocol) {

    public EchoPort {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1-65535");
        }
        if (protocol == null) {
            throw new IllegalArgumentException("port " + port + " has no protocol");
        }
    }

    /** Parses {@code PORT/PROTOCOL} ({@code 80/tcp}); a bare port means TCP, as in a pod spec. */
    public static EchoPort parse(String text) {
        int slash = text.indexOf('/');
        String number = slash < 0 ? text : text.substring(0, slash);
        Protocol protocol = slash < 0 ? Protocol.TCP : Protocol.parse(text.substring(slash + 1));
        try {
            return new EchoPort(Integer.parseInt(number.trim()), protocol);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a port: expected PORT[/tcp|udp|sctp], e.g. 80/udp");
        }
    }

    @Override
    public String toString() {
        return port + "/" + protocol.lower();
    }
}
