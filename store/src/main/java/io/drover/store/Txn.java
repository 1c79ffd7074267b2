package io.drover.store;

import java.util.List;

/**
 * etcd's transaction: if every compare holds, the success ops run, else the failure ops, all atomically
 * at one new revision (a transaction that writes nothing does not advance the revision). Ops may not
 * write the same key twice.
 */
public record Txn(List<Compare> compares, List<Op> success, List<Op> failure) {

    public Txn {
        compares = List.copyOf(compares);
        success = List.copyOf(success);
        failure = List.copyOf(failure);
    }

    public static Txn when(Compare... compares) {
        return new Txn(List.of(compares), List.of(), List.of());
    }

    public Txn then(Op... ops) {
        return new Txn(compares, List.of(ops), failure);
    }

    public Txn orElse(Op... ops) {
        return new Txn(compares, success, List.of(ops));
    }
}
