package io.drover.agent.kernel.linux;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The frame of the end-to-end tests against the real kernel: skipped unless root with iproute2 installed; a fresh
 * {@link LinuxKernel} and a fresh set of {@code drvt-a<pid>-<random>-} namespaces per test, removed afterwards whatever
 * happened; the root namespace checked unchanged per class.
 */
@ExtendWith(RootNamespaceGuard.class)
abstract class KernelE2E {

    protected LinuxKernel kernel;
    protected TestNamespaces spaces;

    @BeforeAll
    static void requireRoot() {
        assumeTrue(Oracle.isRoot(), "needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN)");
        assumeTrue(Oracle.has("ip"), "needs iproute2 as the oracle");
    }

    @BeforeEach
    void openKernel() {
        kernel = new LinuxKernel();
        spaces = new TestNamespaces(kernel);
    }

    @AfterEach
    void cleanUp() {
        try {
            kernel.close(); // first: its threads hold the namespaces
        } finally {
            spaces.close();
        }
    }
}
