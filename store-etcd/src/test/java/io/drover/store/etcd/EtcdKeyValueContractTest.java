package io.drover.store.etcd;

import io.drover.store.KeyValueStore;
import io.drover.store.contract.KeyValueContractTest;
import org.junit.jupiter.api.extension.RegisterExtension;

class EtcdKeyValueContractTest extends KeyValueContractTest {
    @RegisterExtension
    static final EtcdForTests etcd = new EtcdForTests();

    @Override
    protected KeyValueStore newStore() {
        return etcd.newStore();
    }
}
