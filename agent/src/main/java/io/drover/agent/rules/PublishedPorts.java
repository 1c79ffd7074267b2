package io.drover.agent.rules;

import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;
import io.drover.model.pod.HostPorts;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodStatus;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The published ports of a pod, as {@link PublishedPort}s: the pod model's {@code hostPort}s made concrete, and with
 * {@code publishAllPorts} the host ports assigned in {@code status.publishedPorts} (see {@link HostPorts}).
 */
public final class PublishedPorts {

    private PublishedPorts() {}

    /**
     * The published ports of a bridge-mode pod, to its first address of each family (that of its first network, as
     * Docker publishes through a container's first network). Pods in host mode listen on the node itself and
     * publish nothing through DNAT; pods in none or container mode have no address of their own; a pod without
     * addresses yet publishes nothing until it has them.
     */
    public static List<PublishedPort> of(Pod pod) {
        if (!pod.spec().joinsNetworks()) {
            return List.of();
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (PodStatus.PodAddress a : pod.status() == null ? List.<PodStatus.PodAddress>of() : pod.status().addresses()) {
            if (a.ip() != null && IpAddresses.isValid(a.ip())) {
                addresses.add(IpAddresses.parse(a.ip()));
            }
        }
        String name = pod.metadata().namespace() == null
                ? pod.metadata().name() : pod.metadata().namespace() + "/" + pod.metadata().name();
        return of(name, HostPorts.ports(pod), addresses);
    }

    /**
     * One {@link PublishedPort} per port with a {@code hostPort} and per address family the pod has (the first
     * address of each family in {@code podAddresses}); a port with a {@code hostIP} only in that address's family
     * ({@code 0.0.0.0}: every IPv4 address, {@code ::}: every IPv6 address).
     */
    public static List<PublishedPort> of(String pod, List<PodPort> ports, List<InetAddress> podAddresses) {
        Map<IpFamily, InetAddress> firstOfFamily = new LinkedHashMap<>();
        podAddresses.forEach(a -> firstOfFamily.putIfAbsent(IpFamily.of(a), a));
        List<PublishedPort> out = new ArrayList<>();
        for (PodPort port : ports) {
            if (port.hostPort() == null || port.port() == null) {
                continue;
            }
            String hostIp = port.hostIP() == null || port.hostIP().isBlank() ? null : port.hostIP();
            // As Docker: 0.0.0.0 means every IPv4 address, :: every IPv6 one (PublishedPort stores both as null).
            IpFamily only = hostIp == null ? null : IpFamily.of(IpAddresses.parse(hostIp));
            firstOfFamily.forEach((family, address) -> {
                if (only == null || only == family) {
                    out.add(new PublishedPort(hostIp, port.hostPort(), port.effectiveProtocol(),
                            address, port.port(), pod));
                }
            });
        }
        return out;
    }
}
