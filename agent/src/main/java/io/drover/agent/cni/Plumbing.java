package io.drover.agent.cni;

import io.drover.agent.NodeAgent;
import io.drover.agent.desired.DesiredInterface;
import io.drover.agent.desired.DesiredNode;
import io.drover.agent.desired.InterfaceNames;
import io.drover.agent.desired.Ownership;
import io.drover.agent.desired.PodKeys;
import io.drover.agent.desired.Waiting;
import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.Route;
import io.drover.agent.reconcile.SyncError;
import io.drover.agent.reconcile.SyncResult;
import io.drover.cni.CniError;
import io.drover.model.pod.Pod;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CNI path's view of the node agent: it never plumbs anything itself, it waits for the agent's sync to have made
 * (or removed) a pod's interface and checks the result in the kernel. The agent stays the one writer of the node's
 * data plane; the only exception is a host veth the agent failed to remove in time for a DEL, removed here so that a
 * DEL never leaves an interface behind.
 */
final class Plumbing {

    private static final int EINVAL = 22;
    private static final Logger log = LoggerFactory.getLogger(Plumbing.class);
    /** How often to look again while the agent has not seen a change: short, the change is on its way. */
    private static final long PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    /** A pod interface as the kernel has it: both ends of the veth pair and what the agent wanted them to be. */
    record Plumbed(Link host, Link container, DesiredInterface wanted) {}

    private final NodeAgent agent;
    private final Kernel kernel;
    private final NetNs nodeNs;

    Plumbing(NodeAgent agent, Kernel kernel, NetNs nodeNs) {
        this.agent = agent;
        this.kernel = kernel;
        this.nodeNs = nodeNs;
    }

    NetNs nodeNamespace() {
        return nodeNs;
    }

    /** The name of the node end of the pod's interface (deterministic: the agent gives it the same one). */
    static String hostEnd(Pod pod, String ifName) {
        return InterfaceNames.hostVeth(PodKeys.identity(pod), ifName);
    }

    /**
     * Waits until the agent has plumbed the addressed pod's interface {@code ifName} into {@code netns}, as the kernel
     * shows it: both ends up, the host end on the network's bridge, the addresses and routes in place.
     *
     * @throws CniError the agent's own error when its sync failed for this interface; code 11 when it did not
     *     finish in time
     */
    Plumbed await(Pod pod, String ifName, NetNs netns, Deadline deadline) throws CniError, InterruptedException {
        String key = PodKeys.key(pod);
        String host = hostEnd(pod, ifName);
        // No requestSync(): the agent's own watch brings it the pod's status and starts the sync that matters; a
        // sync requested here would only read the node once more, and delay that one.
        String lastReason = "the agent has not seen the pod's addresses yet";
        while (true) {
            agent.awaitSynced(deadline.remaining());
            DesiredNode desired = agent.lastDesired().orElse(null);
            // Addresses present: the agent's copy of the pod has IPAM's status (its interface may be there before).
            Optional<DesiredInterface> wanted = desired == null ? Optional.empty() : desired.interfaces().stream()
                    .filter(i -> i.pod().equals(key) && i.name().equals(ifName) && i.hostName().equals(host)
                            && !i.addresses().isEmpty())
                    .findFirst();
            if (wanted.isPresent()) {
                Optional<Plumbed> done = inKernel(wanted.get(), netns);
                if (done.isPresent()) {
                    return done.get();
                }
                Optional<SyncError> failed = errorFor(key, ifName);
                if (failed.isPresent()) {
                    throw new CniError(CniError.INTERNAL, "the Drover agent cannot plumb " + ifName + " of pod " + key,
                            failed.get().message());
                }
                lastReason = "the agent's sync has not finished it yet";
            } else if (desired != null) {
                lastReason = desired.waiting().stream().filter(w -> w.pod().equals(key)).map(Waiting::reason)
                        .findFirst().orElse(lastReason);
            }
            if (deadline.expired()) {
                throw new CniError(CniError.TRY_AGAIN_LATER, "the Drover agent did not plumb pod " + key + " in time",
                        "waited " + deadline.budget().toSeconds() + " s: " + lastReason);
            }
            // The agent's watch has not delivered the pod's status yet (it arrives with ours, give or take a moment);
            // its arrival starts the sync the next round waits for.
            TimeUnit.NANOSECONDS.sleep(PAUSE_NANOS);
        }
    }

    /**
     * Waits until the agent has removed the node end of the pod's interface (the container end goes with it), after
     * the pod was deleted. Should the agent not manage in time, the interface is removed here: a DEL or a failed ADD
     * must not leave it behind.
     */
    void awaitGone(Pod pod, String ifName, Deadline deadline) throws InterruptedException {
        String host = hostEnd(pod, ifName);
        String alias = Ownership.podInterfaceAlias(PodKeys.key(pod), ifName);
        while (true) {
            agent.awaitSynced(deadline.remaining());
            Optional<Link> left = link(nodeNs, host);
            if (left.isEmpty() || !alias.equals(left.get().alias())) {
                return; // gone, or the name now belongs to something else that is not ours to touch
            }
            if (deadline.expired()) {
                log.warn("the agent did not remove {} of deleted pod {} within {} s; removing it now", host,
                        PodKeys.key(pod), deadline.budget().toSeconds());
                try {
                    kernel.deleteLink(nodeNs, host);
                } catch (KernelException e) {
                    if (e.errno() != KernelException.ENODEV) {
                        throw e;
                    }
                }
                return;
            }
            TimeUnit.NANOSECONDS.sleep(PAUSE_NANOS);
        }
    }

    /** The interface as the kernel has it, when it is complete. */
    Optional<Plumbed> inKernel(DesiredInterface wanted, NetNs netns) {
        Optional<Link> host = link(nodeNs, wanted.hostName());
        if (host.isEmpty() || !host.get().up() || !wanted.bridge().equals(host.get().master())
                || !wanted.alias().equals(host.get().alias())) {
            return Optional.empty();
        }
        // The container's side in one visit to its namespace: one hand-off to the namespace's thread, not three.
        Optional<Link> container;
        try {
            container = kernel.inNamespace(netns, () -> containerSide(wanted, netns));
        } catch (KernelException e) {
            if (e.errno() == KernelException.ENOENT || e.errno() == EINVAL) {
                return Optional.empty(); // the namespace went away meanwhile
            }
            throw e;
        }
        if (container.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Plumbed(host.get(), container.get(), wanted));
    }

    /** The container end when it is up with the wanted addresses and routes; empty while it is not yet. */
    private Optional<Link> containerSide(DesiredInterface wanted, NetNs netns) {
        Optional<Link> container = link(netns, wanted.name());
        if (container.isEmpty() || !container.get().up()) {
            return Optional.empty();
        }
        try {
            List<Address> addresses = kernel.addresses(netns, wanted.name());
            if (!addresses.containsAll(wanted.addresses())) {
                return Optional.empty();
            }
            List<Route> routes = wanted.routes().isEmpty() ? List.of() : kernel.routes(netns);
            for (Route r : wanted.routes()) {
                if (routes.stream().noneMatch(k -> sameRoute(r, k))) {
                    return Optional.empty();
                }
            }
        } catch (KernelException e) {
            return Optional.empty(); // the link went away meanwhile
        }
        return container;
    }

    /** A link by name; empty when it or its namespace does not exist. */
    Optional<Link> link(NetNs ns, String name) {
        try {
            return kernel.link(ns, name);
        } catch (KernelException e) {
            if (e.errno() == KernelException.ENOENT || e.errno() == EINVAL) {
                return Optional.empty(); // EINVAL: a /run/netns entry whose namespace is gone
            }
            throw e;
        }
    }

    private Optional<SyncError> errorFor(String key, String ifName) {
        String object = "pod " + key + " " + ifName;
        return agent.lastResult().map(SyncResult::errors).orElse(List.of()).stream()
                .filter(e -> e.object().equals(object))
                .findFirst();
    }

    static boolean sameRoute(Route wanted, Route actual) {
        return wanted.destination().equals(actual.destination()) && Objects.equals(wanted.gateway(), actual.gateway())
                && Objects.equals(wanted.device(), actual.device());
    }
}
