package io.drover.agent.reconcile;

import java.util.List;

/**
 * The changes that bring one object (a bridge, a pod interface, a namespace, the rules) to its desired state, in
 * the order they must be made. Tasks fail alone: a failed change stops the rest of its own task and of the tasks
 * that {@code need} it, never the others.
 *
 * @param object  what the task is about, as errors name it: {@code bridge dr-blue}, {@code pod shop/web-1 eth0}
 * @param needs   objects that must have succeeded first (a pod interface needs its bridge and its namespace)
 * @param blocked why the task cannot be done at all (a foreign interface holds the name, the namespace is
 *                unreadable), or null
 */
public record Task(String object, List<String> needs, List<KernelChange> changes, String blocked) {

    public Task {
        needs = List.copyOf(needs);
        changes = List.copyOf(changes);
    }

    static Task of(String object, List<String> needs, List<KernelChange> changes) {
        return new Task(object, needs, changes, null);
    }

    static Task blocked(String object, String reason) {
        return new Task(object, List.of(), List.of(), reason);
    }

    /** Nothing to do: the object is as desired. */
    public boolean isEmpty() {
        return changes.isEmpty() && blocked == null;
    }
}
