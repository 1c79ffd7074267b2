package io.drover.agent.rules;

import java.nio.charset.StandardCharsets;

/**
 * Writes nft script text: indented blocks, quoted names and comments. It only formats; what the table holds is
 * decided elsewhere. Indentation is one tab per level, as {@code nft list} prints, so that a rendered script and a
 * listing read alike.
 */
final class NftWriter {

    /** nft refuses longer comments (NFTNL_UDATA_COMMENT_MAXLEN). */
    static final int MAX_COMMENT_BYTES = 128;

    private final StringBuilder out = new StringBuilder();
    private int depth;

    NftWriter line(String text) {
        out.append("\t".repeat(depth)).append(text).append('\n');
        return this;
    }

    /** Text already formatted (whole lines), appended as it is. */
    NftWriter raw(String text) {
        out.append(text);
        return this;
    }

    NftWriter blank() {
        out.append('\n');
        return this;
    }

    NftWriter open(String header) {
        line(header + " {");
        depth++;
        return this;
    }

    NftWriter close() {
        if (depth == 0) {
            throw new IllegalStateException("close() without open()");
        }
        depth--;
        return line("}");
    }

    @Override
    public String toString() {
        if (depth != 0) {
            throw new IllegalStateException(depth + " block(s) left open");
        }
        return out.toString();
    }

    /**
     * A double-quoted nft string. nft has no escape sequences inside quotes, so a name that holds a quote, a
     * backslash or a control character cannot be written at all: refuse it rather than write a broken script.
     */
    static String quote(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("'" + text + "' cannot be written in an nft script: it contains "
                        + (c == '"' ? "a double quote" : c == '\\' ? "a backslash" : "a control character"));
            }
        }
        return '"' + text + '"';
    }

    /**
     * Comment text safe to embed: characters that nft cannot quote, or that would make JSON listings ambiguous,
     * become '_', and the text is cut to nft's limit. Comments only explain; they never carry meaning, so
     * rewriting them is harmless, and doing it here keeps one pod's odd name from failing the whole transaction.
     */
    static String commentText(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char safe = (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? c : '_';
            int size = String.valueOf(safe).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > MAX_COMMENT_BYTES) {
                break;
            }
            sb.append(safe);
            bytes += size;
        }
        return sb.toString();
    }

    /** {@code comment "TEXT"}, with the text made safe. */
    static String comment(String text) {
        return "comment " + quote(commentText(text));
    }
}
