package io.drover.store.sqlite;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keys are stored as UTF-8 BLOBs so that SQLite orders them bytewise, as etcd does, and a prefix becomes a
 * half-open range {@code [prefix, prefixEnd)} that uses the primary-key index.
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

    /**
     * The smallest byte string greater than every string starting with {@code prefix}, or null when there is
     * none (an empty prefix, or one of only 0xFF bytes): then the range is open-ended.
     */
    static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return null;
    }
}
