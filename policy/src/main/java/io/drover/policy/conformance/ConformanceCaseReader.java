package io.drover.policy.conformance;

import io.drover.policy.NamespacedName;
import io.drover.policy.conformance.CaseAction.AddNamespaceLabels;
import io.drover.policy.conformance.CaseAction.AddPodLabels;
import io.drover.policy.conformance.CaseAction.CreatePolicy;
import io.drover.policy.conformance.CaseAction.DeleteAllPolicies;
import io.drover.policy.conformance.CaseAction.UpdatePolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a conformance case file (the format of {@code conformance/netpol/README.md}). Strict: an unknown field or
 * action is an error, since a case that silently skipped a misspelt action would test something else than it says.
 * Provenance fields ({@code source}, {@code note}, a probe's {@code upstream}) are read but not interpreted.
 */
public final class ConformanceCaseReader {

    private static final YAMLMapper YAML = new YAMLMapper();

    private static final Set<String> CASE_FIELDS = Set.of("id", "name", "source", "note", "steps");
    private static final Set<String> STEP_FIELDS = Set.of("step", "actions", "probes");
    private static final Set<String> PROBE_FIELDS = Set.of("protocol", "port", "upstream", "matrix");
    private static final Set<String> ACTIONS = Set.of("createPolicy", "updatePolicy", "deleteAllPolicies",
            "addNamespaceLabels", "addPodLabels");
    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");

    private final String sourceName;

    private ConformanceCaseReader(String sourceName) {
        this.sourceName = sourceName;
    }

    /** @throws ConformanceFormatException naming the file, the field and what is wrong */
    public static ConformanceCase read(Path file) {
        try {
            return read(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param sourceName names the text in messages, usually its file name
     * @throws ConformanceFormatException naming the source, the field and what is wrong
     */
    public static ConformanceCase read(String sourceName, String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JacksonException e) {
            throw new ConformanceFormatException(sourceName + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        return new ConformanceCaseReader(sourceName).readCase(root);
    }

    private ConformanceCase readCase(JsonNode root) {
        requireObject(root, "", CASE_FIELDS);
        JsonNode steps = requireList(root.get("steps"), "steps");
        List<CaseStep> result = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            result.add(readStep(steps.get(i), "steps[" + i + "]", i + 1));
        }
        return new ConformanceCase(sourceName, requireString(root.get("id"), "id"),
                optionalString(root.get("name"), "name"), optionalString(root.get("note"), "note"), result);
    }

    private CaseStep readStep(JsonNode node, String path, int position) {
        requireObject(node, path, STEP_FIELDS);
        int number = node.get("step") == null ? position : requireInt(node.get("step"), path + ".step");
        List<CaseAction> actions = new ArrayList<>();
        JsonNode actionNodes = node.get("actions");
        if (actionNodes != null && !actionNodes.isNull()) {
            requireList(actionNodes, path + ".actions");
            for (int i = 0; i < actionNodes.size(); i++) {
                actions.add(readAction(actionNodes.get(i), path + ".actions[" + i + "]"));
            }
        }
        JsonNode probeNodes = requireList(node.get("probes"), path + ".probes");
        List<Probe> probes = new ArrayList<>();
        for (int i = 0; i < probeNodes.size(); i++) {
            probes.add(readProbe(probeNodes.get(i), path + ".probes[" + i + "]"));
        }
        return new CaseStep(number, actions, probes);
    }

    private CaseAction readAction(JsonNode node, String path) {
        requireObject(node, path, ACTIONS);
        if (node.size() != 1) {
            throw problem(path, "an action has exactly one of " + sorted(ACTIONS) + "; write each as its own '- ' entry");
        }
        String kind = node.propertyNames().iterator().next();
        JsonNode value = node.get(kind);
        String valuePath = path + "." + kind;
        return switch (kind) {
            case "createPolicy" -> new CreatePolicy(template(value, valuePath));
            case "updatePolicy" -> new UpdatePolicy(template(value, valuePath));
            case "deleteAllPolicies" -> {
                if (!value.isBoolean() || !value.booleanValue()) {
                    throw problem(valuePath, "write 'deleteAllPolicies: true'");
                }
                yield new DeleteAllPolicies();
            }
            case "addNamespaceLabels" -> {
                requireObject(value, valuePath, Set.of("namespace", "labels"));
                yield new AddNamespaceLabels(requireString(value.get("namespace"), valuePath + ".namespace"),
                        labels(value.get("labels"), valuePath + ".labels"));
            }
            case "addPodLabels" -> {
                requireObject(value, valuePath, Set.of("pod", "labels"));
                String pod = requireString(value.get("pod"), valuePath + ".pod");
                yield new AddPodLabels(parse(valuePath + ".pod", () -> NamespacedName.parse(pod)),
                        labels(value.get("labels"), valuePath + ".labels"));
            }
            default -> throw new IllegalStateException("unreachable: " + kind);
        };
    }

    private Probe readProbe(JsonNode node, String path) {
        requireObject(node, path, PROBE_FIELDS);
        String protocol = requireString(node.get("protocol"), path + ".protocol").toUpperCase(Locale.ROOT);
        if (!PROTOCOLS.contains(protocol)) {
            throw problem(path + ".protocol", "'" + protocol + "' is not a protocol; use TCP, UDP or SCTP");
        }
        int port = requireInt(node.get("port"), path + ".port");
        if (port < 1 || port > 65535) {
            throw problem(path + ".port", port + " is not a port; use 1-65535");
        }
        String matrix = requireString(node.get("matrix"), path + ".matrix");
        return new Probe(protocol, port, parse(path + ".matrix", () -> ReachabilityMatrix.parse(matrix)));
    }

    private PolicyTemplate template(JsonNode value, String path) {
        return new PolicyTemplate(sourceName + " " + path, requireString(value, path));
    }

    private Map<String, String> labels(JsonNode node, String path) {
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw problem(path, "give the labels as a map, e.g. {team: blue}");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (String key : node.propertyNames()) {
            JsonNode value = node.get(key);
            if (!value.isValueNode() || value.isNull()) {
                throw problem(path + "." + key, "a label value is a string");
            }
            labels.put(key, value.asString());
        }
        return labels;
    }

    private void requireObject(JsonNode node, String path, Set<String> knownFields) {
        String where = path.isEmpty() ? "the case" : path;
        if (node == null || !node.isObject()) {
            throw problem(where, "expected a map with fields among " + sorted(knownFields));
        }
        for (String field : node.propertyNames()) {
            if (!knownFields.contains(field)) {
                throw problem(path.isEmpty() ? field : path + "." + field,
                        "unknown field; known fields here are " + sorted(knownFields));
            }
        }
    }

    private JsonNode requireList(JsonNode node, String path) {
        if (node == null || !node.isArray()) {
            throw problem(path, "expected a list ('- ' entries)");
        }
        return node;
    }

    private String requireString(JsonNode node, String path) {
        if (node == null || node.isNull() || !node.isValueNode() || node.asString().isBlank()) {
            throw problem(path, "is required and must be text");
        }
        return node.asString();
    }

    private String optionalString(JsonNode node, String path) {
        return node == null || node.isNull() ? null : requireString(node, path);
    }

    private int requireInt(JsonNode node, String path) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) {
            throw problem(path, "is required and must be a whole number");
        }
        return node.intValue();
    }

    private <T> T parse(String path, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw problem(path, e.getMessage());
        }
    }

    private ConformanceFormatException problem(String path, String message) {
        return new ConformanceFormatException(sourceName + ": " + path + ": " + message);
    }

    private static String sorted(Set<String> names) {
        return String.join(", ", new TreeSet<>(names));
    }
}
