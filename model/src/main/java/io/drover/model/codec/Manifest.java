package io.drover.model.codec;

import io.drover.model.Resource;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One resource read from a manifest, with where it came from, so that later errors (validation, admission)
 * can point at the line the user wrote.
 *
 * @param resource      the typed resource
 * @param sourceName    the file name (or "request body", "-" for standard input ...) given to the reader
 * @param documentIndex 1-based position of its YAML document in the source ({@code ---} separates documents);
 *                      the items of one {@code kind: List} or JSON array share their document's index
 * @param line          the line where the resource starts; 0 when it came without positions
 * @param tree          the resource as written, before defaults; shared, so copy it before changing it
 * @param locations     where each field was written
 */
public record Manifest(Resource resource, String sourceName, int documentIndex, int line, JsonNode tree,
        FieldLocations locations) {

    public Manifest {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(tree, "tree");
        Objects.requireNonNull(locations, "locations");
    }

    /** Where a field is written, e.g. {@code locate("spec.ports[1].port")}; empty if it is not written. */
    public Optional<SourceLocation> locate(String fieldPath) {
        return locations.locate(fieldPath);
    }

    /**
     * Where to point for a problem with a field: the field, else its closest written ancestor (a missing
     * {@code metadata.name} points at {@code metadata}), else the start of the resource.
     */
    public SourceLocation locateNearest(String fieldPath) {
        return locations.locateNearest(fieldPath);
    }

    /**
     * A problem with one of this resource's fields, located as {@link #locateNearest}, e.g. to report a
     * validation error as {@code net.yaml:8:5: spec.subnets[1]: 10.20.0.0/16 overlaps ...}.
     */
    public ManifestException.Problem problem(String fieldPath, String message) {
        return new ManifestException.Problem(locateNearest(fieldPath), fieldPath,
                fieldPath.isEmpty() ? message : fieldPath + ": " + message);
    }

    /** Where the resource starts, e.g. {@code deploy.yaml:14:1}. */
    public SourceLocation start() {
        return locations.locateNearest("");
    }
}
