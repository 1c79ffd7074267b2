package io.drover.api.client;

import io.drover.model.codec.ResourceCodec;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A request the server refused, decoded from its {@code Status} body: the HTTP code, the machine-readable reason
 * ({@code NotFound}, {@code Conflict}, {@code Invalid}, ...), the message and the per-field causes, so that the
 * CLI can tell the user exactly which field to fix.
 */
public final class ApiError extends RuntimeException {

    /** One broken rule: the field path ({@code spec.ports[0].port}) and what is wrong with it. */
    public record Cause(String field, String message) {}

    private final int code;
    private final String reason;
    private final List<Cause> causes;

    public ApiError(int code, String reason, String message, List<Cause> causes) {
        super(message);
        this.code = code;
        this.reason = reason == null ? "" : reason;
        this.causes = List.copyOf(causes);
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public List<Cause> causes() {
        return causes;
    }

    public boolean isNotFound() {
        return code == 404;
    }

    /** A stale resourceVersion or a concurrent create: worth re-reading and trying again. */
    public boolean isConflict() {
        return code == 409;
    }

    /**
     * Decodes an error response. A body that is not a Status (a proxy's HTML page, an empty body) still gives an
     * error that names the HTTP code, so that nothing the server says is lost.
     */
    public static ApiError fromResponse(int code, String body) {
        String text = body == null ? "" : body.strip();
        JsonNode status = parseStatus(text);
        if (status == null) {
            String message = text.isEmpty() ? "the server answered HTTP " + code + " without a message" : text;
            return new ApiError(code, "", message, List.of());
        }
        return fromStatus(code, status);
    }

    /** Decodes a Status object, as found in an error body or in a watch ERROR event. */
    public static ApiError fromStatus(int fallbackCode, JsonNode status) {
        int code = status.path("code").asInt(fallbackCode);
        String reason = status.path("reason").asString("");
        String message = status.path("message").asString("");
        if (message.isEmpty()) {
            message = reason.isEmpty() ? "the server answered HTTP " + code : reason;
        }
        List<Cause> causes = new ArrayList<>();
        for (JsonNode cause : status.path("details").path("causes").values()) {
            causes.add(new Cause(cause.path("field").asString(""), cause.path("message").asString("")));
        }
        return new ApiError(code, reason, message, causes);
    }

    private static JsonNode parseStatus(String text) {
        if (!text.startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = ResourceCodec.json().readTree(text);
            return node.isObject() && "Status".equals(node.path("kind").asString("")) ? node : null;
        } catch (JacksonException e) {
            return null;
        }
    }
}
