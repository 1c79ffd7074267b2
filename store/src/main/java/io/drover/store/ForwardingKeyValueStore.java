package io.drover.store;

import java.time.Duration;
import java.util.Optional;

/**
 * A store that hands every call to another, for decorators that change one or two calls (a store whose writes are
 * fenced by a leader's term, one that records the leases it grants): they override those and inherit the rest.
 */
public abstract class ForwardingKeyValueStore implements KeyValueStore {

    private final KeyValueStore delegate;

    protected ForwardingKeyValueStore(KeyValueStore delegate) {
        this.delegate = delegate;
    }

    protected final KeyValueStore delegate() {
        return delegate;
    }

    @Override
    public Optional<KeyValue> get(String key) {
        return delegate.get(key);
    }

    @Override
    public RangeResult range(String prefix) {
        return delegate.range(prefix);
    }

    @Override
    public TxnResult txn(Txn txn) {
        return delegate.txn(txn);
    }

    @Override
    public long revision() {
        return delegate.revision();
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        return delegate.watch(prefix, fromRevision, listener);
    }

    @Override
    public void compact(long revision) {
        delegate.compact(revision);
    }

    @Override
    public long compactRevision() {
        return delegate.compactRevision();
    }

    @Override
    public long grantLease(Duration ttl) {
        return delegate.grantLease(ttl);
    }

    @Override
    public void keepAlive(long leaseId) {
        delegate.keepAlive(leaseId);
    }

    @Override
    public void revokeLease(long leaseId) {
        delegate.revokeLease(leaseId);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
