package io.drover.store.contract;

import io.drover.store.KeyValueStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the {@link KeyValueStore} contract suites: each test gets a store from {@link #newStore()} that
 * looks empty, and the store is closed after the test (a test may close it itself, or replace it; the
 * replacement is closed too).
 *
 * <p>A store need not start at revision 0 (etcd starts at 1, and a suite may share one etcd between its tests,
 * each in its own key namespace), so the suites state revisions relative to {@link #base}, the revision the
 * store had when the test began: {@code rev(1)} is the revision of the test's first write. Nothing else may
 * write to the store while a test runs: the suites check that revisions are contiguous.
 */
public abstract class StoreContractTest {
    /** How long the suites wait for anything asynchronous (watch deliveries, lease expiry). */
    protected static final Duration WAIT = Duration.ofSeconds(10);

    protected KeyValueStore store;
    /** The store's revision when the test began. */
    protected long base;

    /** A store whose keys are all absent, opened for one test. */
    protected abstract KeyValueStore newStore();

    @BeforeEach
    void openContractStore() {
        store = newStore();
        base = store.revision();
    }

    @AfterEach
    void closeContractStore() {
        if (store != null) {
            store.close();
        }
    }

    /** The revision of the test's {@code n}th revision-advancing write. */
    protected long rev(long n) {
        return base + n;
    }
}
