package io.drover.cni;

import java.nio.charset.StandardCharsets;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one CNI call answers, before it becomes bytes: a result (ADD), nothing (DEL, CHECK, STATUS, GC), the version
 * list (VERSION), the "about" text (no CNI_COMMAND), or an error. {@link #toResponse()} writes each as the reference
 * plugins do: results and errors indented on stdout, VERSION on one line, exit status 0 or 1.
 */
public sealed interface CniReply {

    CniWire.Response toResponse();

    /** ADD succeeded: the result, in the shape of the configuration's version. */
    record Added(CniResult result, CniVersion version) implements CniReply {
        @Override
        public CniWire.Response toResponse() {
            return new CniWire.Response(0, result.render(version));
        }
    }

    /** DEL, CHECK, STATUS or GC succeeded: no output. */
    record Done() implements CniReply {
        @Override
        public CniWire.Response toResponse() {
            return new CniWire.Response(0, "");
        }
    }

    /** VERSION: {@code {"cniVersion":"1.1.0","supportedVersions":[...]}} and a newline, as libcni encodes it. */
    record Versions() implements CniReply {
        public static String text() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("cniVersion", CniVersion.CURRENT.text());
            CniVersion.SUPPORTED.forEach(o.putArray("supportedVersions")::add);
            return GoJson.compact(o) + "\n";
        }

        @Override
        public CniWire.Response toResponse() {
            return new CniWire.Response(0, text());
        }
    }

    /** No CNI_COMMAND: what the plugin is, on stderr, exit 0 (as the reference plugins do). */
    record About(String text) implements CniReply {
        @Override
        public CniWire.Response toResponse() {
            return new CniWire.Response(0, new byte[0], text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The call failed: the specification's error object on stdout, exit status 1. */
    record Failure(CniError error, String cniVersion) implements CniReply {
        public ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("cniVersion", cniVersion);
            o.put("code", error.code());
            o.put("msg", error.msg());
            if (!error.details().isEmpty()) {
                o.put("details", error.details());
            }
            return o;
        }

        @Override
        public CniWire.Response toResponse() {
            return new CniWire.Response(1, GoJson.pretty(toJson()));
        }
    }
}
