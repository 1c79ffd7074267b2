package io.drover.api;

import java.util.List;

/**
 * A request the registry refuses, with everything the REST layer and the CLI need to tell the user: an HTTP
 * status, a machine-readable reason (Kubernetes' vocabulary) and a message a person can act on.
 */
public class ApiException extends RuntimeException {

    public enum Reason {
        BAD_REQUEST("BadRequest", 400),
        INVALID("Invalid", 422),
        NOT_FOUND("NotFound", 404),
        ALREADY_EXISTS("AlreadyExists", 409),
        CONFLICT("Conflict", 409),
        GONE("Expired", 410),
        UNSUPPORTED_MEDIA_TYPE("UnsupportedMediaType", 415),
        METHOD_NOT_ALLOWED("MethodNotAllowed", 405),
        SERVICE_UNAVAILABLE("ServiceUnavailable", 503),
        INTERNAL_ERROR("InternalError", 500);

        private final String wireName;
        private final int status;

        Reason(String wireName, int status) {
            this.wireName = wireName;
            this.status = status;
        }

        public String wireName() {
            return wireName;
        }

        public int status() {
            return status;
        }

        public static Reason fromWire(String name) {
            for (Reason r : values()) {
                if (r.wireName.equals(name)) {
                    return r;
                }
            }
            return INTERNAL_ERROR;
        }
    }

    /** One broken rule: the field path ({@code spec.ports[1].port}) and what is wrong with it. */
    public record Cause(String field, String message) {}

    private final Reason reason;
    private final List<Cause> causes;

    public ApiException(Reason reason, String message) {
        this(reason, message, List.of());
    }

    public ApiException(Reason reason, String message, List<Cause> causes) {
        super(message);
        this.reason = reason;
        this.causes = List.copyOf(causes);
    }

    public Reason reason() {
        return reason;
    }

    public List<Cause> causes() {
        return causes;
    }

    /** How an object is named in messages: {@code pod "web-1" in namespace "shop"}, {@code network "blue"}. */
    public static String describe(io.drover.model.ResourceKind kind, String namespace, String name) {
        String object = kind.kind().toLowerCase(java.util.Locale.ROOT) + " \"" + name + "\"";
        return kind.namespaced() ? object + " in namespace \"" + namespace + "\"" : object;
    }

    public static ApiException notFound(io.drover.model.ResourceKind kind, String namespace, String name) {
        return notFound(describe(kind, namespace, name));
    }

    public static ApiException notFound(String what) {
        return new ApiException(Reason.NOT_FOUND, what + " not found");
    }

    public static ApiException badRequest(String message) {
        return new ApiException(Reason.BAD_REQUEST, message);
    }
}
