package io.drover.cli.conformance;

import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.cli.CliHarness;
import io.drover.lab.runtime.LabLauncher;
import io.drover.lab.runtime.LabStateStore;
import io.drover.lab.runtime.LabTeardown;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the conformance runs' end-to-end tests share: the runs' labs are named {@code np-<pid>-<hex>} by the command
 * (this JVM's pid, since the CLI runs in-process), live in the test's own lab directory, and must be gone afterwards;
 * a safety net removes any that a failed test left behind.
 */
final class ConformanceE2E implements AutoCloseable {

    private final Path labDir;
    private final LinuxKernel kernel = new LinuxKernel();

    ConformanceE2E(Path labDir) {
        this.labDir = labDir;
    }

    CliHarness.Result drover(String... args) {
        return CliHarness.run(Map.of(LabLauncher.LAB_DIR_ENV, labDir.toString()), "", args);
    }

    LinuxKernel kernel() {
        return kernel;
    }

    /** The prefix of every namespace of the labs this JVM's runs start. */
    static String runNamespacePrefix() {
        return "drl-np-" + ProcessHandle.current().pid() + "-";
    }

    /** Namespaces of runs of this JVM that exist now. */
    List<String> runNamespaces() {
        return kernel.namespaces().stream().filter(n -> n.startsWith(runNamespacePrefix())).toList();
    }

    List<String> labsRecorded() {
        return new LabStateStore(labDir).labs();
    }

    static Path resource(String name) {
        try {
            return Path.of(ConformanceE2E.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes whatever a failed run left (labs of this JVM's runs only), then closes the kernel's threads. */
    @Override
    public void close() {
        try {
            LabTeardown teardown = new LabTeardown(kernel, new LabStateStore(labDir), Duration.ofSeconds(2));
            for (String lab : teardown.labsPresent()) {
                if (lab.startsWith("np-" + ProcessHandle.current().pid() + "-")) {
                    teardown.tearDown(lab);
                }
            }
        } finally {
            kernel.close();
        }
    }
}
