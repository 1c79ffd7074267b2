package io.drover.cli.output;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Label and annotation maps as text, sorted by key so that output is stable between runs. */
public final class Labels {

    public static final String NONE = "<none>";

    private Labels() {}

    /** {@code app=web,tier=frontend}, or {@code <none>}. */
    public static String inline(Map<String, String> labels) {
        List<String> pairs = pairs(labels);
        return pairs.isEmpty() ? NONE : String.join(",", pairs);
    }

    /** One {@code key=value} per entry; {@code <none>} alone when empty. */
    public static List<String> lines(Map<String, String> labels) {
        List<String> pairs = pairs(labels);
        return pairs.isEmpty() ? List.of(NONE) : pairs;
    }

    private static List<String> pairs(Map<String, String> labels) {
        if (labels == null) {
            return List.of();
        }
        return new TreeMap<>(labels).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }
}
