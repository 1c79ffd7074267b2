package io.drover.agent.reconcile;

import io.drover.agent.desired.DesiredNode;
import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.KernelException;
import io.drover.agent.rules.NodeRules;
import io.drover.agent.rules.ProgrammedTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the kernel match a {@link DesiredNode}: reads it ({@link KernelReader}), plans the difference
 * ({@link Planner}) and applies the plan task by task. Level-triggered: it keeps no memory of what it did except
 * which rules it last applied (so that a change of rules costs only its element changes), so a new reconciler over a kernel an earlier agent set up adopts what is right
 * without writing, repairs what drifted and removes what it made but no longer wants. A second sync with the same
 * desired state makes no write at all.
 *
 * <p>Not thread-safe: one sync at a time (the node agent has a single sync thread).
 */
public final class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final Kernel kernel;
    private final KernelReader reader;
    /** The rules last applied (or found in the kernel); null: unknown, look at the kernel. */
    private NodeRules appliedRules;

    public Reconciler(Kernel kernel) {
        this.kernel = kernel;
        this.reader = new KernelReader(kernel);
    }

    public SyncResult sync(DesiredNode desired) {
        long start = System.nanoTime();
        Observed observed;
        try {
            observed = reader.read(desired);
        } catch (RuntimeException e) {
            return new SyncResult(List.of(), List.of(new SyncError("node namespace " + desired.nodeNamespace(), null,
                    "cannot read the kernel: " + e.getMessage())), desired.waiting(), since(start));
        }
        List<KernelChange> applied = new ArrayList<>();
        List<SyncError> errors = new ArrayList<>();
        Planner.Rules rules;
        try {
            rules = rules(desired);
        } catch (RuntimeException e) {
            // The rules cannot be rendered (a name nft cannot quote): the rest of the node is still plumbed.
            rules = Planner.Rules.CURRENT;
            errors.add(new SyncError(Planner.RULES, null, "cannot render the rules: " + e.getMessage()));
        }
        execute(Planner.plan(desired, observed, rules), applied, errors);
        return new SyncResult(applied, errors, desired.waiting(), since(start));
    }

    /**
     * Forgets which rules were applied, so that the next sync compares with the table in the kernel and repairs
     * it if someone changed or removed it. The agent calls this on its periodic resync.
     */
    public void forgetAppliedRules() {
        appliedRules = null;
    }

    /**
     * What programming the rules takes. Known rules: nothing when unchanged, else their element changes. Unknown
     * (the first sync, or after {@link #forgetAppliedRules}): whatever the table in the kernel needs, usually
     * nothing after a restart, so that rules are not rewritten when nothing changed.
     */
    private Planner.Rules rules(DesiredNode desired) {
        NodeRules wanted = desired.rules();
        if (wanted.equals(appliedRules)) {
            return Planner.Rules.CURRENT;
        }
        String full = wanted.nftScript();
        String script;
        if (appliedRules != null) {
            script = wanted.updateScript(appliedRules);
        } else {
            ProgrammedTable table = programmedTable(desired);
            script = table == null ? full : wanted.syncScript(table);
        }
        if (script.isEmpty()) {
            appliedRules = wanted;
            return Planner.Rules.CURRENT;
        }
        return new Planner.Rules(new KernelChange.ApplyNftables(desired.nodeNamespace(), script, full, wanted));
    }

    /** The table as the kernel has it, or null when it cannot be read (then the whole table is written). */
    private ProgrammedTable programmedTable(DesiredNode desired) {
        try {
            return ProgrammedTable.parse(kernel.listNftTable(desired.nodeNamespace(), NodeRules.FAMILY, NodeRules.TABLE));
        } catch (RuntimeException e) {
            log.debug("cannot read the nftables table, writing it whole: {}", e.getMessage());
            return null;
        }
    }

    private void execute(Plan plan, List<KernelChange> applied, List<SyncError> errors) {
        Set<String> failed = new HashSet<>();
        for (Task task : plan.tasks()) {
            if (task.blocked() != null) {
                errors.add(new SyncError(task.object(), null, task.blocked()));
                failed.add(task.object());
                continue;
            }
            String missing = task.needs().stream().filter(failed::contains).findFirst().orElse(null);
            if (missing != null) {
                errors.add(new SyncError(task.object(), null, "not done because " + missing + " failed"));
                failed.add(task.object());
                continue;
            }
            for (KernelChange change : task.changes()) {
                try {
                    change.applyTo(kernel);
                    log.debug("{}", change);
                } catch (KernelException e) {
                    if (!change.alreadyDone(e)) {
                        fail(task, change, e, errors, failed);
                        break;
                    }
                } catch (RuntimeException e) {
                    fail(task, change, e, errors, failed);
                    break;
                }
                applied.add(change);
                if (change instanceof KernelChange.ApplyNftables nft) {
                    appliedRules = nft.rules();
                }
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
