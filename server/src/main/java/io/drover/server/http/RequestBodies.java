package io.drover.server.http;

import io.drover.api.ApiException;
import io.drover.api.ApiException.Reason;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.codec.ManifestException;
import io.drover.model.codec.ManifestReader;
import io.drover.model.codec.ResourceCodec;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Reads request bodies (JSON, or YAML with Content-Type application/yaml) into resources of the path's kind. */
final class RequestBodies {

    private static final int MAX_BODY = 3 * 1024 * 1024;

    Resource read(ServerRequest req, ResourceKind expected) {
        byte[] body = bytes(req);
        Resource resource;
        try {
            resource = isYaml(req)
                    ? ManifestReader.readSingle("request body", new String(body, StandardCharsets.UTF_8)).resource()
                    // JSON, the common case, skips the YAML scanner: Jackson's own errors carry line and column.
                    : ManifestReader.fromTree("request body", parseJson(body)).resource();
        } catch (ManifestException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (resource.resourceKind() != expected) {
            throw ApiException.badRequest("the body is a " + resource.kind() + " but the path is for " + expected.plural());
        }
        return resource;
    }

    private static boolean isYaml(ServerRequest req) {
        return req.headers().contentType().map(t -> t.mediaType().text().contains("yaml")).orElse(false);
    }

    JsonNode readTree(ServerRequest req) {
        return parseJson(bytes(req));
    }

    private static JsonNode parseJson(byte[] body) {
        try {
            return ResourceCodec.json().readTree(body);
        } catch (JacksonException e) {
            // getOriginalMessage() leaves out where the problem is; a person needs the line and column.
            var at = e.getLocation();
            String where = at == null || at.getLineNr() <= 0 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw ApiException.badRequest("the request body is not valid JSON" + where + ": " + e.getOriginalMessage());
        }
    }

    private static byte[] bytes(ServerRequest req) {
        if (!req.content().hasEntity()) {
            throw ApiException.badRequest("the request has no body; send the object as JSON");
        }
        byte[] body = req.content().as(byte[].class);
        if (body.length > MAX_BODY) {
            throw new ApiException(Reason.BAD_REQUEST, "the request body is " + body.length + " bytes; the limit is " + MAX_BODY);
        }
        return body;
    }
}
