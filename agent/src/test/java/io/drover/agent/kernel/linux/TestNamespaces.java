package io.drover.agent.kernel.linux;

import io.drover.agent.kernel.NetNs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Namespaces of one test run, all named {@code drvt-a<pid>-<random>-...} ({@link io.drover.agent.kernel.TestRuns}) so
 * that runs never collide and what a killed run left behind is removed by the next. {@link #close} removes every namespace with the run's prefix, through `ip netns del` so
 * that cleaning up does not depend on the code under test working.
 */
final class TestNamespaces implements AutoCloseable {

    private final String prefix = io.drover.agent.kernel.TestRuns.prefix();
    private final LinuxKernel kernel;
    private final List<String> created = new ArrayList<>();

    TestNamespaces(LinuxKernel kernel) {
        this.kernel = kernel;
    }

    String prefix() {
        return prefix;
    }

    String name(String suffix) {
        return prefix + suffix;
    }

    /** Creates {@code <prefix><suffix>} with the kernel under test. */
    NetNs create(String suffix) {
        NetNs ns = kernel.createNamespace(name(suffix));
        created.add(name(suffix));
        return ns;
    }

    @Override
    public void close() {
        List<String> names = new ArrayList<>(created);
        try (var files = Files.list(Path.of("/run/netns"))) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix) && !names.contains(n)).forEach(names::add);
        } catch (java.io.IOException e) {
            // No /run/netns: nothing was created.
        }
        for (String name : names) {
            if (Files.exists(Path.of("/run/netns", name))) {
                Oracle.run("ip", "netns", "del", name);
            }
        }
        created.clear();
    }
}
