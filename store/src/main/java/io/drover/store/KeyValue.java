package io.drover.store;

import java.nio.charset.StandardCharsets;

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
}
