package io.drover.agent.cni;

import io.drover.agent.desired.PodNamespaces;
import io.drover.agent.kernel.NetNs;
import io.drover.model.pod.Pod;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where pods live on a node that also serves CNI: a pod made through CNI lives in the namespace its runtime made
 * (CNI_NETNS, from the pod's {@link CniAttachment}), never created or removed by the agent, with the interface name
 * the runtime asked for; every other pod is placed by {@code others} (the agent's own namespaces, as in the lab).
 */
public record CniPodNamespaces(PodNamespaces others) implements PodNamespaces {

    public CniPodNamespaces {
        Objects.requireNonNull(others, "others");
    }

    @Override
    public NetNs namespaceOf(Pod pod) {
        return runtimeNamespace(pod).orElseGet(() -> others.namespaceOf(pod));
    }

    @Override
    public boolean createdByAgent(Pod pod) {
        return CniAttachment.of(pod).isEmpty() && others.createdByAgent(pod);
    }

    @Override
    public Optional<String> ownedPrefix() {
        return others.ownedPrefix();
    }

    @Override
    public NetNs nodeNamespace() {
        return others.nodeNamespace();
    }

    /** A CNI pod joins one network: its first interface is the one the runtime named. */
    @Override
    public String interfaceName(Pod pod, int index) {
        Optional<CniAttachment> attachment = CniAttachment.of(pod);
        return index == 0 && attachment.isPresent() ? attachment.get().ifName() : others.interfaceName(pod, index);
    }

    @Override
    public boolean routesDefault(Pod pod, int index) {
        Optional<CniAttachment> attachment = CniAttachment.of(pod);
        return attachment.isPresent() ? index == 0 && attachment.get().primary() : others.routesDefault(pod, index);
    }

    /** A runtime waits on ADD: the veth pair is made while IPAM allocates, and only the addresses wait for it. */
    @Override
    public boolean plumbedBeforeAddressed(Pod pod) {
        return CniAttachment.of(pod).isPresent() || others.plumbedBeforeAddressed(pod);
    }

    private static Optional<NetNs> runtimeNamespace(Pod pod) {
        return CniAttachment.of(pod).filter(a -> !a.netns().isEmpty()).map(a -> new NetNs(Path.of(a.netns())));
    }
}
