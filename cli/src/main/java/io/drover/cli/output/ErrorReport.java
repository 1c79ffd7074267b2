package io.drover.cli.output;

import io.drover.api.client.ApiError;
import io.drover.model.codec.Manifest;
import java.util.ArrayList;
import java.util.List;

/**
 * How a refusal by the server is shown: {@code error: pod/web-1: <message>}, then one indented line per cause
 * naming the field, so that the user sees every field to fix at once.
 */
public final class ErrorReport {

    public static final String PREFIX = "error: ";

    private ErrorReport() {}

    /** @param subject the object concerned ({@code pod/web-1}), or null when the command names only one */
    public static List<String> lines(String subject, ApiError error) {
        return lines(subject, error, null);
    }

    /**
     * As {@link #lines(String, ApiError)}, with each cause led by where its field is written in the manifest
     * ({@code pod.yaml:9:20: spec.ports[1].port: ...}), so the user can go straight to the line to fix.
     */
    public static List<String> lines(String subject, ApiError error, Manifest source) {
        List<String> lines = new ArrayList<>();
        String where = source == null || !source.start().isKnown() ? "" : " (" + source.start() + ")";
        lines.add(PREFIX + (subject == null ? "" : subject + where + ": ") + summary(error));
        for (ApiError.Cause cause : error.causes()) {
            String location = source == null || cause.field().isEmpty() ? "" : locate(source, cause.field());
            lines.add("  " + location + cause(cause));
        }
        return lines;
    }

    private static String locate(Manifest source, String field) {
        var location = source.locateNearest(field);
        return location.isKnown() ? location + ": " : "";
    }

    /**
     * The message without the causes when it merely lists them after a summary (the server writes
     * {@code Pod "x" is invalid: spec.a: m1; spec.b: m2} for clients that show only the message); they follow on
     * their own lines, and saying everything twice would hide the point.
     */
    static String summary(ApiError error) {
        String message = error.getMessage();
        if (error.causes().isEmpty()) {
            return message;
        }
        int start = message.indexOf(cause(error.causes().getFirst()));
        if (start <= 0) {
            return message;
        }
        String listed = message.substring(start);
        if (!error.causes().stream().allMatch(c -> listed.contains(cause(c)))) {
            return message;
        }
        String head = message.substring(0, start).strip();
        head = head.endsWith(":") ? head.substring(0, head.length() - 1).strip() : head;
        return head.isEmpty() ? message : head;
    }

    private static String cause(ApiError.Cause cause) {
        return (cause.field().isEmpty() ? "" : cause.field() + ": ") + cause.message();
    }
}
