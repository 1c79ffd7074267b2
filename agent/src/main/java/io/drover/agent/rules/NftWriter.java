package io.drover.agent.rules;


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
        // Every character kept is printable ASCII, one byte: the limit in bytes is one in characters. Called for each
        // of a large table's elements, so text that needs nothing (nearly all) is returned as it is.
        int length = Math.min(text.length(), MAX_COMMENT_BYTES);
        boolean safe = length == text.length();
        for (int i = 0; i < length && safe; i++) {
            safe = printable(text.charAt(i));
        }
        if (safe) {
            return text;
        }
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            sb.append(printable(c) ? c : '_');
        }
        return sb.toString();
    }

    private static boolean printable(char c) {
        return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    }

    /** {@code comment "TEXT"}, with the text made safe. */
    static String comment(String text) {
        return "comment " + quote(commentText(text));
    }
}
