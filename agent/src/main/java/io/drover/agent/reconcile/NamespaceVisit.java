package io.drover.agent.reconcile;

import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.NetNs;
import java.util.function.Supplier;

/**
 * Several kernel calls into one namespace done in a single {@link Kernel#inNamespace} visit: each call on its own
 * is a hand-off to the namespace's thread and a wait for it, which costs more than a netlink request. Inside the
 * visit the kernel's calls into the same namespace run directly.
 */
final class NamespaceVisit {

    private NamespaceVisit() {}

    /**
     * The work's result, computed inside {@code ns}. When the visit fails (the namespace cannot be entered, or the
     * work threw), the work runs again outside, call by call, so that the caller sees the error of the call that
     * failed, worded as without the visit.
     */
    static <T> T inside(Kernel kernel, NetNs ns, Supplier<T> work) {
        try {
            return kernel.inNamespace(ns, work::get);
        } catch (RuntimeException e) {
            return work.get();
        }
    }
}
