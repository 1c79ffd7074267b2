package io.drover.server.registry;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters of a blocking query, as Consul's: {@code index} (the {@code X-Drover-Index} of the last answer;
 * the request waits until the answer's index passes it) and {@code wait} (how long at most; default and maximum
 * five minutes, as Consul, whose larger waits are cut to the maximum as well).
 *
 * @param index the index to wait past; 0 (or none given) answers at once
 * @param maxWait how long to wait for a change before answering with the unchanged state
 */
record BlockingQuery(long index, Duration maxWait) {

    static final Duration MAX_WAIT = Duration.ofMinutes(5);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)?");

    static final BlockingQuery IMMEDIATE = new BlockingQuery(0, Duration.ZERO);

    boolean blocks() {
        return index > 0;
    }

    /** Parses the query parameters (absent ones are empty); a malformed one is a 400 naming it. */
    static BlockingQuery parse(Optional<String> index, Optional<String> wait) {
        long i = index.map(BlockingQuery::parseIndex).orElse(0L);
        Duration w = wait.map(BlockingQuery::parseWait).orElse(MAX_WAIT);
        return new BlockingQuery(i, w);
    }

    private static long parseIndex(String text) {
        try {
            long value = Long.parseLong(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw RegistryProblem.badRequest("query parameter index=" + quote(text) + " is not an index: give a whole "
                + "number >= 0, the X-Drover-Index header of the previous answer (0 or none answers at once)");
    }

    private static Duration parseWait(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw RegistryProblem.badRequest("query parameter wait=" + quote(text) + " is not a duration: give a "
                    + "whole number with a unit ms, s or m (seconds without one), e.g. wait=30s; at most "
                    + MAX_WAIT.toMinutes() + "m");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
        };
        return d.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : d;
    }

    private static String quote(String text) {
        return "\"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
    }
}
