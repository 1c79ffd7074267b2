package io.drover.cli.output;

import io.drover.model.Resource;
import io.drover.model.codec.ResourceCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine-readable forms of {@code drover get}: YAML and JSON as the server stores the objects (so that the
 * output can be edited and applied again), and {@code kind/name} lines. The model's YAML writer quotes strings
 * that look like numbers ({@code resourceVersion: "15"}), which the strict manifest reader would otherwise refuse
 * as numbers: that keeps "get -o yaml | apply -f -" working.
 */
public final class ObjectPrinter {

    private ObjectPrinter() {}

    /** One object as the requested format; TABLE and WIDE are not handled here. */
    public static String object(Resource resource, OutputFormat format) {
        return switch (format) {
            case YAML -> withNewline(ResourceCodec.toYaml(resource));
            case JSON -> withNewline(ResourceCodec.toPrettyJson(resource));
            case NAME -> ResourceNames.ref(resource) + "\n";
            case TABLE, WIDE -> throw new IllegalArgumentException(format + " is a table format");
        };
    }

    /** Several objects: a {@code kind: List} for YAML and JSON (as kubectl), one line per object for NAME. */
    public static String list(List<? extends Resource> items, String resourceVersion, OutputFormat format) {
        return switch (format) {
            case YAML -> withNewline(ResourceCodec.toYaml(listObject(items, resourceVersion)));
            case JSON -> withNewline(ResourceCodec.toPrettyJson(listObject(items, resourceVersion)));
            case NAME -> String.join("", items.stream().map(r -> ResourceNames.ref(r) + "\n").toList());
            case TABLE, WIDE -> throw new IllegalArgumentException(format + " is a table format");
        };
    }

    private static Map<String, Object> listObject(List<? extends Resource> items, String resourceVersion) {
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("apiVersion", "v1");
        list.put("kind", "List");
        list.put("metadata", resourceVersion == null || resourceVersion.isEmpty()
                ? Map.of() : Map.of("resourceVersion", resourceVersion));
        list.put("items", items);
        return list;
    }

    private static String withNewline(String text) {
        return text.endsWith("\n") ? text : text + "\n";
    }
}
