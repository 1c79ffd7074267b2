package io.drover.model.codec;

import io.drover.model.codec.FieldLocations.Entry;
import io.drover.model.codec.ManifestException.Problem;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the tree of one document from the parser's tokens and, at the same time, records where each value
 * (and each field name) was written. Jackson's own tree reading forgets positions, and errors found later
 * (unknown field, wrong type, failed validation) must point at a line and column.
 */
final class LocatingTreeReader {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonParser parser;
    private final String sourceName;
    private final Map<String, Entry> entries;
    private final List<Problem> problems;

    LocatingTreeReader(JsonParser parser, String sourceName, Map<String, Entry> entries, List<Problem> problems) {
        this.parser = parser;
        this.sourceName = sourceName;
        this.entries = entries;
        this.problems = problems;
    }

    /** Reads the value whose first token is the parser's current token; leaves the parser on its last token. */
    JsonNode read() {
        return readValue(FieldPath.ROOT, null);
    }

    SourceLocation location(TokenStreamLocation l) {
        return new SourceLocation(sourceName, l.getLineNr(), l.getColumnNr());
    }

    private JsonNode readValue(FieldPath path, SourceLocation keyLocation) {
        JsonToken token = parser.currentToken();
        SourceLocation here = location(parser.currentTokenLocation());
        entries.put(path.pointer(), new Entry(keyLocation, here));
        return switch (token) {
            case START_OBJECT -> readObject(path);
            case START_ARRAY -> readArray(path);
            case VALUE_STRING -> NODES.stringNode(parser.getString());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            // BigDecimal keeps the text as written ("1.10", not 1.1), for messages that quote it back.
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDecimalValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> {
                // Only !!binary and similar tagged scalars get here; no Drover field takes them.
                problems.add(new Problem(here, path.display(),
                        "the value of " + describe(path) + " is a " + token + " that Drover cannot read; write it as plain text"));
                yield NODES.nullNode();
            }
        };
    }

    private ObjectNode readObject(FieldPath path) {
        ObjectNode object = NODES.objectNode();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            SourceLocation keyLocation = location(parser.currentTokenLocation());
            FieldPath child = path.member(name);
            Entry earlier = object.has(name) ? entries.get(child.pointer()) : null;
            parser.nextToken();
            JsonNode value = readValue(child, keyLocation);
            if (earlier != null) {
                // YAML parsers keep the last of two equal keys; the first one would be ignored silently.
                problems.add(new Problem(keyLocation, child.display(), "field \"" + child.display()
                        + "\" is given twice (first at line " + earlier.key().line() + ", column " + earlier.key().column()
                        + "); remove one of them"));
            }
            object.set(name, value);
        }
        return object;
    }

    private ArrayNode readArray(FieldPath path) {
        ArrayNode array = NODES.arrayNode();
        int i = 0;
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            if (t == null) {
                throw new IllegalStateException("input ended inside a list"); // the parser reports this first
            }
            array.add(readValue(path.index(i++), null));
        }
        return array;
    }

    private static String describe(FieldPath path) {
        return path.display().isEmpty() ? "the document" : "\"" + path.display() + "\"";
    }
}
