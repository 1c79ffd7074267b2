package io.drover.cni;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * JSON the way the reference plugins (Go's encoding/json) read and print it, so that Drover's answers match theirs
 * byte for byte: the same syntax error messages, and the same layout ({@code json.MarshalIndent} with four spaces;
 * {@code json.Marshal} for VERSION).
 */
final class GoJson {

    /** Go's limit on nesting; deeper input is a syntax error there too. */
    private static final int MAX_DEPTH = 10_000;

    private GoJson() {}

    // ---- reading --------------------------------------------------------------------------------------------------

    /**
     * Checks {@code data} as Go's {@code json.Unmarshal} does before decoding anything.
     *
     * @return null when it is one well-formed JSON value (whitespace around it allowed), else Go's message, e.g.
     *     "unexpected end of JSON input" or "invalid character 'x' looking for beginning of value"
     */
    static String syntaxError(byte[] data) {
        return new Checker(data).check();
    }

    private static final class Checker {
        private static final String EOF = "unexpected end of JSON input";
        private final byte[] s;
        private final byte[] stack = new byte[MAX_DEPTH];
        private int depth;
        private int i;

        Checker(byte[] s) {
            this.s = s;
        }

        private boolean eof() {
            return i >= s.length;
        }

        private void skipSpace() {
            while (i < s.length && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) {
                i++;
            }
        }

        private String invalid(String context) {
            return "invalid character " + quoteChar(s[i]) + " " + context;
        }

        String check() {
            boolean expectValue = true; // else: a value has just ended
            while (true) {
                skipSpace();
                if (expectValue) {
                    if (eof()) {
                        return EOF;
                    }
                    byte c = s[i];
                    if (c == '{' || c == '[') {
                        if (depth == MAX_DEPTH) {
                            return "exceeded max depth";
                        }
                        stack[depth++] = c;
                        i++;
                        skipSpace();
                        if (eof()) {
                            return EOF;
                        }
                        byte close = c == '{' ? (byte) '}' : (byte) ']';
                        if (s[i] == close) {
                            i++;
                            depth--;
                            expectValue = false;
                        } else if (c == '{') {
                            String err = keyAt(); // the first key and its colon; its value comes next
                            if (err != null) {
                                return err;
                            }
                        }
                        continue;
                    }
                    String err = scalar();
                    if (err != null) {
                        return err;
                    }
                    expectValue = false;
                    continue;
                }
                if (depth == 0) {
                    return eof() ? null : invalid("after top-level value");
                }
                if (eof()) {
                    return EOF;
                }
                byte c = s[i];
                boolean inArray = stack[depth - 1] == '[';
                if (c == ',') {
                    i++;
                    expectValue = true;
                    if (!inArray) {
                        skipSpace();
                        if (eof()) {
                            return EOF;
                        }
                        String err = keyAt();
                        if (err != null) {
                            return err;
                        }
                    }
                } else if (c == (inArray ? ']' : '}')) {
                    i++;
                    depth--;
                } else {
                    return invalid(inArray ? "after array element" : "after object key:value pair");
                }
            }
        }

        /** A string, number or literal starting at the cursor. */
        private String scalar() {
            byte c = s[i];
            return switch (c) {
                case '"' -> string();
                case 't' -> literal("true");
                case 'f' -> literal("false");
                case 'n' -> literal("null");
                default -> c == '-' || (c >= '0' && c <= '9') ? number() : invalid("looking for beginning of value");
            };
        }

        private String keyAt() {
            if (s[i] != '"') {
                return invalid("looking for beginning of object key string");
            }
            String err = string();
            if (err != null) {
                return err;
            }
            skipSpace();
            if (eof()) {
                return EOF;
            }
            if (s[i] != ':') {
                return invalid("after object key");
            }
            i++;
            return null;
        }

        private String string() {
            i++; // the opening quote
            while (true) {
                if (eof()) {
                    return EOF;
                }
                byte c = s[i];
                if (c == '"') {
                    i++;
                    return null;
                }
                if (c == '\\') {
                    i++;
                    if (eof()) {
                        return EOF;
                    }
                    byte e = s[i];
                    if (e == 'u') {
                        i++;
                        for (int k = 0; k < 4; k++, i++) {
                            if (eof()) {
                                return EOF;
                            }
                            if (Character.digit(s[i], 16) < 0) {
                                return invalid("in \\u hexadecimal character escape");
                            }
                        }
                        continue;
                    }
                    if ("\"\\/bfnrt".indexOf(e) < 0) {
                        return invalid("in string escape code");
                    }
                    i++;
                    continue;
                }
                if ((c & 0xff) < 0x20) {
                    return invalid("in string literal");
                }
                i++;
            }
        }

        private String number() {
            if (s[i] == '-') {
                i++;
                if (eof()) {
                    return EOF;
                }
                if (!digit()) {
                    return invalid("in numeric literal");
                }
            }
            if (s[i] == '0') {
                i++;
            } else {
                while (!eof() && digit()) {
                    i++;
                }
            }
            if (!eof() && s[i] == '.') {
                i++;
                if (eof()) {
                    return EOF;
                }
                if (!digit()) {
                    return invalid("after decimal point in numeric literal");
                }
                while (!eof() && digit()) {
                    i++;
                }
            }
            if (!eof() && (s[i] == 'e' || s[i] == 'E')) {
                i++;
                if (!eof() && (s[i] == '+' || s[i] == '-')) {
                    i++;
                }
                if (eof()) {
                    return EOF;
                }
                if (!digit()) {
                    return invalid("in exponent of numeric literal");
                }
                while (!eof() && digit()) {
                    i++;
                }
            }
            return null;
        }

        private boolean digit() {
            return s[i] >= '0' && s[i] <= '9';
        }

        private String literal(String word) {
            i++; // the first letter, already matched
            for (int k = 1; k < word.length(); k++, i++) {
                if (eof()) {
                    return EOF;
                }
                if (s[i] != word.charAt(k)) {
                    return invalid("in literal " + word + " (expecting " + quoteChar((byte) word.charAt(k)) + ")");
                }
            }
            return null;
        }
    }

    /** Go's {@code quoteChar}: a byte in single quotes, escaped as strconv.Quote would. */
    static String quoteChar(byte b) {
        int c = b & 0xff;
        return switch (c) {
            case '\'' -> "'\\''";
            case '"' -> "'\"'";
            case 7 -> "'\\a'";
            case '\b' -> "'\\b'";
            case '\f' -> "'\\f'";
            case '\n' -> "'\\n'";
            case '\r' -> "'\\r'";
            case '\t' -> "'\\t'";
            case 11 -> "'\\v'";
            case '\\' -> "'\\\\'";
            default -> {
                if (c < 0x20 || c == 0x7f) {
                    yield String.format("'\\x%02x'", c);
                }
                if (c >= 0x80 && c < 0xa0) {
                    yield String.format("'\\u%04x'", c);
                }
                yield "'" + (char) c + "'";
            }
        };
    }

    // ---- writing --------------------------------------------------------------------------------------------------

    /** {@code json.MarshalIndent(v, "", "    ")}: what the reference plugins print for results and errors. */
    static String pretty(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out, 0, true);
        return out.toString();
    }

    /** {@code json.Marshal(v)}: one line, no spaces. */
    static String compact(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out, 0, false);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out, int level, boolean indent) {
        if (node.isObject()) {
            if (node.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                newline(out, level + 1, indent);
                quote(e.getKey(), out);
                out.append(indent ? ": " : ":");
                write(e.getValue(), out, level + 1, indent);
            }
            newline(out, level, indent);
            out.append('}');
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            for (int k = 0; k < node.size(); k++) {
                if (k > 0) {
                    out.append(',');
                }
                newline(out, level + 1, indent);
                write(node.get(k), out, level + 1, indent);
            }
            newline(out, level, indent);
            out.append(']');
        } else if (node.isString()) {
            quote(node.stringValue(), out);
        } else {
            out.append(node.toString()); // numbers, booleans, null: Jackson's text is Go's
        }
    }

    private static void newline(StringBuilder out, int level, boolean indent) {
        if (indent) {
            out.append('\n');
            out.append("    ".repeat(level));
        }
    }

    /** A JSON string as Go writes it: HTML-safe (<, >, & escaped) and with U+2028/U+2029 escaped. */
    static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder();
        quote(s, out);
        return out.toString();
    }
}
