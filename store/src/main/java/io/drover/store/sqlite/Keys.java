package io.drover.store.sqlite;

import java.nio.charset.StandardCharsets;

/**
 * Keys are stored as UTF-8 BLOBs so that SQLite orders them bytewise, as etcd does, and a prefix becomes a
 * half-open range ({@link io.drover.store.KeyRanges}) that uses the primary-key index.
 */
final class Keys {
    static final byte[] EMPTY = new byte[0];

    private Keys() {}

    static byte[] encode(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    static String decode(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }

}
