package io.drover.store;

import java.util.Arrays;

/**
 * Prefix ranges over keys ordered bytewise (UTF-8), as etcd orders them: a prefix is the half-open range
 * {@code [prefix, prefixEnd(prefix))}. Both stores use this one definition, so that a prefix means the same keys in
 * each.
 */
public final class KeyRanges {

    private KeyRanges() {}

    /**
     * The smallest byte string greater than every string starting with {@code prefix}, or null when there is
     * none (an empty prefix, or one of only 0xFF bytes): then the range is open-ended.
     */
    public static byte[] prefixEnd(byte[] prefix) {
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
