package io.drover.agent.reconcile;

import java.util.List;

/** The tasks of one sync in the order they run; empty tasks (objects already right) are left out. */
public record Plan(List<Task> tasks) {

    public Plan {
        tasks = tasks.stream().filter(t -> !t.isEmpty()).toList();
    }

    public boolean isEmpty() {
        return tasks.isEmpty();
    }

    /** Every change of every task, in order. */
    public List<KernelChange> changes() {
        return tasks.stream().flatMap(t -> t.changes().stream()).toList();
    }
}
