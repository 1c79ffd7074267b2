package io.drover.api.registry;

import io.drover.model.pod.Pod;
import io.drover.model.pod.PodStatus;
import io.drover.store.Compare;
import java.util.List;
import java.util.Optional;

/**
 * Gives a pod its addresses while it is being created, as Kubernetes' API server allocates a service's cluster IP
 * in the create: the creator gets the pod back addressed, and every watcher sees it addressed in its first event,
 * without waiting for a controller to notice the pod and write its status. The registry is given one with
 * {@link StoreResourceRegistry#withPodAddressing}; without one (and for every pod an implementation leaves alone),
 * pods are stored without status and the IPAM controller addresses them.
 *
 * <p>The allocation happens before the pod is written, in transactions of its own: the registry stores the pod
 * with the status only when the write also finds every {@link Addressed#holds() hold} still true, and gives the
 * addresses back with {@link #release} when it knows the pod was not stored.
 */
public interface PodAddressing {

    /**
     * The status of a pod addressed at create, and what must still be true in the store when the pod is written
     * for the status to be true (the records of the allocations exist): checked in the pod's own transaction.
     */
    record Addressed(PodStatus status, List<Compare> holds) {
        public Addressed {
            holds = List.copyOf(holds);
        }
    }

    /**
     * Allocates the addresses of {@code pod} (which has its uid already). Asking again for the same pod answers with
     * what it holds, so the registry may ask once per attempt of its write.
     *
     * @return empty for a pod this does not address at create; it is stored without status
     * @throws RuntimeException when the addresses cannot be allocated now (the pool is exhausted, a network is
     *                          missing, the store is unavailable); nothing is held for the pod then
     */
    Optional<Addressed> allocate(Pod pod);

    /** Gives back what {@link #allocate} holds for {@code pod}, whose create failed. Nothing held is fine. */
    void release(Pod pod);
}
