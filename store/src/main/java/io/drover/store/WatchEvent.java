package io.drover.store;

/**
 * A change of one key. For a DELETE, {@code kv} carries the key, the deleting revision as modRevision and an
 * empty value; {@code prevKv} is the value before the change (null for a creation).
 */
public record WatchEvent(Type type, KeyValue kv, KeyValue prevKv) {

    public enum Type { PUT, DELETE }
}
