package io.drover.policy;

import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.policy.NetworkPolicyPort;
import java.util.Optional;

/** What a port of a rule stands for once its destination is known. */
final class RulePorts {

    private RulePorts() {}

    /**
     * The ports a rule port allows towards a destination: its number (up to endPort), every port of its protocol
     * when it names none, or the destination pod's port of that name and protocol. Empty when a named port has no
     * match, and always for a named port towards an address outside any pod, which has no port names.
     */
    static Optional<PortRange> resolve(NetworkPolicyPort port, Optional<Pod> destination) {
        String protocol = port.effectiveProtocol();
        if (port.port() == null) {
            return Optional.of(PortRange.every(protocol));
        }
        Optional<Integer> number = port.port().numberValue();
        if (number.isPresent()) {
            int first = number.get();
            return Optional.of(new PortRange(protocol, first, port.endPort() == null ? first : port.endPort()));
        }
        String name = port.port().nameValue().orElseThrow();
        return destination.flatMap(pod -> pod.spec().ports().stream()
                .filter(p -> name.equals(p.name()) && protocol.equals(p.effectiveProtocol()) && p.port() != null)
                .map(PodPort::port)
                .findFirst()
                .map(containerPort -> PortRange.single(protocol, containerPort)));
    }

    static boolean isNamed(NetworkPolicyPort port) {
        return port.port() != null && port.port().isNamed();
    }
}
