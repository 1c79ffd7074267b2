package io.drover.store;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The checks etcd makes on a transaction request before running it, shared by every {@link KeyValueStore}
 * so that a malformed request is refused the same way ({@link IllegalArgumentException}, nothing run) whatever
 * the store. They run on the caller's thread, so a malformed request costs the store nothing.
 */
public final class TxnRules {
    private TxnRules() {}

    /** Refuses a malformed transaction with an {@link IllegalArgumentException} (or NPE for a null part). */
    public static void validate(Txn txn) {
        Objects.requireNonNull(txn, "txn");
        txn.compares().forEach(c -> {
            Objects.requireNonNull(c, "compare");
            requireKey(c.key());
            Objects.requireNonNull(c.target(), "compare target");
            Objects.requireNonNull(c.result(), "compare result");
        });
        validateOps(txn.success());
        validateOps(txn.failure());
    }

    /**
     * A key may be put once, and not also deleted: etcd rejects such a request ("duplicate key given in txn
     * request") because the outcome would depend on op order. Deleting one key twice is harmless.
     */
    private static void validateOps(List<Op> ops) {
        Set<String> puts = new HashSet<>();
        Set<String> deletes = new HashSet<>();
        Set<String> deletedPrefixes = new HashSet<>();
        for (Op op : ops) {
            switch (op) {
                case null -> throw new NullPointerException("op");
                case Op.Put p -> {
                    requireKey(p.key());
                    Objects.requireNonNull(p.value(), () -> "value of " + p.key());
                    if (p.lease() < 0) {
                        throw new IllegalArgumentException("lease id " + p.lease() + " of " + p.key() + " is negative");
                    }
                    if (!puts.add(p.key())) {
                        throw new IllegalArgumentException("txn puts " + p.key() + " twice");
                    }
                }
                case Op.Delete d -> deletes.add(requireKey(d.key()));
                case Op.DeletePrefix dp -> deletedPrefixes.add(Objects.requireNonNull(dp.prefix(), "prefix"));
                case Op.Get g -> requireKey(g.key());
            }
        }
        for (String key : puts) {
            if (deletes.contains(key) || deletedPrefixes.stream().anyMatch(key::startsWith)) {
                throw new IllegalArgumentException("txn both puts and deletes " + key);
            }
        }
    }

    /** Refuses a null or empty key; answers the key. */
    public static String requireKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("a key may not be empty");
        }
        return key;
    }
}
