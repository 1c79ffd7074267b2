package io.drover.store.etcd;

import io.drover.store.Compare;
import io.drover.store.KeyValue;
import io.drover.store.Op;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** Translates the contract's transactions to jetcd's and etcd's answers back, one to one. */
final class EtcdTxns {
    private static final byte[] EMPTY = new byte[0];

    private final EtcdKeys keys;

    EtcdTxns(EtcdKeys keys) {
        this.keys = keys;
    }

    /** etcd's compare for every target but LEASE, which jetcd cannot express (see {@link #constant}). */
    Cmp cmp(Compare compare) {
        Cmp.Op op = switch (compare.result()) {
            case EQUAL -> Cmp.Op.EQUAL;
            case NOT_EQUAL -> Cmp.Op.NOT_EQUAL;
            case LESS -> Cmp.Op.LESS;
            case GREATER -> Cmp.Op.GREATER;
        };
        CmpTarget<?> target = switch (compare.target()) {
            case CREATE_REVISION -> CmpTarget.createRevision(compare.value());
            case MOD_REVISION -> CmpTarget.modRevision(compare.value());
            case VERSION -> CmpTarget.version(compare.value());
            case LEASE -> throw new IllegalArgumentException("jetcd has no LEASE compare: evaluate it with constant()");
        };
        return new Cmp(keys.key(compare.key()), op, target);
    }

    /** A compare on {@code key} that always holds ({@code true}) or never does: a version is never negative. */
    Cmp constant(String key, boolean holds) {
        return holds
                ? new Cmp(keys.key(key), Cmp.Op.GREATER, CmpTarget.version(-1))
                : new Cmp(keys.key(key), Cmp.Op.LESS, CmpTarget.version(0));
    }

    /** Pins a key's mod revision (0: absent), which also pins its lease: only a write or a delete changes that. */
    Cmp unchanged(String key, KeyValue current) {
        return new Cmp(keys.key(key), Cmp.Op.EQUAL, CmpTarget.modRevision(current == null ? 0 : current.modRevision()));
    }

    io.etcd.jetcd.op.Op[] ops(List<Op> ops) {
        return ops.stream().map(this::op).toArray(io.etcd.jetcd.op.Op[]::new);
    }

    private io.etcd.jetcd.op.Op op(Op op) {
        return switch (op) {
            case Op.Put put -> io.etcd.jetcd.op.Op.put(keys.key(put.key()), ByteSequence.from(put.value()),
                    PutOption.builder().withLeaseId(put.lease()).withPrevKV().build());
            case Op.Delete delete -> io.etcd.jetcd.op.Op.delete(keys.key(delete.key()),
                    DeleteOption.builder().withPrevKV(true).build());
            case Op.DeletePrefix deletePrefix -> {
                EtcdKeys.Range range = keys.prefix(deletePrefix.prefix());
                yield io.etcd.jetcd.op.Op.delete(range.start(), DeleteOption.builder().withRange(range.end()).build());
            }
            case Op.Get get -> io.etcd.jetcd.op.Op.get(keys.key(get.key()), GetOption.DEFAULT);
        };
    }

    /**
     * The contract's results of {@code ops}, which ran in {@code response} at {@code revision}: etcd answers a
     * put with the key's previous value only, so the new key-value is built the way etcd built it.
     */
    List<KeyValue> results(List<Op> ops, TxnResponse response, long revision) {
        Iterator<PutResponse> puts = response.getPutResponses().iterator();
        Iterator<DeleteResponse> deletes = response.getDeleteResponses().iterator();
        Iterator<GetResponse> gets = response.getGetResponses().iterator();
        List<KeyValue> results = new ArrayList<>(ops.size());
        for (Op op : ops) {
            results.add(switch (op) {
                case Op.Put put -> {
                    PutResponse r = puts.next();
                    KeyValue prev = r.hasPrevKv() ? keyValue(r.getPrevKv()) : null;
                    byte[] value = Arrays.copyOf(put.value(), put.value().length);
                    yield prev == null
                            ? new KeyValue(put.key(), value, revision, revision, 1, put.lease())
                            : new KeyValue(put.key(), value, prev.createRevision(), revision, prev.version() + 1,
                                    put.lease());
                }
                case Op.Delete delete -> {
                    List<io.etcd.jetcd.KeyValue> prev = deletes.next().getPrevKvs();
                    yield prev.isEmpty() ? null : keyValue(prev.getFirst());
                }
                case Op.DeletePrefix deletePrefix -> {
                    deletes.next();
                    yield null;
                }
                case Op.Get get -> {
                    List<io.etcd.jetcd.KeyValue> kvs = gets.next().getKvs();
                    yield kvs.isEmpty() ? null : keyValue(kvs.getFirst());
                }
            });
        }
        // Results may hold nulls (absent keys), which List.copyOf refuses.
        return Collections.unmodifiableList(results);
    }

    KeyValue keyValue(io.etcd.jetcd.KeyValue kv) {
        return new KeyValue(keys.fromEtcd(kv.getKey()), kv.getValue().getBytes(), kv.getCreateRevision(),
                kv.getModRevision(), kv.getVersion(), kv.getLease());
    }

    /** What etcd reports as the kv of a DELETE event: only the key and the deleting revision. */
    KeyValue deletedMarker(io.etcd.jetcd.KeyValue kv) {
        return new KeyValue(keys.fromEtcd(kv.getKey()), EMPTY, 0, kv.getModRevision(), 0, 0);
    }
}
