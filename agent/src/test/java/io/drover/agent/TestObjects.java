package io.drover.agent;

import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import io.drover.model.pod.PodStatus.PodAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Networks and pods as the store would hold them, for the agent's tests (and those of modules using its test-jar). */
public final class TestObjects {

    private TestObjects() {}

    public static Network network(String name, String... subnets) {
        return Network.of(ObjectMeta.named(name), NetworkSpec.of(subnets));
    }

    public static Network network(String name, boolean natOutgoing, Integer mtu, String... subnets) {
        return Network.of(ObjectMeta.named(name), new NetworkSpec(List.of(subnets), null, null, null, natOutgoing, mtu));
    }

    /** A bridge-mode pod on {@code node} joining {@code networks}, with a uid derived from its name. */
    public static Pod pod(String namespace, String name, String node, String... networks) {
        return pod(namespace, name, new PodSpec(node, null, List.of(networks), List.of(), List.of()));
    }

    public static Pod pod(String namespace, String name, PodSpec spec) {
        ObjectMeta meta = new ObjectMeta(name, namespace, Map.of(), Map.of(), "uid-" + namespace + "-" + name, null, null);
        return Pod.of(meta, spec);
    }

    public static Pod withPorts(Pod pod, PodPort... ports) {
        PodSpec s = pod.spec();
        return Pod.of(pod.metadata(), new PodSpec(s.node(), s.networkMode(), s.networks(), List.of(ports), s.command()))
                .withStatus(pod.status());
    }

    public static Pod withCreation(Pod pod, String timestamp) {
        ObjectMeta m = pod.metadata();
        return pod.withMetadata(m.withServerFields(m.uid(), m.resourceVersion(), timestamp));
    }

    /**
     * The pod with IPAM's status: {@code addresses} as {@code network=ip/prefix} (interface by the network's
     * position), gateways left to the network.
     */
    public static Pod addressed(Pod pod, String... addresses) {
        List<PodAddress> out = new ArrayList<>();
        for (String a : addresses) {
            String network = a.substring(0, a.indexOf('='));
            String ip = a.substring(a.indexOf('=') + 1, a.indexOf('/'));
            int prefix = Integer.parseInt(a.substring(a.indexOf('/') + 1));
            String iface = PodSpec.interfaceName(pod.spec().networks().indexOf(network));
            out.add(new PodAddress(network, iface, ip, prefix, null));
        }
        return pod.withStatus(new PodStatus(PodStatus.ALLOCATED, out, null));
    }

    public static PodSpec mode(String node, String networkMode) {
        return new PodSpec(node, networkMode, List.of(), List.of(), List.of());
    }
}
