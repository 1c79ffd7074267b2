package io.drover.model.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.policy.PortReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Drover's {@code spec.healthCheck}, Consul's kinds: exactly one of {@code http} (a 2xx or 3xx answer passes),
 * {@code tcp} (a connection passes) or {@code script} (exit code 0 passes; run inside the pod's network namespace).
 * The agent of the endpoint's node runs it every {@code intervalSeconds}; an endpoint turns failing after
 * {@code failureThreshold} failures in a row and passing again after {@code successThreshold} passes in a row.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthCheck(HttpCheck http, TcpCheck tcp, ScriptCheck script, Integer intervalSeconds,
        Integer timeoutSeconds, Integer successThreshold, Integer failureThreshold) {

    public static final int DEFAULT_INTERVAL_SECONDS = 10;
    public static final int DEFAULT_TIMEOUT_SECONDS = 2;
    public static final int DEFAULT_SUCCESS_THRESHOLD = 1;
    public static final int DEFAULT_FAILURE_THRESHOLD = 3;

    /** @param path the request path, {@code /} when omitted */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HttpCheck(String path, PortReference port) {
        @JsonIgnore
        public String effectivePath() {
            return path == null || path.isEmpty() ? "/" : path;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TcpCheck(PortReference port) {}

    /** @param command the program and its arguments, run without a shell */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScriptCheck(List<String> command) {
        public ScriptCheck {
            command = command == null ? null : List.copyOf(command);
        }
    }

    public static HealthCheck http(String path, PortReference port) {
        return new HealthCheck(new HttpCheck(path, port), null, null, null, null, null, null);
    }

    public static HealthCheck tcp(PortReference port) {
        return new HealthCheck(null, new TcpCheck(port), null, null, null, null, null);
    }

    public static HealthCheck script(List<String> command) {
        return new HealthCheck(null, null, new ScriptCheck(command), null, null, null, null);
    }

    /** The kinds given: one when valid; the validation names them when there are several or none. */
    @JsonIgnore
    public List<String> kinds() {
        List<String> kinds = new ArrayList<>();
        if (http != null) {
            kinds.add("http");
        }
        if (tcp != null) {
            kinds.add("tcp");
        }
        if (script != null) {
            kinds.add("script");
        }
        return kinds;
    }

    /** The pod port the check connects to (http and tcp); null for a script. */
    @JsonIgnore
    public PortReference checkedPort() {
        return http != null ? http.port() : tcp != null ? tcp.port() : null;
    }

    @JsonIgnore
    public int effectiveIntervalSeconds() {
        return intervalSeconds == null ? DEFAULT_INTERVAL_SECONDS : intervalSeconds;
    }

    @JsonIgnore
    public int effectiveTimeoutSeconds() {
        return timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds;
    }

    @JsonIgnore
    public int effectiveSuccessThreshold() {
        return successThreshold == null ? DEFAULT_SUCCESS_THRESHOLD : successThreshold;
    }

    @JsonIgnore
    public int effectiveFailureThreshold() {
        return failureThreshold == null ? DEFAULT_FAILURE_THRESHOLD : failureThreshold;
    }
}
