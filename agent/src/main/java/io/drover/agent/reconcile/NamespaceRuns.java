package io.drover.agent.reconcile;

import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.NetNs;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a task's changes with as few visits to namespaces as possible. Every kernel call into a namespace is
 * handed to that namespace's thread and waited for, which costs more than most netlink requests themselves; a new
 * pod's interface is eight of them (veth, bridge port, hairpin, MAC, two links up, address, route). Consecutive
 * netlink changes in one namespace therefore go as one {@link Kernel#inNamespace} visit, inside which the kernel's
 * calls into that same namespace run directly.
 *
 * <p>Only netlink changes are grouped: nftables changes start processes or use their own sockets, and namespace
 * creation and deletion change which namespaces exist. Errors are exactly those of change-by-change application:
 * a run stops at its first failed change, and when the namespace cannot be entered at all the run is applied again
 * change by change, so that the error names the change (as "set eth0 up in ...: No such device" does).
 */
final class NamespaceRuns {

    /** What applying a run did: how many changes took effect, and the first that failed with its error. */
    record Outcome(int appliedCount, KernelChange failedChange, RuntimeException failure) {
        boolean failed() {
            return failure != null;
        }
    }

    private final Kernel kernel;

    NamespaceRuns(Kernel kernel) {
        this.kernel = kernel;
    }

    /** Splits changes into runs: consecutive netlink changes of one namespace together, every other change alone. */
    static List<List<KernelChange>> split(List<KernelChange> changes) {
        List<List<KernelChange>> runs = new ArrayList<>();
        List<KernelChange> current = new ArrayList<>();
        NetNs currentNs = null;
        for (KernelChange change : changes) {
            NetNs ns = netlinkNamespace(change);
            if (current.isEmpty() || ns == null || !ns.equals(currentNs)) {
                if (!current.isEmpty()) {
                    runs.add(current);
                }
                current = new ArrayList<>();
            }
            current.add(change);
            currentNs = ns;
        }
        if (!current.isEmpty()) {
            runs.add(current);
        }
        return runs;
    }

    /** Applies one run (from {@link #split}); never throws for a change's failure, it reports it. */
    Outcome apply(List<KernelChange> run) {
        if (run.size() == 1) {
            return applyEach(run);
        }
        // applyEach reports failures rather than throwing, so only a namespace that cannot be entered makes the
        // visit fail; then each change, applied again, says so in its own words.
        return NamespaceVisit.inside(kernel, netlinkNamespace(run.getFirst()), () -> applyEach(run));
    }

    private Outcome applyEach(List<KernelChange> run) {
        for (int i = 0; i < run.size(); i++) {
            KernelChange change = run.get(i);
            try {
                change.applyTo(kernel);
            } catch (KernelException e) {
                if (!change.alreadyDone(e)) {
                    return new Outcome(i, change, e);
                }
            } catch (RuntimeException e) {
                return new Outcome(i, change, e);
            }
        }
        return new Outcome(run.size(), null, null);
    }

    /** The namespace of a change made by netlink requests only; null for any other change. */
    static NetNs netlinkNamespace(KernelChange change) {
        return switch (change) {
            case KernelChange.CreateBridge c -> c.ns();
            case KernelChange.CreateVethPair c -> c.ns();
            case KernelChange.CreateVxlan c -> c.ns();
            case KernelChange.SetNeighbour c -> c.ns();
            case KernelChange.DeleteNeighbour c -> c.ns();
            case KernelChange.AddFdb c -> c.ns();
            case KernelChange.DeleteFdb c -> c.ns();
            case KernelChange.DeleteLink c -> c.ns();
            case KernelChange.SetUp c -> c.ns();
            case KernelChange.SetMac c -> c.ns();
            case KernelChange.SetMtu c -> c.ns();
            case KernelChange.SetMaster c -> c.ns();
            case KernelChange.SetHairpin c -> c.ns();
            case KernelChange.PinMac c -> c.ns();
            case KernelChange.AwaitRunning c -> c.ns();
            case KernelChange.AddAddress c -> c.ns();
            case KernelChange.DeleteAddress c -> c.ns();
            case KernelChange.AddRoute c -> c.ns();
            case KernelChange.DeleteRoute c -> c.ns();
            case KernelChange.CreateNamespace c -> null;
            case KernelChange.DeleteNamespace c -> null;
            case KernelChange.SetSysctl c -> null;
            case KernelChange.ApplyNftables c -> null;
        };
    }
}
