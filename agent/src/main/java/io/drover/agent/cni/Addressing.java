package io.drover.agent.cni;

import io.drover.api.ApiException;
import io.drover.api.ResourceEvent;
import io.drover.api.ResourceRegistry;
import io.drover.api.ResourceWatcher;
import io.drover.cni.CniError;
import io.drover.model.ResourceKind;
import io.drover.model.meta.LabelSelector;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodStatus;
import io.drover.store.Watch;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for IPAM (a controller of the Drover server) to address a pod: a watch on the pod, from the revision the
 * caller has seen, so that no status write is missed and no polling is needed; the status either lists the pod's
 * addresses ({@code Allocated}) or says why it cannot have any ({@code Failed}).
 */
final class Addressing {

    /** How the wait for a pod's addresses ended. */
    private sealed interface Outcome permits Settled, Gone, Unwatched {}

    /** IPAM wrote its verdict. */
    private record Settled(Pod pod) implements Outcome {}

    /** The pod was deleted meanwhile (a DEL, or a GC, raced the ADD). */
    private record Gone() implements Outcome {}

    /** The watch ended without a verdict (history compacted, connection lost): read the pod and watch again. */
    private record Unwatched() implements Outcome {}

    private final ResourceRegistry registry;

    Addressing(ResourceRegistry registry) {
        this.registry = registry;
    }

    /**
     * The pod with its addresses.
     *
     * @throws CniError code 11 when the network has no free address (another pod may free one) or IPAM does not
     *     answer in time; code 7 when IPAM cannot address the pod for another reason, with its message
     */
    Pod await(Pod pod, Deadline deadline) throws CniError, InterruptedException {
        Pod current = pod;
        while (true) {
            if (settled(current)) {
                return verdict(current);
            }
            Outcome outcome = watchOnce(current, deadline);
            switch (outcome) {
                case Settled s -> current = s.pod();
                case Gone g -> throw new CniError(CniError.TRY_AGAIN_LATER, "pod " + CniPods.key(pod)
                        + " was deleted while it was being attached", "a DEL or GC of the same container ran at the"
                        + " same time; ADD again");
                case Unwatched u -> current = read(pod);
            }
        }
    }

    private Outcome watchOnce(Pod pod, Deadline deadline) throws CniError, InterruptedException {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        String uid = pod.metadata().uid();
        LabelSelector selector = LabelSelector.matching(Map.of(CniAttachment.LABEL,
                pod.metadata().labels().getOrDefault(CniAttachment.LABEL, "")));
        ResourceWatcher watcher = new ResourceWatcher() {
            @Override
            public void onEvents(List<ResourceEvent> events) {
                for (ResourceEvent e : events) {
                    if (!(e.object() instanceof Pod p) || !Objects.equals(p.metadata().uid(), uid)) {
                        continue;
                    }
                    if (e.type() == ResourceEvent.Type.DELETED) {
                        outcome.complete(new Gone());
                    } else if (settled(p)) {
                        outcome.complete(new Settled(p));
                    }
                }
            }

            @Override
            public void onExpired(String message) {
                outcome.complete(new Unwatched());
            }

            @Override
            public void onError(Throwable error) {
                outcome.complete(new Unwatched());
            }
        };
        Watch watch;
        try {
            watch = registry.watch(ResourceKind.POD, pod.namespace(), selector, version(pod), watcher);
        } catch (ApiException e) {
            throw RegistryErrors.toCni(e, "watch pod " + CniPods.key(pod));
        }
        try {
            return outcome.get(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new CniError(CniError.TRY_AGAIN_LATER, "pod " + CniPods.key(pod) + " got no address in time",
                    "IPAM did not address it within " + deadline.budget().toSeconds() + " s; IPAM runs in the Drover"
                            + " server's controllers: is the server running and reachable?");
        } catch (ExecutionException e) {
            throw new IllegalStateException("the watch of pod " + CniPods.key(pod) + " failed", e.getCause());
        } finally {
            watch.close();
        }
    }

    private Pod read(Pod pod) throws CniError {
        Optional<Pod> fresh;
        try {
            fresh = registry.get(Pod.class, pod.namespace(), pod.name());
        } catch (ApiException e) {
            throw RegistryErrors.toCni(e, "read pod " + CniPods.key(pod));
        }
        if (fresh.isEmpty() || !Objects.equals(fresh.get().metadata().uid(), pod.metadata().uid())) {
            throw new CniError(CniError.TRY_AGAIN_LATER, "pod " + CniPods.key(pod)
                    + " was deleted while it was being attached", "ADD again");
        }
        return fresh.get();
    }

    /** IPAM has written its verdict: addresses, or why there are none. */
    private static boolean settled(Pod pod) {
        PodStatus s = pod.status();
        return s != null && (PodStatus.FAILED.equals(s.phase())
                || PodStatus.ALLOCATED.equals(s.phase()) && !s.addresses().isEmpty());
    }

    private static Pod verdict(Pod pod) throws CniError {
        PodStatus s = pod.status();
        if (PodStatus.ALLOCATED.equals(s.phase())) {
            return pod;
        }
        String message = s.message() == null ? "IPAM gave no reason" : s.message();
        String network = pod.spec().networks().isEmpty() ? "" : pod.spec().networks().getFirst();
        if (message.contains("has no free")) {
            throw CniError.poolExhausted(network, message);
        }
        throw CniError.invalidConfig("network " + network + " cannot address pod " + CniPods.key(pod) + ": " + message);
    }

    private static long version(Pod pod) {
        String rv = pod.metadata().resourceVersion();
        return rv == null ? 0 : Long.parseLong(rv);
    }
}
