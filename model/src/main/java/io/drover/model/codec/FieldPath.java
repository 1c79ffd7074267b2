package io.drover.model.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A field's path in two spellings: {@code display} as users and validators write it
 * ({@code spec.ports[1].port}, {@code metadata.labels["app"]}), and {@code pointer}, a JSON Pointer
 * ({@code /spec/ports/1/port}) that is the lookup key of {@link FieldLocations}. Both spellings of a map key
 * ({@code labels.app} and {@code labels["app"]}) reach the same pointer.
 */
record FieldPath(String display, String pointer) {

    static final FieldPath ROOT = new FieldPath("", "");

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** A field of an object: {@code spec.mtu}; a name that is not an identifier is bracketed. */
    FieldPath member(String name) {
        if (!PLAIN.matcher(name).matches()) {
            return key(name);
        }
        return new FieldPath(display.isEmpty() ? name : display + "." + name, pointer + "/" + escape(name));
    }

    /** An entry of a map such as labels: always bracketed, as validators name them. */
    FieldPath key(String key) {
        String quoted = "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
        return new FieldPath(display + quoted, pointer + "/" + escape(key));
    }

    FieldPath index(int i) {
        return new FieldPath(display + "[" + i + "]", pointer + "/" + i);
    }

    /** The pointer of a path as a user or validator wrote it; tolerant, as it only serves lookups. */
    static String pointerOf(String path) {
        StringBuilder sb = new StringBuilder();
        for (String segment : segments(path)) {
            sb.append('/').append(escape(segment));
        }
        return sb.toString();
    }

    /** {@code spec.ports[1].port} -> [spec, ports, 1, port]; {@code labels["a.b/c"]} -> [labels, a.b/c]. */
    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        int i = 0;
        int n = path.length();
        while (i < n) {
            char c = path.charAt(i);
            if (c == '.') {
                i++;
            } else if (c == '[') {
                int j = i + 1;
                if (j < n && (path.charAt(j) == '"' || path.charAt(j) == '\'')) {
                    char quote = path.charAt(j++);
                    StringBuilder sb = new StringBuilder();
                    while (j < n && path.charAt(j) != quote) {
                        if (path.charAt(j) == '\\' && j + 1 < n) {
                            j++;
                        }
                        sb.append(path.charAt(j++));
                    }
                    j++; // the closing quote
                    if (j < n && path.charAt(j) == ']') {
                        j++;
                    }
                    segments.add(sb.toString());
                    i = j;
                } else {
                    int close = path.indexOf(']', j);
                    close = close < 0 ? n : close;
                    segments.add(path.substring(j, close).trim());
                    i = close + 1;
                }
            } else {
                int j = i;
                while (j < n && path.charAt(j) != '.' && path.charAt(j) != '[') {
                    j++;
                }
                segments.add(path.substring(i, j));
                i = j;
            }
        }
        return segments;
    }

    /** The parent pointer, or null at the root. */
    static String parentPointer(String pointer) {
        int slash = pointer.lastIndexOf('/');
        return slash < 0 ? null : pointer.substring(0, slash);
    }

    private static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }
}
