package io.drover.agent.health;

/**
 * What one attempt of a check found.
 *
 * @param output what it saw, in a line or a few: the HTTP status line, the connect error, the script's output
 */
public record Outcome(boolean passed, String output) {

    /** Outputs are capped at this many characters: they travel in the endpoints object to every agent. */
    public static final int MAX_OUTPUT = 1024;

    public Outcome {
        output = cap(output == null ? "" : output.strip());
    }

    public static Outcome pass(String output) {
        return new Outcome(true, output);
    }

    public static Outcome fail(String output) {
        return new Outcome(false, output);
    }

    static String cap(String text) {
        return text.length() <= MAX_OUTPUT ? text : text.substring(0, MAX_OUTPUT - 3) + "...";
    }
}
