package io.drover.store.etcd;

import io.drover.store.KeyValueStore;
import io.drover.store.StoreException;
import io.drover.store.etcd.testing.EtcdCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One single-member etcd per test class (register as a static {@code @RegisterExtension} field), and per test a
 * fresh key namespace, so the contract suites see an empty store in every test. After each test the leases its
 * stores granted are revoked, so none expires during a later test and moves the revision under it.
 */
final class EtcdForTests implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private EtcdCluster cluster;
    private String namespace;
    private final Set<Long> leases = ConcurrentHashMap.newKeySet();
    private final List<KeyValueStore> opened = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = EtcdCluster.start(1);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<KeyValueStore> stores;
        synchronized (opened) {
            stores = List.copyOf(opened);
            opened.clear();
        }
        stores.forEach(KeyValueStore::close);
        if (!leases.isEmpty()) {
            try (EtcdKeyValueStore admin = EtcdKeyValueStore.open(options())) {
                for (long lease : leases) {
                    try {
                        admin.revokeLease(lease);
                    } catch (StoreException e) {
                        // Expired or revoked by the test.
                    }
                }
            }
            leases.clear();
        }
        namespace = null;
    }

    EtcdCluster cluster() {
        return cluster;
    }

    /** Options for this class's etcd, without a namespace. */
    EtcdStoreOptions options() {
        return EtcdStoreOptions.of(cluster.clientUrls().stream().map(Object::toString).toList())
                .withRequestTimeout(Duration.ofSeconds(5));
    }

    /** This test's namespace: the same for every store opened during one test. */
    String namespace() {
        if (namespace == null) {
            namespace = "/test-" + NAMESPACES.incrementAndGet() + "/";
        }
        return namespace;
    }

    /** A store in this test's namespace; closed, and its leases revoked, after the test. */
    KeyValueStore newStore() {
        return newStore(options().withNamespace(namespace()));
    }

    KeyValueStore newStore(EtcdStoreOptions options) {
        KeyValueStore store = new LeaseRecording(EtcdKeyValueStore.open(options), leases);
        synchronized (opened) {
            opened.add(store);
        }
        return store;
    }

    /** Passes every call through, noting the leases granted. */
    private static final class LeaseRecording extends io.drover.store.ForwardingKeyValueStore {
        private final Set<Long> leases;

        LeaseRecording(KeyValueStore store, Set<Long> leases) {
            super(store);
            this.leases = leases;
        }

        @Override
        public long grantLease(Duration ttl) {
            long lease = super.grantLease(ttl);
            leases.add(lease);
            return lease;
        }
    }
}
