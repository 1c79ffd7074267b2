package io.drover.lab.conformance;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Where each field of a YAML document is written, by the paths the case reader names in its messages
 * ({@code steps[0].actions[1].createPolicy}): a parsed tree has lost its positions, the parser's tokens have them.
 */
final class YamlLines {

    private static final YAMLMapper YAML = new YAMLMapper();

    private final Map<String, Integer> lines;
    private final List<String> text;

    private YamlLines(Map<String, Integer> lines, List<String> text) {
        this.lines = lines;
        this.text = text;
    }

    /** @throws tools.jackson.core.JacksonException when the text is not YAML */
    static YamlLines of(String text) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = YAML.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first != null) {
                walk(parser, "", lines);
            }
        }
        return new YamlLines(lines, text.lines().toList());
    }

    /**
     * The 1-based line of the field (where its name is written; for a list item, where the item starts), else of
     * its nearest written ancestor; 0 when nothing is known.
     */
    int line(String path) {
        String p = path;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            if (p.isEmpty()) {
                return 0;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
    }

    /** Whether the field's value is a block scalar ({@code field: |}), whose text starts on the next line. */
    boolean isBlockScalar(String path) {
        Integer line = lines.get(path);
        if (line == null || line < 1 || line > text.size()) {
            return false;
        }
        String written = text.get(line - 1);
        int colon = written.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String value = written.substring(colon + 1).strip();
        return value.startsWith("|") || value.startsWith(">");
    }

    Map<String, Integer> all() {
        return Map.copyOf(lines);
    }

    /** Records the current value's line at {@code path} (unless its name's line is there) and that of its parts. */
    private static void walk(JsonParser parser, String path, Map<String, Integer> lines) {
        lines.putIfAbsent(path, parser.currentTokenLocation().getLineNr());
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                String child = path.isEmpty() ? name : path + "." + name;
                lines.putIfAbsent(child, parser.currentTokenLocation().getLineNr());
                parser.nextToken();
                walk(parser, child, lines);
            }
        } else if (token == JsonToken.START_ARRAY) {
            int i = 0;
            for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY && t != null; t = parser.nextToken()) {
                walk(parser, path + "[" + i++ + "]", lines);
            }
        }
    }
}
