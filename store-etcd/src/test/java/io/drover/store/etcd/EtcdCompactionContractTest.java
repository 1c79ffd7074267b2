package io.drover.store.etcd;

import io.drover.store.KeyValueStore;
import io.drover.store.contract.CompactionContractTest;
import org.junit.jupiter.api.extension.RegisterExtension;

class EtcdCompactionContractTest extends CompactionContractTest {
    @RegisterExtension
    static final EtcdForTests etcd = new EtcdForTests();

    @Override
    protected KeyValueStore newStore() {
        return etcd.newStore();
    }
}
