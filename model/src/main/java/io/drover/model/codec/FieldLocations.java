package io.drover.model.codec;

import java.util.Map;
import java.util.Optional;

/**
 * Where each field of one document was written. Filled while the YAML/JSON tokens are read, so it knows the
 * positions that a parsed tree has lost. Empty for a document that arrived as a tree.
 */
public final class FieldLocations {

    /** @param key where the field's name is written (null for list items and the root); value, its value */
    record Entry(SourceLocation key, SourceLocation value) {}

    private final String sourceName;
    private final Map<String, Entry> entries;
    private final String prefix;

    FieldLocations(String sourceName, Map<String, Entry> entries, String prefix) {
        this.sourceName = sourceName;
        this.entries = entries;
        this.prefix = prefix;
    }

    /** Locations of a document that came without them: every lookup is empty. */
    public static FieldLocations none(String sourceName) {
        return new FieldLocations(sourceName, Map.of(), "");
    }

    /** A view of one part of the document (an item of a List) in which paths start at that part. */
    FieldLocations under(String pointer) {
        return new FieldLocations(sourceName, entries, prefix + pointer);
    }

    /**
     * Where a field is written: for an object's field, where its name is (the line a user looks for); for a
     * list item, where the item is. {@code fieldPath} as {@code spec.ports[1].port} or
     * {@code metadata.labels["app"]}; the empty path is the document itself.
     */
    public Optional<SourceLocation> locate(String fieldPath) {
        return entry(FieldPath.pointerOf(fieldPath)).map(e -> e.key() != null ? e.key() : e.value());
    }

    /** Where a field's value is written (for a nested object: where its first field starts). */
    public Optional<SourceLocation> locateValue(String fieldPath) {
        return entry(FieldPath.pointerOf(fieldPath)).map(Entry::value);
    }

    /**
     * The location of the field, else of its closest written ancestor (a missing {@code metadata.name} points
     * at {@code metadata}), else the document's start; a location with line 0 when nothing is known.
     */
    public SourceLocation locateNearest(String fieldPath) {
        return keyOrNearest(FieldPath.pointerOf(fieldPath));
    }

    Optional<Entry> entry(String pointer) {
        return Optional.ofNullable(entries.get(prefix + pointer));
    }

    /** Where the name of the field at this pointer is written, else its value, else the nearest ancestor. */
    SourceLocation keyOrNearest(String pointer) {
        String p = pointer;
        while (p != null) {
            Optional<Entry> e = entry(p);
            if (e.isPresent()) {
                return e.get().key() != null ? e.get().key() : e.get().value();
            }
            p = FieldPath.parentPointer(p);
        }
        return SourceLocation.unknown(sourceName);
    }

    /** Where the value at this pointer is written, else the nearest ancestor. */
    SourceLocation valueOrNearest(String pointer) {
        return entry(pointer).map(Entry::value).orElseGet(() -> keyOrNearest(pointer));
    }
}
