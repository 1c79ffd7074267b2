package io.drover.store;

/** An operation inside a {@link Txn}: the subset of etcd's request ops Drover needs. */
public sealed interface Op {

    /** Writes a key; attaches it to {@code lease} when not 0 (the key is deleted when the lease expires). */
    record Put(String key, byte[] value, long lease) implements Op {}

    /** Deletes one key; nothing happens when it is absent. */
    record Delete(String key) implements Op {}

    /** Deletes every key that starts with the prefix. */
    record DeletePrefix(String prefix) implements Op {}

    /** Reads one key inside the transaction. */
    record Get(String key) implements Op {}

    static Put put(String key, byte[] value) {
        return new Put(key, value, 0);
    }

    static Delete delete(String key) {
        return new Delete(key);
    }

    static Get get(String key) {
        return new Get(key);
    }
}
