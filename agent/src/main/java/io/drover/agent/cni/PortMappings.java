package io.drover.agent.cni;

import io.drover.agent.desired.DesiredNode;
import io.drover.agent.rules.PortClash;
import io.drover.agent.rules.PublishedPort;
import io.drover.cni.CniError;
import io.drover.cni.NetworkConfig.PortMapping;
import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;
import io.drover.model.pod.PodPort;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The runtime's port mappings ({@code runtimeConfig.portMappings}, the "portMappings" capability) as the pod's
 * published ports: the agent's rules then DNAT them as for any pod, and refuse a host port another pod already has.
 */
final class PortMappings {

    private PortMappings() {}

    /** One pod port per distinct mapping (runtimes repeat a mapping once per host address family). */
    static List<PodPort> toPodPorts(List<PortMapping> mappings) {
        Set<PodPort> out = new LinkedHashSet<>();
        for (PortMapping m : mappings) {
            out.add(new PodPort(null, m.containerPort(), m.protocol().toUpperCase(Locale.ROOT), m.hostPort(), m.hostIp()));
        }
        return new ArrayList<>(out);
    }

    /**
     * Refuses, before anything is made, a host port that a pod of the node already publishes (as the agent last
     * computed them) for one of the families the new pod will have.
     */
    static void requireFree(List<PodPort> ports, DesiredNode node, Set<IpFamily> families) throws CniError {
        if (node == null) {
            return;
        }
        for (PodPort port : ports) {
            String hostIp = canonical(port.hostIP());
            // A host address narrows the mapping to its family (0.0.0.0: every IPv4 address, not IPv6 ones).
            Set<IpFamily> mine = port.hostIP() == null || port.hostIP().isEmpty() ? families
                    : Set.of(IpFamily.of(IpAddresses.parse(port.hostIP())));
            for (PublishedPort held : node.publishedPorts()) {
                if (held.hostPort() == port.hostPort() && held.protocol().equals(port.effectiveProtocol())
                        && mine.contains(held.family())
                        && (held.hostIp() == null || hostIp == null || held.hostIp().equals(hostIp))) {
                    throw CniError.portInUse(port.effectiveProtocol().toLowerCase(Locale.ROOT), port.hostIP(),
                            port.hostPort(), "pod " + held.pod());
                }
            }
        }
    }

    /**
     * After the pod was plumbed: a host port the agent refused it, because a pod attached at the same moment got it
     * first (two ADDs both passed {@link #requireFree}; the agent keeps the older pod's).
     */
    static Optional<CniError> refused(DesiredNode node, String podKey) {
        if (node == null) {
            return Optional.empty();
        }
        return node.refusedPorts().stream()
                .filter(c -> c.refused().pod().equals(podKey))
                .findFirst()
                .map(PortMappings::error);
    }

    private static CniError error(PortClash clash) {
        PublishedPort p = clash.refused();
        return CniError.portInUse(p.protocol().toLowerCase(Locale.ROOT), p.hostIp(), p.hostPort(),
                "pod " + clash.kept().pod());
    }

    /** 0.0.0.0 and :: publish on every address, as no hostIP does. */
    private static String canonical(String hostIp) {
        if (hostIp == null || hostIp.isEmpty()) {
            return null;
        }
        var address = IpAddresses.parse(hostIp);
        return address.isAnyLocalAddress() ? null : IpAddresses.format(address);
    }
}
