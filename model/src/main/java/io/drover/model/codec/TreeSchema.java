package io.drover.model.codec;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.drover.model.codec.ManifestException.Problem;
import io.drover.model.policy.PortReference;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Checks a document's tree against the shape of the record it becomes, before Jackson converts it. Jackson
 * stops at the first mistake and words it for Java programmers ("Unrecognized property ... not marked as
 * ignorable"); this reports every unknown field and wrong type, with the path, the known fields and what to
 * write, in the user's terms. Types it does not know are left to Jackson.
 */
final class TreeSchema {

    /** The JSON names of a record's fields and their Java types, in declaration order. */
    private static final ClassValue<Map<String, Type>> FIELDS = new ClassValue<>() {
        @Override
        protected Map<String, Type> computeValue(Class<?> type) {
            Map<String, Type> fields = new LinkedHashMap<>();
            for (RecordComponent c : type.getRecordComponents()) {
                var accessor = c.getAccessor();
                if (accessor.isAnnotationPresent(JsonIgnore.class)) {
                    continue;
                }
                JsonProperty property = accessor.getAnnotation(JsonProperty.class);
                String name = property != null && !property.value().isEmpty() ? property.value() : c.getName();
                fields.put(name, c.getGenericType());
                JsonAlias alias = accessor.getAnnotation(JsonAlias.class);
                if (alias != null) {
                    for (String a : alias.value()) {
                        fields.putIfAbsent(a, c.getGenericType());
                    }
                }
            }
            return Collections.unmodifiableMap(fields);
        }
    };

    private static final Set<String> YAML_1_1_BOOLEANS = Set.of("yes", "no", "on", "off", "y", "n", "true", "false");

    private final String kindName;
    private final FieldLocations locations;
    private final List<Problem> problems;

    TreeSchema(String kindName, FieldLocations locations, List<Problem> problems) {
        this.kindName = kindName;
        this.locations = locations;
        this.problems = problems;
    }

    void checkRecord(Class<?> type, JsonNode node, FieldPath path) {
        Map<String, Type> fields = FIELDS.get(type);
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            String name = property.getKey();
            FieldPath child = path.member(name);
            Type fieldType = fields.get(name);
            if (fieldType == null) {
                problems.add(new Problem(locations.keyOrNearest(child.pointer()), child.display(),
                        unknownField(child.display(), name, fields.keySet())));
            } else if (!property.getValue().isNull()) {
                check(fieldType, property.getValue(), child);
            }
        }
    }

    private String unknownField(String display, String name, Set<String> known) {
        StringBuilder sb = new StringBuilder("unknown field \"").append(display).append("\" in ").append(kindName)
                .append("; known fields are: ").append(String.join(", ", known));
        Suggestions.closest(name, known).ifPresent(s -> sb.append("; did you mean \"").append(s).append("\"?"));
        return sb.toString();
    }

    private void check(Type type, JsonNode node, FieldPath path) {
        Class<?> raw = raw(type);
        if (raw == String.class) {
            if (!node.isString()) {
                String hint = node.isNumber() || node.isBoolean()
                        ? "; put it in quotes: \"" + node.asString() + "\""
                        : "";
                wrongType(path, node, "must be a string", hint);
            }
        } else if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
            boolean isLong = raw == Long.class || raw == long.class;
            if (!node.isIntegralNumber()) {
                String hint = node.isString() && node.asString().trim().matches("[-+]?\\d+")
                        ? "; remove the quotes: " + node.asString().trim()
                        : "";
                wrongType(path, node, "must be a whole number", hint);
            } else if (isLong ? !node.canConvertToLong() : !node.canConvertToInt()) {
                wrongType(path, node, node.asString().startsWith("-") ? "is too small" : "is too large", "");
            }
        } else if (raw == PortReference.class) {
            checkPortReference(node, path);
        } else if (raw == Boolean.class || raw == boolean.class) {
            if (!node.isBoolean()) {
                String hint = node.isString() && YAML_1_1_BOOLEANS.contains(node.asString().toLowerCase(java.util.Locale.ROOT))
                        ? "; write true or false, without quotes"
                        : "";
                wrongType(path, node, "must be true or false", hint);
            }
        } else if (List.class.isAssignableFrom(raw)) {
            if (!node.isArray()) {
                String hint = node.isValueNode() ? "; write [" + node.asString() + "] for a list of one" : "";
                wrongType(path, node, "must be a list", hint);
                return;
            }
            Type element = typeArgument(type, 0);
            for (int i = 0; i < node.size(); i++) {
                checkElement(element, node.get(i), path.index(i));
            }
        } else if (Map.class.isAssignableFrom(raw)) {
            if (!node.isObject()) {
                wrongType(path, node, "must be a mapping of keys to values, e.g. {app: web}", "");
                return;
            }
            Type value = typeArgument(type, 1);
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                checkElement(value, e.getValue(), path.key(e.getKey()));
            }
        } else if (raw.isRecord()) {
            if (!node.isObject()) {
                wrongType(path, node, "must be a mapping with the fields " + String.join(", ", FIELDS.get(raw).keySet()), "");
                return;
            }
            checkRecord(raw, node, path);
        }
    }

    /**
     * Kubernetes' IntOrString: a whole number or a name. Jackson would hand anything else to the factory and word
     * the failure for Java programmers, and would truncate 80.5 to 80 without a word.
     */
    private void checkPortReference(JsonNode node, FieldPath path) {
        if (node.isString()) {
            return;
        }
        if (!node.isIntegralNumber()) {
            String hint = node.isNumber() ? "; a port is a whole number, e.g. 80" : "; write a port number (80) or the name of a pod's port (http)";
            wrongType(path, node, "must be a port number or the name of a port", hint);
        } else if (!node.canConvertToInt()) {
            wrongType(path, node, node.asString().startsWith("-") ? "is too small" : "is too large", "; ports are 1-65535");
        }
    }

    /** A list item or map value: null is a mistake there (an empty "- " item, or "key:" with nothing after it). */
    private void checkElement(Type type, JsonNode node, FieldPath path) {
        if (node == null || node.isNull()) {
            String fix = raw(type) == String.class && path.display().endsWith("\"]")
                    ? "write \"\" for an empty value"
                    : "remove the empty item or give it a value";
            problems.add(new Problem(locations.valueOrNearest(path.pointer()), path.display(),
                    path.display() + " is empty; " + fix));
            return;
        }
        check(type, node, path);
    }

    private void wrongType(FieldPath path, JsonNode node, String expectation, String hint) {
        problems.add(new Problem(locations.valueOrNearest(path.pointer()), path.display(),
                path.display() + " " + expectation + " (got " + describe(node) + ")" + hint));
    }

    static String describe(JsonNode node) {
        if (node.isString()) {
            return "the string \"" + node.asString() + "\"";
        }
        if (node.isNumber()) {
            return "the number " + node.asString();
        }
        if (node.isBoolean()) {
            return node.asString();
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        return "nothing";
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    private static Type typeArgument(Type type, int index) {
        return type instanceof ParameterizedType p && p.getActualTypeArguments().length > index
                ? p.getActualTypeArguments()[index]
                : Object.class;
    }
}
