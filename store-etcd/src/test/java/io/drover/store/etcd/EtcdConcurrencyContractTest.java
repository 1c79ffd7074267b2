package io.drover.store.etcd;

import io.drover.store.KeyValueStore;
import io.drover.store.contract.ConcurrencyContractTest;
import org.junit.jupiter.api.extension.RegisterExtension;

class EtcdConcurrencyContractTest extends ConcurrencyContractTest {
    @RegisterExtension
    static final EtcdForTests etcd = new EtcdForTests();

    @Override
    protected KeyValueStore newStore() {
        return etcd.newStore();
    }

    /** Every call is a round trip and every write a Raft commit: an eighth of the embedded store's load. */
    @Override
    protected int perThread(int embeddedCount) {
        return Math.max(1, embeddedCount / 8);
    }
}
