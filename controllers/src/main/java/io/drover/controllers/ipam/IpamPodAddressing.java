package io.drover.controllers.ipam;

import io.drover.api.ResourceRegistry;
import io.drover.api.registry.PodAddressing;
import io.drover.controllers.ipam.PodAttachments.Attachment;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodStatus;
import io.drover.store.Compare;
import io.drover.store.KeyValueStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Addresses pods in their create ({@link PodAddressing}) from {@link IpamService}, exactly as the
 * {@link IpamController} would: the same handles ({@code pod:<uid>:<interface>}) and the same status, so that the
 * controller, when the pod reaches it, finds it done and writes nothing, and releases the same handles when the pod
 * goes.
 *
 * <p>Only pods whose whole status is addresses: placed on a node, in bridge mode, and not publishing all their ports
 * (automatic host ports are allocated with the status by the controller, which keeps one writer for them).
 * All or nothing: when one network cannot give an address, what the others gave is given back.
 *
 * <p>Safe on every server at once: {@link IpamService} is compare-and-swap on the store.
 */
public final class IpamPodAddressing implements PodAddressing {

    private static final Logger log = LoggerFactory.getLogger(IpamPodAddressing.class);

    private final IpamService ipam;

    public IpamPodAddressing(IpamService ipam) {
        this.ipam = ipam;
    }

    /**
     * Addressing with an {@link IpamService} of its own on {@code store}, reading networks through {@code registry}
     * (which needs no addressing itself): what a server gives the registry its API serves.
     */
    public static IpamPodAddressing on(KeyValueStore store, ResourceRegistry registry) {
        return new IpamPodAddressing(new IpamService(store, NetworkSource.of(registry)));
    }

    @Override
    public Optional<Addressed> allocate(Pod pod) {
        List<Attachment> desired = PodAttachments.desired(pod);
        if (desired.isEmpty() || pod.spec().publishesAllPorts()) {
            return Optional.empty();
        }
        String uid = pod.metadata().uid();
        List<PodStatus.PodAddress> addresses = new ArrayList<>();
        List<Compare> holds = new ArrayList<>();
        try {
            for (Attachment a : desired) {
                HandleId handle = a.handle(uid);
                for (AllocatedAddress address : ipam.allocate(a.network(), pod.spec().node(), handle)) {
                    addresses.add(PodAttachments.toPodAddress(a, address));
                }
                holds.add(Compare.present(IpamKeys.handle(a.network(), handle)));
            }
        } catch (RuntimeException e) {
            releaseAll(pod, desired);
            throw e;
        }
        return Optional.of(new Addressed(PodAttachments.allocated(addresses), holds));
    }

    @Override
    public void release(Pod pod) {
        String uid = pod.metadata().uid();
        for (Attachment a : PodAttachments.desired(pod)) {
            ipam.release(a.network(), a.handle(uid));
        }
    }

    /** After a failed allocation: every handle of the pod, including those of earlier attempts of its create. */
    private void releaseAll(Pod pod, List<Attachment> desired) {
        String uid = pod.metadata().uid();
        for (Attachment a : desired) {
            try {
                ipam.release(a.network(), a.handle(uid));
            } catch (RuntimeException e) {
                // Left to the garbage collector: the pod, if it is stored, is stored without these addresses.
                log.debug("pod {}/{}: cannot give back {} on {} after a failed allocation: {}", pod.namespace(),
                        pod.name(), a.interfaceName(), a.network(), e.toString());
            }
        }
    }
}
