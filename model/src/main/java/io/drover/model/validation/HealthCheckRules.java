package io.drover.model.validation;

import io.drover.model.policy.PortReference;
import io.drover.model.service.HealthCheck;
import java.util.List;

/** Drover's health check of a service's endpoints: one kind, a port where it needs one, timings that make sense. */
final class HealthCheckRules {

    private static final int MAX_PORT = 65535;

    private HealthCheckRules() {}

    static void validate(String field, HealthCheck check, Errors errors) {
        List<String> kinds = check.kinds();
        if (kinds.isEmpty()) {
            errors.add(field, "checks nothing: give exactly one of http: {path, port}, tcp: {port} or "
                    + "script: {command: [...]}");
        } else if (kinds.size() > 1) {
            errors.add(field, "gives " + String.join(" and ", kinds) + "; a health check is one kind: keep one of them");
        }
        if (check.http() != null) {
            String path = check.http().path();
            if (path != null && !path.isEmpty() && !path.startsWith("/")) {
                errors.add(field + ".http.path", Errors.quote(path) + " must start with '/', e.g. /healthz");
            }
            validatePort(field + ".http.port", check.http().port(), errors);
        }
        if (check.tcp() != null) {
            validatePort(field + ".tcp.port", check.tcp().port(), errors);
        }
        if (check.script() != null) {
            validateCommand(field + ".script.command", check.script().command(), errors);
        }
        validateTimings(field, check, errors);
    }

    private static void validatePort(String field, PortReference port, Errors errors) {
        if (port == null) {
            errors.add(field, "is required: the pod's port to check, a number (8080) or the name of a pod's port (http)");
        } else if (port.isNamed()) {
            errors.addIfProblem(field, port.nameValue().orElseThrow(), Names.portNameProblem(port.nameValue().orElseThrow()));
        } else {
            int number = port.numberValue().orElseThrow();
            if (number < 1 || number > MAX_PORT) {
                errors.add(field, "must be between 1 and " + MAX_PORT + " (or the name of a pod's port); it is " + number);
            }
        }
    }

    private static void validateCommand(String field, List<String> command, Errors errors) {
        if (command == null || command.isEmpty()) {
            errors.add(field, "is required: the program and its arguments, run in the pod's network namespace, "
                    + "passing when it exits 0, e.g. [\"curl\", \"-fs\", \"http://localhost/healthz\"]");
            return;
        }
        for (int i = 0; i < command.size(); i++) {
            if (command.get(i) == null || command.get(i).isEmpty()) {
                errors.add(Errors.index(field, i), "is empty; remove it or write the argument");
            }
        }
    }

    private static void validateTimings(String field, HealthCheck check, Errors errors) {
        atLeastOne(field + ".intervalSeconds", check.intervalSeconds(), errors);
        atLeastOne(field + ".timeoutSeconds", check.timeoutSeconds(), errors);
        atLeastOne(field + ".successThreshold", check.successThreshold(), errors);
        atLeastOne(field + ".failureThreshold", check.failureThreshold(), errors);
        int interval = check.effectiveIntervalSeconds();
        int timeout = check.effectiveTimeoutSeconds();
        if (interval >= 1 && timeout >= 1 && timeout >= interval) {
            errors.add(field + ".timeoutSeconds", "must be shorter than intervalSeconds (" + interval + "): a check "
                    + "must end before the next one starts; it is " + timeout);
        }
    }

    private static void atLeastOne(String field, Integer value, Errors errors) {
        if (value != null && value < 1) {
            errors.add(field, "must be at least 1; it is " + value);
        }
    }
}
