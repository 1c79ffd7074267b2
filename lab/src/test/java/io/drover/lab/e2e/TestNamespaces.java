package io.drover.lab.e2e;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.NetNs;
import io.drover.lab.runtime.LabStateStore;
import io.drover.lab.runtime.LabTeardown;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Throwaway network namespaces for one test: named {@code drvt-lab-<pid>-<random>-<role>} so that runs never
 * collide and the leftovers of a killed run can be recognised (their PID no longer runs) and removed by the next
 * run. Nothing here touches the namespace the tests run in: every interface is created inside a test namespace.
 *
 * <p>Labs made by tests are named {@code drvt-<pid>-<random>} for the same reason; {@link #sweepLeftovers} tears
 * down those of dead runs too.
 */
final class TestNamespaces implements AutoCloseable {

    private static final Pattern TEST_NAMESPACE = Pattern.compile("drvt-lab-(\\d+)-[0-9a-f]{4}-.*");
    private static final Pattern TEST_LAB = Pattern.compile("drvt-(\\d+)-[0-9a-f]{4}");

    private final Kernel kernel;
    private final String prefix;
    private final List<String> created = new ArrayList<>();

    TestNamespaces(Kernel kernel) {
        this.kernel = kernel;
        this.prefix = "drvt-lab-" + ProcessHandle.current().pid() + "-" + randomHex() + "-";
    }

    static boolean rootWithIp() {
        try {
            boolean root = ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
            return root && Files.isDirectory(Path.of("/proc/self/ns")) && onPath("ip") && onPath("nft");
        } catch (Exception e) {
            return false;
        }
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** A lab name unique to this run, recognisable as a test's. */
    static String labName() {
        return "drvt-" + ProcessHandle.current().pid() + "-" + randomHex();
    }

    private static String randomHex() {
        return String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }

    /** Removes the test namespaces and test labs of runs whose process is gone (killed before cleaning up). */
    static void sweepLeftovers(Kernel kernel, LabStateStore store) {
        for (String ns : kernel.namespaces()) {
            Matcher m = TEST_NAMESPACE.matcher(ns);
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                deleteQuietly(kernel, ns);
            }
        }
        LabTeardown teardown = new LabTeardown(kernel, store, Duration.ofSeconds(2));
        for (String lab : teardown.labsPresent()) {
            Matcher m = TEST_LAB.matcher(lab);
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                teardown.tearDown(lab);
            }
        }
    }

    String prefix() {
        return prefix;
    }

    /** Creates a namespace {@code <prefix><role>} with loopback up and IPv6 duplicate address detection off. */
    NetNs create(String role) {
        String name = prefix + role;
        NetNs ns = kernel.createNamespace(name);
        created.add(name);
        kernel.setUp(ns, "lo", true);
        // Without DAD, an IPv6 address is usable at once instead of after a second or two of "tentative".
        kernel.setSysctl(ns, "net.ipv6.conf.all.accept_dad", "0");
        kernel.setSysctl(ns, "net.ipv6.conf.default.accept_dad", "0");
        return ns;
    }

    /** Joins two namespaces with a veth pair, both ends up with the given addresses. */
    void link(NetNs a, String aName, List<Address> aAddresses, NetNs b, String bName, List<Address> bAddresses) {
        kernel.createVethPair(a, aName, "drover:test", b, bName, 1500);
        for (Address address : aAddresses) {
            kernel.addAddress(a, aName, address);
        }
        for (Address address : bAddresses) {
            kernel.addAddress(b, bName, address);
        }
        kernel.setUp(a, aName, true);
        kernel.setUp(b, bName, true);
    }

    /** Deletes every namespace of this run, also those not made through {@link #create}. */
    @Override
    public void close() {
        for (String ns : kernel.namespaces()) {
            if (ns.startsWith(prefix)) {
                deleteQuietly(kernel, ns);
            }
        }
    }

    private static void deleteQuietly(Kernel kernel, String ns) {
        try {
            kernel.deleteNamespace(ns);
        } catch (KernelException e) {
            if (e.errno() != KernelException.ENOENT) {
                throw e;
            }
        }
    }
}
