package io.drover.store.etcd;

import io.drover.store.KeyValueStore;
import io.drover.store.contract.WatchContractTest;
import org.junit.jupiter.api.extension.RegisterExtension;

class EtcdWatchContractTest extends WatchContractTest {
    @RegisterExtension
    static final EtcdForTests etcd = new EtcdForTests();

    @Override
    protected KeyValueStore newStore() {
        return etcd.newStore();
    }

    /** Watches that pause after 20 revisions, so the slow watcher's pause and resume from etcd's history run. */
    @Override
    protected KeyValueStore withSmallWatchQueue(KeyValueStore current) {
        current.close();
        return etcd.newStore(etcd.options().withNamespace(etcd.namespace()).withWatchQueueLimit(20));
    }
}
