package io.drover.server.http;

import io.drover.api.ApiException;
import io.drover.model.codec.ResourceCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Errors as Kubernetes' Status object: clients and kubectl-like tools can read code, reason and causes. */
final class ErrorBodies {

    private ErrorBodies() {}

    static byte[] status(ApiException e, ApiPath path) {
        return ResourceCodec.toJson(statusMap(e, path));
    }

    static Map<String, Object> statusMap(ApiException e, ApiPath path) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "Status");
        body.put("apiVersion", "v1");
        body.put("status", "Failure");
        body.put("code", e.reason().status());
        body.put("reason", e.reason().wireName());
        body.put("message", e.getMessage());
        Map<String, Object> details = new LinkedHashMap<>();
        if (path != null) {
            details.put("kind", path.kind().plural());
            if (path.name() != null) {
                details.put("name", path.name());
            }
        }
        List<Map<String, String>> causes = e.causes().stream()
                .map(c -> Map.of("field", c.field(), "message", c.message()))
                .toList();
        if (!causes.isEmpty()) {
            details.put("causes", causes);
        }
        if (!details.isEmpty()) {
            body.put("details", details);
        }
        return body;
    }
}
