package io.drover.cli.output;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Ages as kubectl shows them (its HumanDuration): 45s, 3m20s, 15m, 2h30m, 10h, 4d6h, 20d, 2y30d. */
public final class Age {

    public static final String UNKNOWN = "<unknown>";

    private Age() {}

    /** The age of an object created at {@code timestamp} (RFC 3339), or {@code <unknown>} when there is none. */
    public static String since(String timestamp, Instant now) {
        return parse(timestamp).map(created -> of(Duration.between(created, now))).orElse(UNKNOWN);
    }

    public static java.util.Optional<Instant> parse(String timestamp) {
        if (timestamp == null || timestamp.isBlank()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Instant.parse(timestamp));
        } catch (DateTimeParseException e) {
            return java.util.Optional.empty();
        }
    }

    public static String of(Duration d) {
        // Truncated toward zero, as Go's int(d.Seconds()): -1.5s is -1s, within the tolerated skew.
        long seconds = d.toMillis() / 1000;
        // As kubectl: up to a second in the future is clock skew between client and server, so "0s".
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 60 * 2) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        } else if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        } else if (hours < 24 * 365 * 8) {
            long days = (hours / 24) % 365;
            return days == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + days + "d";
        }
        return hours / 24 / 365 + "y";
    }
}
