package io.drover.lab.net;

import java.util.Locale;

/** The transport protocols pods serve and the probe tries, as Kubernetes names them. */
public enum Protocol {
    TCP,
    UDP,
    SCTP;

    /** Parses "tcp", "TCP", "Udp", ...; the error lists the valid names. */
    public static Protocol parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown protocol '" + text + "': use tcp, udp or sctp");
        }
    }

    public String lower() {
        return name().toLowerCase(Locale.ROOT);
    }
}
