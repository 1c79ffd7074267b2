package io.drover.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One key as etcd describes it.
 *
 * @param createRevision the store revision that created the key (0 for a key that does not exist)
 * @param modRevision    the store revision of the last write to the key
 * @param version        how many times the key was written since it was created (1 after creation)
 * @param lease          the lease the key is attached to, 0 for none
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version, long lease) {

    public String valueAsString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    // A record compares array components by identity; two reads of the same key must be equal.

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue other
                && key.equals(other.key)
                && Arrays.equals(value, other.value)
                && createRevision == other.createRevision
                && modRevision == other.modRevision
                && version == other.version
                && lease == other.lease;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, Arrays.hashCode(value), createRevision, modRevision, version, lease);
    }

    @Override
    public String toString() {
        return "KeyValue[key=" + key + ", value=" + valueAsString() + ", createRevision=" + createRevision
                + ", modRevision=" + modRevision + ", version=" + version + ", lease=" + lease + "]";
    }
}
