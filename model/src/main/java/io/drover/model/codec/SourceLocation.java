package io.drover.model.codec;

import java.util.Objects;

/**
 * Where something was written: file (or other source, such as "request body"), 1-based line and column.
 * Line and column are 0 when unknown, e.g. for a document received as an already-parsed tree; then only the
 * source is printed.
 */
public record SourceLocation(String sourceName, int line, int column) {

    public SourceLocation {
        Objects.requireNonNull(sourceName, "sourceName");
    }

    public static SourceLocation unknown(String sourceName) {
        return new SourceLocation(sourceName, 0, 0);
    }

    public boolean isKnown() {
        return line > 0;
    }

    /** {@code deploy.yaml:12:7}, the form editors and terminals turn into a link; just the source when unknown. */
    @Override
    public String toString() {
        return isKnown() ? sourceName + ":" + line + ":" + column : sourceName;
    }
}
