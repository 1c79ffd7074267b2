package io.drover.model.codec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A manifest that cannot be read: bad syntax, a document that is not an object, an unknown kind or field, a
 * value of the wrong type. The message has one line per problem, each starting with {@code file:line:column},
 * so that a terminal or editor can jump there; {@link #problems()} gives the same as data.
 */
public final class ManifestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * One thing wrong with a manifest.
     *
     * @param location  where; never null, but its line is 0 when the document came without positions
     * @param fieldPath the field concerned, as {@code spec.ports[1].port}; empty for the document as a whole
     * @param message   what is wrong and what to write instead, without the location
     */
    public record Problem(SourceLocation location, String fieldPath, String message) {

        public Problem {
            java.util.Objects.requireNonNull(location, "location");
            fieldPath = fieldPath == null ? "" : fieldPath;
        }

        @Override
        public String toString() {
            return location + ": " + message;
        }
    }

    private final transient List<Problem> problems;

    public ManifestException(List<Problem> problems) {
        super(format(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ManifestException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public ManifestException(Problem problem) {
        this(List.of(problem));
    }

    /** Every problem found, in the order of the input. */
    public List<Problem> problems() {
        return problems;
    }

    private static String format(List<Problem> problems) {
        return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
    }
}
