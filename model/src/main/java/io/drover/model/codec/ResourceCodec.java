package io.drover.model.codec;

import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import java.util.Map;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Turns resources into JSON or YAML and back. Strict: an unknown field is an error, as kubectl's strict
 * decoding, because a misspelt field silently ignored is a misconfigured network.
 */
public final class ResourceCodec {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            // Strings that look like numbers ("15", "1.10") stay quoted, so what get -o yaml prints applies again.
            .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build();

    private ResourceCodec() {}

    public static ObjectMapper json() {
        return JSON;
    }

    public static ObjectMapper yaml() {
        return YAML;
    }

    public static byte[] toJson(Object value) {
        return JSON.writeValueAsBytes(value);
    }

    public static String toJsonString(Object value) {
        return JSON.writeValueAsString(value);
    }

    public static String toPrettyJson(Object value) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    }

    public static String toYaml(Object value) {
        return YAML.writeValueAsString(value);
    }

    public static <T> T fromJson(byte[] json, Class<T> type) {
        return JSON.readValue(json, type);
    }

    public static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }

    /** Reads a stored or received resource whose kind is known. */
    public static <T extends Resource> T fromJson(byte[] json, ResourceKind kind) {
        @SuppressWarnings("unchecked")
        T resource = (T) JSON.readValue(json, kind.type());
        return resource;
    }

    /** Converts a tree (already checked to be of this kind) into the typed resource. */
    public static <T extends Resource> T fromTree(JsonNode node, ResourceKind kind) {
        @SuppressWarnings("unchecked")
        T resource = (T) JSON.treeToValue(node, kind.type());
        return resource;
    }

    /**
     * RFC 7386 JSON merge patch: objects merge recursively, null deletes a field, anything else replaces.
     * Returns a new tree; the target is not changed.
     */
    public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }
}
