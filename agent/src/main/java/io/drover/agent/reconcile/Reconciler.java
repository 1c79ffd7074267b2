package io.drover.agent.reconcile;

import io.drover.agent.desired.DesiredInterface;
import io.drover.agent.desired.DesiredNamespace;
import io.drover.agent.desired.DesiredNode;
import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.NftElementChange;
import io.drover.agent.rules.NodeRules;
import io.drover.agent.rules.ProgrammedTable;
import io.drover.agent.rules.ServiceRules;
import io.drover.agent.rules.FastPath;
import io.drover.agent.rules.SpoofGuard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the kernel match a {@link DesiredNode}: reads it ({@link KernelReader}), plans the difference
 * ({@link Planner}) and applies the plan task by task. Level-triggered: it keeps no memory of what it did except
 * which rules it last applied (so that a change of rules costs only its element changes) and which pod namespaces
 * it found right ({@link VerifiedNamespaces}, so that a sync reads only what changed), so a new reconciler over a kernel an earlier agent set up adopts what is right
 * without writing, repairs what drifted and removes what it made but no longer wants. A second sync with the same
 * desired state makes no write at all.
 *
 * <p>Not thread-safe: one sync at a time (the node agent has a single sync thread).
 */
public final class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final Kernel kernel;
    private final KernelReader reader;
    private final NamespaceRuns runs;
    private final VerifiedNamespaces verified = new VerifiedNamespaces();
    /** The rules last applied (or found in the kernel); null: unknown, look at the kernel. */
    private NodeRules appliedRules;
    private final ExemptDrain drain;

    public Reconciler(Kernel kernel) {
        this.kernel = kernel;
        this.reader = new KernelReader(kernel);
        this.runs = new NamespaceRuns(kernel);
        this.drain = new ExemptDrain(kernel, System::nanoTime);
    }

    /**
     * Whether former service endpoints are draining (kept off the fast path while conntrack translates connections
     * to them): then the agent syncs again after {@link #DRAIN_CHECK_INTERVAL} even when nothing changes, so that
     * they leave the exempt set soon after their last connection.
     */
    public boolean draining() {
        return !drain.isEmpty();
    }

    public static final java.time.Duration DRAIN_CHECK_INTERVAL = ExemptDrain.CHECK_INTERVAL;

    public SyncResult sync(DesiredNode desired) {
        long start = System.nanoTime();
        Observed observed;
        try {
            observed = reader.read(desired, verified);
        } catch (RuntimeException e) {
            return new SyncResult(List.of(), List.of(new SyncError("node namespace " + desired.nodeNamespace(), null,
                    "cannot read the kernel: " + e.getMessage())), desired.waiting(), since(start));
        }
        List<KernelChange> applied = new ArrayList<>();
        List<SyncError> errors = new ArrayList<>();
        Planner.Rules rules;
        try {
            rules = rules(desired, observed);
        } catch (RuntimeException e) {
            // The rules cannot be rendered (a name nft cannot quote): the rest of the node is still plumbed.
            rules = Planner.Rules.CURRENT;
            errors.add(new SyncError(Planner.RULES, null, "cannot render the rules: " + e.getMessage()));
        }
        Set<String> touched = execute(Planner.plan(desired, observed, rules), applied, errors);
        remember(desired, observed, touched);
        return new SyncResult(applied, errors, desired.waiting(), since(start));
    }

    /**
     * Forgets which rules were applied and which pod namespaces were found right, so that the next sync compares
     * everything with the kernel and repairs what someone changed behind the agent's back (a flushed table, an
     * address removed inside a pod). The agent calls this on its periodic resync.
     */
    public void forgetVerifiedState() {
        appliedRules = null;
        verified.forget();
        kernel.forgetTrackedLinks(); // the node's links, kept from notifications, are dumped afresh too
    }

    /** How many pod namespaces the next sync would not read again (for tests and diagnostics). */
    public int verifiedNamespaces() {
        return verified.size();
    }

    /**
     * Records each pod namespace whose tasks all found nothing to do as verified; one that was changed, failed or
     * waited is read again next time, so that what a change did is confirmed by the kernel itself.
     */
    private void remember(DesiredNode desired, Observed observed, Set<String> touched) {
        Map<NetNs, List<DesiredInterface>> interfaces = new LinkedHashMap<>();
        Map<NetNs, Boolean> clean = new HashMap<>();
        for (DesiredInterface i : desired.interfaces()) {
            interfaces.computeIfAbsent(i.netns(), n -> new ArrayList<>()).add(i);
            clean.merge(i.netns(), !touched.contains(Planner.interfaceObject(i)), Boolean::logicalAnd);
        }
        Set<NetNs> owned = new HashSet<>();
        for (DesiredNamespace n : desired.namespaces()) {
            owned.add(n.netns());
            clean.merge(n.netns(), !touched.contains(Planner.namespaceObject(n.name())), Boolean::logicalAnd);
        }
        verified.retainOnly(clean.keySet());
        clean.forEach((netns, untouched) -> {
            NamespaceView view = observed.pods().get(netns);
            if (untouched && view != null && view.exists()) {
                verified.verified(netns, interfaces.getOrDefault(netns, List.of()), owned.contains(netns),
                        observed.node().links(), view);
            } else {
                verified.unverified(netns);
            }
        });
    }

    /**
     * What programming the rules takes. Known rules: nothing when unchanged, else their element changes. Unknown
     * (the first sync, or after {@link #forgetAppliedRules}): whatever the table in the kernel needs, usually
     * nothing after a restart, so that rules are not rewritten when nothing changed.
     */
    private Planner.Rules rules(DesiredNode desired, Observed observed) {
        NodeRules wanted = desired.rules();
        String fastDevice = wanted.fastPath().device();
        if (fastDevice != null && !observed.node().links().containsKey(fastDevice)) {
            // Its forwarding rule names the device, which nft resolves when it loads the rule: the fast path waits
            // for the device (the VXLAN device is made after the rules) and traffic takes the normal path meanwhile.
            wanted = wanted.withFastPath(FastPath.NONE);
        }
        wanted = wanted.withFastPath(wanted.fastPath().withDraining(drain.update(desired.nodeNamespace(), wanted)));
        if (wanted.equals(appliedRules)) {
            return Planner.Rules.CURRENT;
        }
        String script;
        boolean incremental = true;
        List<NftElementChange> elements = null;
        if (appliedRules != null) {
            elements = wanted.elementChanges(appliedRules).orElse(null);
            // Element changes go through netlink: their nft text (a line each, 100,000 for a cluster's services) is
            // not made unless the kernel refuses them and they are written as nft (LinuxKernel does that itself).
            script = elements != null ? "" : wanted.updateScript(appliedRules);
        } else {
            ProgrammedTable table = programmedTable(desired, NodeRules.FAMILY, NodeRules.TABLE);
            ProgrammedTable guard = programmedTable(desired, SpoofGuard.FAMILY, SpoofGuard.TABLE);
            String full = wanted.nftScript(); // after a restart only: the changes may well be the whole table
            ProgrammedTable fast = wanted.fastPath().enabled()
                    ? programmedTable(desired, FastPath.FAMILY, FastPath.TABLE) : null;
            script = table == null || guard == null ? full : wanted.syncScript(table, guard, fast);
            incremental = !script.equals(full);
        }
        if (elements != null ? elements.isEmpty() : script.isEmpty()) {
            appliedRules = wanted;
            return Planner.Rules.CURRENT;
        }
        return new Planner.Rules(
                new KernelChange.ApplyNftables(desired.nodeNamespace(), script, incremental, wanted, elements));
    }

    /** A table as the kernel has it, or null when it cannot be read (then the whole table is written). */
    private ProgrammedTable programmedTable(DesiredNode desired, String family, String table) {
        try {
            return ProgrammedTable.parse(kernel.listNftTable(desired.nodeNamespace(), family, table), family, table);
        } catch (RuntimeException e) {
            log.debug("cannot read the nftables table, writing it whole: {}", e.getMessage());
            return null;
        }
    }

    /** Applies the plan; returns the objects it changed, or tried to, or could not (blocked and failed ones). */
    private Set<String> execute(Plan plan, List<KernelChange> applied, List<SyncError> errors) {
        Set<String> failed = new HashSet<>();
        Set<String> touched = new HashSet<>();
        for (Task task : plan.tasks()) {
            if (task.blocked() != null || !task.changes().isEmpty()) {
                touched.add(task.object());
            }
            if (task.blocked() != null) {
                errors.add(new SyncError(task.object(), null, task.blocked()));
                failed.add(task.object());
                continue;
            }
            String missing = task.needs().stream().filter(failed::contains).findFirst().orElse(null);
            if (missing != null) {
                errors.add(new SyncError(task.object(), null, "not done because " + missing + " failed"));
                failed.add(task.object());
                touched.add(task.object());
                continue;
            }
            for (List<KernelChange> run : NamespaceRuns.split(task.changes())) {
                NamespaceRuns.Outcome outcome = runs.apply(run);
                for (KernelChange change : run.subList(0, outcome.appliedCount())) {
                    log.debug("{}", change);
                    applied.add(change);
                    if (change instanceof KernelChange.ApplyNftables nft) {
                        NodeRules before = appliedRules;
                        appliedRules = nft.rules();
                        if (before != null) {
                            forgetUdpFlows(nft.ns(), nft.rules().services().udpFlowsGoneSince(before.services()));
                        }
                    }
                }
                if (outcome.failed()) {
                    fail(task, outcome.failedChange(), outcome.failure(), errors, failed);
                    break;
                }
            }
        }
        return touched;
    }

    /**
     * Deletes the conntrack entries of UDP flows to endpoints the rules no longer balance to: otherwise a client that
     * keeps sending (DNS, say) keeps reaching the gone endpoint until its entry times out. After the rules changed, so
     * that a client's next datagram is balanced afresh. A failure is logged, not a sync error: the entries still time
     * out by themselves.
     */
    private void forgetUdpFlows(NetNs ns, Set<ServiceRules.UdpFlow> gone) {
        for (ServiceRules.UdpFlow flow : gone) {
            try {
                kernel.deleteUdpConntrack(ns, flow.frontend(), flow.port(), flow.endpoint());
            } catch (RuntimeException e) {
                log.warn("cannot delete the UDP conntrack entries of {}: {}", flow, e.getMessage());
            }
        }
    }

    private void fail(Task task, KernelChange change, RuntimeException e, List<SyncError> errors, Set<String> failed) {
        errors.add(new SyncError(task.object(), change, e.getMessage()));
        failed.add(task.object());
        if (change instanceof KernelChange.ApplyNftables) {
            // Whatever the table holds now, it is not known: look at the kernel next time.
            appliedRules = null;
        }
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
