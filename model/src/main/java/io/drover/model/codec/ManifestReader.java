package io.drover.model.codec;

import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.codec.FieldLocations.Entry;
import io.drover.model.codec.ManifestException.Problem;
import io.drover.model.policy.NetworkPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLAnchorReplayingFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads manifests: YAML or JSON (JSON is YAML), several documents separated by {@code ---}, a top-level JSON
 * array, or a {@code kind: List} with {@code items}. Strict, as kubectl's strict decoding: an unknown field
 * or a value of the wrong type is an error, because a misspelt field silently ignored is a misconfigured
 * network. Every problem of every document is reported at once, each with file, line and column and what to
 * write instead.
 *
 * <p>Decoding only: the field rules (names, CIDRs, ports) are {@code io.drover.model.validation.Validators};
 * {@link Manifest#locateNearest} turns their field paths into lines.
 */
public final class ManifestReader {

    /** Anchors and aliases are replayed (as kubectl does), with the parser's limit against alias bombs. */
    private static final YAMLMapper YAML = new YAMLMapper(new YAMLAnchorReplayingFactory());

    private static final Set<String> LIST_FIELDS = Set.of("apiVersion", "kind", "metadata", "items");
    private static final String LIST_KIND = "List";
    /** kubectl writes lists as v1; a list in the version of any kind it holds is accepted too. */
    private static final Set<String> LIST_API_VERSIONS = Stream.concat(Stream.of("v1"),
            Arrays.stream(ResourceKind.values()).map(ResourceKind::apiVersion)).collect(Collectors.toUnmodifiableSet());
    private static final Comparator<Problem> IN_TEXT_ORDER = Comparator
            .comparingInt((Problem p) -> p.location().line())
            .thenComparingInt(p -> p.location().column());

    /** Where a resource sits, which changes how problems with its shape are worded. */
    private enum Placement { DOCUMENT, ITEM, TREE }

    private ManifestReader() {}

    /** Reads every resource of a file; the file name is used in messages. */
    public static List<Manifest> read(Path file) {
        try {
            return read(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads every resource of a text, in order. Empty documents are skipped.
     *
     * @param sourceName names the text in messages: a file name, "-" or "request body"
     * @throws ManifestException naming every problem found, each with its line and column
     */
    public static List<Manifest> read(String sourceName, String text) {
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(text, "text");
        List<Problem> problems = new ArrayList<>();
        List<Manifest> manifests = new ArrayList<>();
        try (JsonParser parser = YAML.createParser(text)) {
            int documentIndex = 0;
            while (parser.nextToken() != null) {
                documentIndex++;
                int firstProblem = problems.size();
                Map<String, Entry> entries = new HashMap<>();
                JsonNode root = new LocatingTreeReader(parser, sourceName, entries, problems).read();
                readDocument(sourceName, documentIndex, root, new FieldLocations(sourceName, entries, ""), manifests, problems);
                // Found in two passes (while reading, then while decoding); reported in the order of the text.
                problems.subList(firstProblem, problems.size()).sort(IN_TEXT_ORDER);
            }
        } catch (JacksonException e) {
            problems.add(syntaxProblem(sourceName, e));
        }
        if (!problems.isEmpty()) {
            throw new ManifestException(problems);
        }
        return List.copyOf(manifests);
    }

    /**
     * Reads a text that must hold exactly one resource, such as the body of a create request.
     *
     * @throws ManifestException if it holds none, several, or one with problems
     */
    public static Manifest readSingle(String sourceName, String text) {
        List<Manifest> manifests = read(sourceName, text);
        if (manifests.size() != 1) {
            SourceLocation where = manifests.isEmpty()
                    ? SourceLocation.unknown(sourceName)
                    : manifests.get(1).start();
            throw new ManifestException(new Problem(where, "", manifests.isEmpty()
                    ? "no resource found; expected one object with apiVersion, kind, metadata and spec"
                    : "expected one resource but found " + manifests.size() + "; send them one at a time"));
        }
        return manifests.getFirst();
    }

    /**
     * Decodes one already-parsed resource, such as a JSON request body, with the same checks and messages as
     * {@link #read}. Positions are unknown, so problems name the source and the field only.
     *
     * @throws ManifestException naming every problem found
     */
    public static Manifest fromTree(String sourceName, JsonNode tree) {
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(tree, "tree");
        List<Problem> problems = new ArrayList<>();
        FieldLocations none = FieldLocations.none(sourceName);
        Optional<Resource> resource = decode(tree, none, Placement.TREE, problems);
        if (!problems.isEmpty() || resource.isEmpty()) {
            throw new ManifestException(problems);
        }
        return new Manifest(resource.get(), sourceName, 1, 0, tree, none);
    }

    private static void readDocument(String sourceName, int documentIndex, JsonNode root, FieldLocations locations,
            List<Manifest> manifests, List<Problem> problems) {
        if (root.isNull()) {
            return; // an empty document: "---" twice, or a trailing "---"
        }
        if (root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                addIfDecoded(sourceName, documentIndex, root.get(i), locations.under("/" + i), Placement.ITEM, manifests, problems);
            }
        } else if (root.isObject() && LIST_KIND.equals(root.path("kind").asString(null))) {
            readList(sourceName, documentIndex, root, locations, manifests, problems);
        } else {
            addIfDecoded(sourceName, documentIndex, root, locations, Placement.DOCUMENT, manifests, problems);
        }
    }

    /** {@code kind: List}, as kubectl prints several objects: its items are the resources. */
    private static void readList(String sourceName, int documentIndex, JsonNode list, FieldLocations locations,
            List<Manifest> manifests, List<Problem> problems) {
        for (String field : list.propertyNames()) {
            if (!LIST_FIELDS.contains(field)) {
                FieldPath path = FieldPath.ROOT.member(field);
                problems.add(new Problem(locations.keyOrNearest(path.pointer()), path.display(), "unknown field \""
                        + path.display() + "\" in List; known fields are: apiVersion, kind, metadata, items"));
            }
        }
        JsonNode apiVersion = list.get("apiVersion");
        if (apiVersion != null && !apiVersion.isNull()
                && !LIST_API_VERSIONS.contains(apiVersion.asString(""))) {
            problems.add(new Problem(locations.valueOrNearest("/apiVersion"), "apiVersion", "apiVersion \""
                    + apiVersion.asString() + "\" does not go with kind List; write \"apiVersion: v1\""));
        }
        JsonNode items = list.get("items");
        if (items == null) {
            problems.add(new Problem(locations.keyOrNearest(""), "items",
                    "kind List needs \"items\": a list of resources, one per \"- \" entry"));
            return;
        }
        if (items.isNull()) {
            return;
        }
        if (!items.isArray()) {
            problems.add(new Problem(locations.valueOrNearest("/items"), "items",
                    "items must be a list of resources (got " + TreeSchema.describe(items) + ")"));
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            addIfDecoded(sourceName, documentIndex, items.get(i), locations.under("/items/" + i), Placement.ITEM,
                    manifests, problems);
        }
    }

    private static void addIfDecoded(String sourceName, int documentIndex, JsonNode node, FieldLocations locations,
            Placement placement, List<Manifest> manifests, List<Problem> problems) {
        decode(node, locations, placement, problems).ifPresent(resource -> manifests.add(new Manifest(resource,
                sourceName, documentIndex, locations.locateNearest("").line(), node, locations)));
    }

    /** Checks one resource's shape and converts it; adds a problem for everything wrong. */
    private static Optional<Resource> decode(JsonNode node, FieldLocations locations, Placement placement,
            List<Problem> problems) {
        SourceLocation start = locations.locateNearest("");
        if (!node.isObject()) {
            problems.add(new Problem(start, "", notAnObject(node, placement)));
            return Optional.empty();
        }
        int before = problems.size();
        String kindName = requiredString(node, "kind", locations, problems,
                "missing kind; add \"kind: <kind>\" with one of: " + ResourceKind.knownKinds());
        // Each kind has its own apiVersion (drover.io/v1, networking.k8s.io/v1 for NetworkPolicy): name the right one.
        String apiVersion = requiredString(node, "apiVersion", locations, problems,
                "missing apiVersion; add " + knownKind(kindName)
                        .map(k -> "\"apiVersion: " + k.apiVersion() + "\"")
                        .orElse("\"apiVersion: " + ResourceKind.API_VERSION + "\" (\"apiVersion: "
                                + NetworkPolicy.API_VERSION + "\" for a NetworkPolicy)"));
        ResourceKind kind = null;
        if (LIST_KIND.equals(kindName)) {
            problems.add(new Problem(locations.valueOrNearest("/kind"), "kind", placement == Placement.TREE
                    ? "kind List is accepted only in files; send one resource at a time"
                    : "a List cannot hold another List; put its items in the outer list"));
        } else if (kindName != null) {
            kind = knownKind(kindName).orElse(null);
            if (kind == null) {
                problems.add(new Problem(locations.valueOrNearest("/kind"), "kind", unknownKind(kindName)));
            } else if (apiVersion != null && !apiVersion.equals(kind.apiVersion())) {
                problems.add(new Problem(locations.valueOrNearest("/apiVersion"), "apiVersion", "apiVersion \""
                        + apiVersion + "\" does not go with kind " + kind.kind() + "; write \"apiVersion: "
                        + kind.apiVersion() + "\""));
            }
        }
        if (kind != null) {
            new TreeSchema(kind.kind(), locations, problems).checkRecord(kind.type(), node, FieldPath.ROOT);
        }
        if (problems.size() > before || kind == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ResourceCodec.fromTree(node, kind));
        } catch (JacksonException e) {
            // TreeSchema should have caught it; if not, still point at the field and keep Jackson's words.
            String path = jacksonPath(e);
            problems.add(new Problem(locations.valueOrNearest(FieldPath.pointerOf(path)), path,
                    (path.isEmpty() ? "" : path + ": ") + firstLine(e.getOriginalMessage())));
            return Optional.empty();
        }
    }

    /** The kind named exactly (as the kind field spells it), if Drover serves it. */
    private static Optional<ResourceKind> knownKind(String kindName) {
        return Arrays.stream(ResourceKind.values()).filter(k -> k.kind().equals(kindName)).findFirst();
    }

    /** The value of a top-level string field; null (with a problem added) when it is missing or not a string. */
    private static String requiredString(JsonNode node, String field, FieldLocations locations, List<Problem> problems,
            String missingMessage) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || (value.isString() && value.asString().isBlank())) {
            problems.add(new Problem(locations.locateNearest(""), field, missingMessage));
            return null;
        }
        if (!value.isString()) {
            problems.add(new Problem(locations.valueOrNearest("/" + field), field,
                    field + " must be a string (got " + TreeSchema.describe(value) + ")"));
            return null;
        }
        return value.asString();
    }

    private static String unknownKind(String kindName) {
        List<String> known = Arrays.stream(ResourceKind.values()).map(ResourceKind::kind).toList();
        Optional<String> suggestion = ResourceKind.find(kindName).map(ResourceKind::kind)
                .or(() -> Suggestions.closest(kindName, known));
        return "unknown kind \"" + kindName + "\"; known kinds are: " + ResourceKind.knownKinds()
                + suggestion.map(s -> "; did you mean \"" + s + "\"?").orElse("");
    }

    private static String notAnObject(JsonNode node, Placement placement) {
        String what = TreeSchema.describe(node);
        return switch (placement) {
            case DOCUMENT -> "this document is " + what + ", not a mapping; a document is one resource with "
                    + "apiVersion, kind, metadata and spec (check the indentation and the ': ' after each field name)";
            case ITEM -> "this item is " + what + ", not a mapping; each item is one resource with apiVersion, kind, "
                    + "metadata and spec";
            case TREE -> "expected one resource (an object with apiVersion, kind, metadata and spec) but got " + what;
        };
    }

    private static Problem syntaxProblem(String sourceName, JacksonException e) {
        Throwable cause = e.getCause();
        if (cause instanceof MarkedYamlEngineException yaml) {
            Optional<Mark> problemMark = yaml.getProblemMark();
            Optional<Mark> contextMark = yaml.getContextMark();
            SourceLocation at = problemMark.or(() -> contextMark)
                    .map(m -> new SourceLocation(sourceName, m.getLine() + 1, m.getColumn() + 1))
                    .orElseGet(() -> location(sourceName, e.getLocation()));
            String problem = oneLine(yaml.getProblem() != null ? yaml.getProblem() : yaml.getContext());
            String context = yaml.getProblem() != null && yaml.getContext() != null && contextMark.isPresent()
                    ? " (" + oneLine(yaml.getContext()) + " that starts at line " + (contextMark.get().getLine() + 1)
                            + ", column " + (contextMark.get().getColumn() + 1) + ")"
                    : "";
            return new Problem(at, "", problem + context + "; " + syntaxHint(problem, context));
        }
        SourceLocation at = location(sourceName, e.getLocation());
        if (e instanceof StreamConstraintsException && String.valueOf(e.getOriginalMessage()).contains("replay")) {
            return new Problem(at, "", "aliases (*name) expand to too many values; write the values out instead");
        }
        String message = cause instanceof YamlEngineException engine ? engine.getMessage() : e.getOriginalMessage();
        message = oneLine(message);
        if (message.startsWith("invalid alias: ")) {
            String alias = message.substring("invalid alias: ".length());
            return new Problem(at, "", "alias *" + alias + " refers to no anchor; define \"&" + alias
                    + "\" on a value earlier in the same document, or write the value out");
        }
        return new Problem(at, "", message + "; check the syntax around this position");
    }

    private static String syntaxHint(String problem, String context) {
        if (problem.contains("mapping values are not allowed")) {
            return "quote a value that contains ': ', or fix the indentation of this line";
        }
        if (problem.contains("TAB")) {
            return "indent with spaces, not tabs";
        }
        if (problem.contains("could not find expected ':'")) {
            return "write ': ' between a field name and its value";
        }
        if (context.contains("quoted scalar")) {
            return "close the quote";
        }
        if (context.contains("flow sequence") || context.contains("flow mapping")) {
            return "close the bracket or brace, and separate items with commas";
        }
        if (problem.contains("expected <block end>")) {
            return "line up the items of one list or mapping at the same indentation";
        }
        return "check the indentation and quoting around this position";
    }

    private static SourceLocation location(String sourceName, TokenStreamLocation l) {
        return l == null || l.getLineNr() < 1
                ? SourceLocation.unknown(sourceName)
                : new SourceLocation(sourceName, l.getLineNr(), l.getColumnNr());
    }

    private static String jacksonPath(JacksonException e) {
        FieldPath path = FieldPath.ROOT;
        for (JacksonException.Reference ref : e.getPath()) {
            path = ref.getPropertyName() != null ? path.member(ref.getPropertyName()) : path.index(ref.getIndex());
        }
        return path.display();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "cannot be read";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\n\\s*", " ");
    }
}
