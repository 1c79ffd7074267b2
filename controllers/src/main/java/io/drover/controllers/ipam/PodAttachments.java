package io.drover.controllers.ipam;

import io.drover.controllers.hostports.AutomaticPorts;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which interfaces a pod should have addresses on, and whether its status already says it has them (and its
 * automatic host ports, which the same pass allocates). Pure.
 */
final class PodAttachments {

    /** One interface of a pod on one network; its addresses are held by the handle {@code pod:<uid>:<interface>}. */
    record Attachment(String network, String interfaceName) {
        HandleId handle(String podUid) {
            return HandleId.forPod(podUid, interfaceName);
        }
    }

    private PodAttachments() {}

    /** Bridge-mode pods placed on a node get one interface per network, eth0, eth1, ... in order. */
    static List<Attachment> desired(Pod pod) {
        PodSpec spec = pod.spec();
        if (spec.node() == null || spec.node().isEmpty() || !spec.joinsNetworks()) {
            return List.of();
        }
        List<Attachment> out = new ArrayList<>();
        for (int i = 0; i < spec.networks().size(); i++) {
            out.add(new Attachment(spec.networks().get(i), PodSpec.interfaceName(i)));
        }
        return out;
    }

    /** The attachments the pod's status lists addresses for. */
    static Set<Attachment> held(Pod pod) {
        Set<Attachment> out = new LinkedHashSet<>();
        if (pod.status() != null) {
            for (PodStatus.PodAddress a : pod.status().addresses()) {
                if (a.network() != null && a.interfaceName() != null) {
                    out.add(new Attachment(a.network(), a.interfaceName()));
                }
            }
        }
        return out;
    }

    /**
     * Whether the status already is what the controller would write, as far as can be told without the store:
     * addressed on exactly the desired interfaces, and an automatic host port listed for exactly the ports that want
     * one. A failed pod is never done (it is retried when things change).
     */
    static boolean looksDone(Pod pod) {
        if (!AutomaticPorts.satisfied(pod)) {
            return false;
        }
        List<Attachment> desired = desired(pod);
        if (desired.isEmpty()) {
            return held(pod).isEmpty();
        }
        return pod.status() != null && PodStatus.ALLOCATED.equals(pod.status().phase())
                && held(pod).equals(new LinkedHashSet<>(desired));
    }

    static boolean failed(Pod pod) {
        return pod.status() != null && PodStatus.FAILED.equals(pod.status().phase());
    }

    /** Whether anything IPAM (or the allocation of automatic host ports) depends on changed between two versions of a pod. */
    static boolean ipamSpecChanged(Pod before, Pod after) {
        return !desired(before).equals(desired(after))
                || AutomaticPorts.changed(before, after)
                || !Objects.equals(before.spec().node(), after.spec().node())
                || !Objects.equals(before.metadata().uid(), after.metadata().uid());
    }

    /** The status of a pod addressed as {@code addresses} says (one entry per attachment and family). */
    static PodStatus allocated(List<PodStatus.PodAddress> addresses) {
        return new PodStatus(PodStatus.ALLOCATED, addresses, List.of(), null);
    }

    static PodStatus.PodAddress toPodAddress(Attachment attachment, AllocatedAddress address) {
        return new PodStatus.PodAddress(attachment.network(), attachment.interfaceName(), address.ip(), address.prefix(), address.gateway());
    }
}
