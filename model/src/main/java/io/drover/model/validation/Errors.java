package io.drover.model.validation;

import java.util.ArrayList;
import java.util.List;

/** Collects the field errors of one resource; every rule adds to it, so the user sees all at once. */
final class Errors {

    private final List<FieldError> list = new ArrayList<>();

    void add(String field, String message) {
        list.add(new FieldError(field, message));
    }

    /** Adds "'text' problem" when a naming rule returned a problem; does nothing for null. */
    void addIfProblem(String field, String text, String problem) {
        if (problem != null) {
            add(field, quote(text) + " " + problem);
        }
    }

    List<FieldError> toList() {
        return List.copyOf(list);
    }

    static String quote(String text) {
        return "'" + text + "'";
    }

    /** {@code metadata.labels["app"]}: map keys are bracketed, as they may hold dots and slashes. */
    static String key(String parent, String key) {
        return parent + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }

    static String index(String parent, int i) {
        return parent + "[" + i + "]";
    }
}
