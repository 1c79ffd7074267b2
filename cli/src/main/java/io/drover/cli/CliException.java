package io.drover.cli;

import java.util.List;

/**
 * A failure the user caused or can fix, with a message that says so; printed as {@code error: <message>} (one
 * such line per problem when there are several, as for a malformed manifest) with exit code 1 and no stack trace.
 */
public final class CliException extends RuntimeException {

    private final List<String> problems;

    public CliException(String message) {
        this(List.of(message));
    }

    public CliException(List<String> problems) {
        super(String.join("\n", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a CliException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
