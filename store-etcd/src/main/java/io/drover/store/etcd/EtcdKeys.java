package io.drover.store.etcd;

import io.etcd.jetcd.ByteSequence;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Maps the contract's keys (strings) to etcd's (bytes, UTF-8 so etcd's bytewise order is the contract's) under
 * the store's namespace, and a prefix to the half-open range {@code [key, end)} etcd reads, watches and deletes.
 */
final class EtcdKeys {
    /** etcd's "no end" / "from the smallest key": a range end of one zero byte means every key from the start on. */
    private static final byte[] ZERO = {0};

    /** A key range: {@code end} is exclusive; {@code [0]} as end means "every key from {@code start} on". */
    record Range(ByteSequence start, ByteSequence end) {}

    private final byte[] namespace;

    EtcdKeys(String namespace) {
        this.namespace = namespace.getBytes(StandardCharsets.UTF_8);
    }

    ByteSequence key(String key) {
        return ByteSequence.from(concat(namespace, key.getBytes(StandardCharsets.UTF_8)));
    }

    /** The contract key of an etcd key read from this store's namespace. */
    String fromEtcd(ByteSequence etcdKey) {
        byte[] bytes = etcdKey.getBytes();
        return new String(bytes, namespace.length, bytes.length - namespace.length, StandardCharsets.UTF_8);
    }

    /** Every key starting with {@code prefix}, inside the namespace. */
    Range prefix(String prefix) {
        byte[] start = concat(namespace, prefix.getBytes(StandardCharsets.UTF_8));
        byte[] end = io.drover.store.KeyRanges.prefixEnd(start);
        // etcd refuses an empty key; "\0" is the smallest key there is, so [\0, end) is the same range.
        return new Range(ByteSequence.from(start.length == 0 ? ZERO : start), ByteSequence.from(end == null ? ZERO : end));
    }


    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
