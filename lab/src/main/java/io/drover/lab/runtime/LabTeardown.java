package io.drover.lab.runtime;

import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.KernelException;
import io.drover.lab.dns.PodResolvConf;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Removes every trace of a lab: stops the processes it recorded, deletes every namespace with one of the lab's
 * names (those recorded, and those found under /run/netns, so that the leftovers of a killed run go too), and
 * removes the lab pods' resolver files ({@link PodResolvConf}), the lab's directory and state file. Idempotent: a second run finds nothing and does nothing.
 *
 * <p>A recorded process is signalled only while its PID still has the recorded start time: a PID the kernel has
 * since given to another program is left alone. A process the lab did not record but that still runs inside one of
 * its namespaces (a shell someone opened with {@code ip netns exec}, say) is not killed either, only reported: the
 * lab never kills what it did not start.
 *
 * <p>The lab's directory goes too, with the logs and whatever else the lab kept there (by default its server's
 * data); a data directory the user chose outside it is left alone. The state file goes last, so that a teardown
 * that is itself interrupted can simply be run again.
 */
public final class LabTeardown {

    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration STORE_GRACE = Duration.ofSeconds(1);

    private final Kernel kernel;
    private final LabStateStore store;
    private final Duration grace;
    private final Path resolvConfDir;

    /**
     * @param grace how long a process has to exit after SIGTERM before it gets SIGKILL
     */
    public LabTeardown(Kernel kernel, LabStateStore store, Duration grace) {
        this(kernel, store, grace, PodResolvConf.ETC_NETNS);
    }

    /** @param resolvConfDir where the lab pods' resolver files are ({@link PodResolvConf#ETC_NETNS}; elsewhere in tests) */
    LabTeardown(Kernel kernel, LabStateStore store, Duration grace, Path resolvConfDir) {
        this.kernel = kernel;
        this.store = store;
        this.grace = grace;
        this.resolvConfDir = resolvConfDir;
    }

    public LabTeardown(Kernel kernel, LabStateStore store) {
        this(kernel, store, Duration.ofSeconds(5));
    }

    /** Every lab that has a state file or a namespace on this machine, for {@code lab down --all} or listings. */
    public List<String> labsPresent() {
        Set<String> labs = new java.util.TreeSet<>(store.labs());
        for (String ns : kernel.namespaces()) {
            LabNames.parse(ns).ifPresent(p -> labs.add(p.lab()));
        }
        return List.copyOf(labs);
    }

    public TeardownReport tearDown(String lab) {
        LabNames names = LabNames.of(lab);
        Optional<LabState> state = store.load(lab);

        List<TeardownReport.Stopped> stopped = new ArrayList<>();
        List<LabState.ProcessRecord> alreadyGone = new ArrayList<>();
        // In tiers: agents and pods' commands first, then the servers (which, stopping gracefully, still talk to
        // their store), then the store's own processes (the etcd members and the relay to them).
        List<LabState.ProcessRecord> recorded = state.map(LabState::processes).orElse(List.of());
        for (int tier = 0; tier <= 2; tier++) {
            List<LabState.ProcessRecord> signalled = new ArrayList<>();
            for (LabState.ProcessRecord p : recorded) {
                if (tier(p.role()) != tier) {
                    continue;
                }
                if (signal(p.identity(), false)) {
                    signalled.add(p);
                } else {
                    alreadyGone.add(p);
                }
            }
            // The etcd members go together and their data goes with the lab: a leader stopping while its followers
            // stop too would wait for a leadership transfer that cannot happen, so they get less time.
            awaitExit(signalled, tier == 2 ? min(grace, STORE_GRACE) : grace);
            for (LabState.ProcessRecord p : signalled) {
                boolean killed = p.identity().isRunning() && signal(p.identity(), true);
                stopped.add(new TeardownReport.Stopped(p.role(), p.pid(), killed));
            }
            awaitExit(signalled, Duration.ofSeconds(2));
        }

        Set<String> namespaces = new LinkedHashSet<>();
        state.ifPresent(s -> s.namespaces().stream().filter(names::owns).forEach(namespaces::add));
        kernel.namespaces().stream().filter(names::owns).sorted().forEach(namespaces::add);

        List<TeardownReport.Stray> strays = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        for (String ns : namespaces) {
            for (long pid : NamespaceMembers.pidsIn(ns)) {
                strays.add(new TeardownReport.Stray(pid, ns, NamespaceMembers.commandLine(pid)));
            }
            try {
                kernel.deleteNamespace(ns);
                deleted.add(ns);
            } catch (KernelException e) {
                if (e.errno() != KernelException.ENOENT) {
                    throw new LabException("cannot delete namespace " + ns + " of lab " + lab + ": " + e.getMessage()
                            + "; run 'drover lab down --name " + lab + "' again after fixing that", e);
                }
            }
        }

        // The pods' resolver files (ip netns exec's /etc/netns/NS), also those of namespaces a killed run left.
        PodResolvConf resolvers = new PodResolvConf(resolvConfDir);
        for (String ns : resolvers.namespacesWithPrefix(LabPodNamespaces.podPrefix(names))) {
            resolvers.remove(ns);
        }
        resolvers.removeDirectoryIfEmpty();

        store.deleteLabDir(lab);
        boolean hadState = store.delete(lab);
        return new TeardownReport(lab, hadState, stopped,
                alreadyGone.stream().map(p -> new TeardownReport.Gone(p.role(), p.pid())).toList(), deleted, strays);
    }

    /** 0 for agents and pods' commands, 1 for the API servers, 2 for the etcd members and the relay. */
    static int tier(String role) {
        if (role.equals(LabLauncher.RELAY_ROLE) || role.startsWith(LabLauncher.ETCD_ROLE_PREFIX)) {
            return 2;
        }
        return LabLauncher.isServerRole(role) ? 1 : 0;
    }

    /** Sends SIGTERM (or SIGKILL) to the process if it is still the one recorded; false when it is not. */
    static boolean signal(ProcessIdentity identity, boolean force) {
        Optional<ProcessHandle> handle = ProcessHandle.of(identity.pid());
        // The handle is taken before the start-time check: the JDK's destroy re-checks the start time it saw when
        // the handle was made, so the signal cannot reach a process started after the check passed.
        if (handle.isEmpty() || !identity.isRunning()) {
            return false;
        }
        return force ? handle.get().destroyForcibly() : handle.get().destroy();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void awaitExit(List<LabState.ProcessRecord> processes, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (processes.stream().anyMatch(p -> p.identity().isRunning()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
