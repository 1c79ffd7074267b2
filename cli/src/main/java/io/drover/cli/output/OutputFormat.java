package io.drover.cli.output;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The {@code -o} formats of {@code drover get}; TABLE is the default, when no {@code -o} is given. */
public enum OutputFormat {
    TABLE, WIDE, YAML, JSON, NAME;

    /** "wide, yaml, json, name": what {@code -o} accepts. */
    public static String allowed() {
        return Arrays.stream(values()).filter(f -> f != TABLE).map(OutputFormat::flag).collect(Collectors.joining(", "));
    }

    public String flag() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OutputFormat parse(String text) {
        for (OutputFormat format : values()) {
            if (format != TABLE && format.flag().equals(text)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown output format \"" + text + "\"; allowed values: " + allowed());
    }
}
