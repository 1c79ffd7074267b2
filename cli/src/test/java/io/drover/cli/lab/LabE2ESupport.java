package io.drover.cli.lab;

import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.cli.CliHarness;
import io.drover.lab.runtime.LabLauncher;
import io.drover.lab.runtime.LabStateStore;
import io.drover.lab.runtime.LabTeardown;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the CLI's end-to-end tests share: whether they can run here (root, with ip and nft), a lab name of their
 * own ({@code drvt-<pid>-<hex>}, as the lab module's tests name theirs, so a killed run's leftovers are recognisable),
 * a lab state directory of their own, and a teardown that runs whatever happened.
 */
public final class LabE2ESupport implements AutoCloseable {

    private final String lab;
    private final Path labDir;
    private final LinuxKernel kernel = new LinuxKernel();

    public LabE2ESupport(Path labDir) {
        this.lab = "drvt-" + ProcessHandle.current().pid() + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
        this.labDir = labDir;
    }

    public static boolean rootWithTools() {
        try {
            boolean root = ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
            return root && onPath("ip") && onPath("nft") && onPath("setsid");
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    public String lab() {
        return lab;
    }

    public LinuxKernel kernel() {
        return kernel;
    }

    public LabStateStore store() {
        return new LabStateStore(labDir);
    }

    /** The drover CLI, in-process, with this test's lab directory. */
    public CliHarness.Result drover(String... args) {
        return CliHarness.run(Map.of(LabLauncher.LAB_DIR_ENV, labDir.toString()), "", args);
    }

    /** The namespaces of this test's lab that exist now. */
    public List<String> namespaces() {
        return kernel.namespaces().stream().filter(n -> n.startsWith("drl-" + lab + "-")).toList();
    }

    /** Removes the lab whatever state it is in (idempotent), then closes the kernel's threads. */
    @Override
    public void close() {
        try {
            new LabTeardown(kernel, store(), Duration.ofSeconds(2)).tearDown(lab);
        } finally {
            kernel.close();
        }
    }
}
