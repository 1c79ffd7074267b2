package io.drover.controllers.hostports;

import io.drover.model.net.IpAddresses;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Which ports of a pod want an automatic host port, and whether its status already lists them. Pure. */
public final class AutomaticPorts {

    /**
     * One port that wants an automatic host port.
     *
     * @param field    where it is declared, e.g. {@code spec.ports[0]} (for messages)
     * @param port     the pod's port
     * @param protocol TCP, UDP or SCTP
     * @param hostIp   the node address to publish it on (as declared, canonical), null for every address
     */
    public record Wanted(String field, int port, String protocol, String hostIp) {

        boolean sameAs(int otherPort, String otherProtocol) {
            return port == otherPort && protocol.equals(otherProtocol);
        }

        /** {@code 80/TCP} */
        public String describe() {
            return port + "/" + protocol;
        }
    }

    private AutomaticPorts() {}

    /**
     * The ports of a pod placed on a node that want an automatic host port ({@link PodSpec#automaticPorts()}), in
     * the order of {@code spec.ports}; empty for a pod without a node.
     */
    public static List<Wanted> wanted(Pod pod) {
        PodSpec spec = pod.spec();
        if (spec.node() == null || spec.node().isEmpty()) {
            return List.of();
        }
        List<PodPort> automatic = spec.automaticPorts();
        List<Wanted> out = new ArrayList<>();
        for (int i = 0; i < spec.ports().size(); i++) {
            PodPort p = spec.ports().get(i);
            if (automatic.contains(p)) {
                out.add(new Wanted("spec.ports[" + i + "]", p.port(), p.effectiveProtocol(), canonical(p.hostIP())));
            }
        }
        return out;
    }

    /** Whether the status lists exactly the wanted ports, each with a host port (nothing to do for them). */
    public static boolean satisfied(Pod pod) {
        List<Wanted> wanted = wanted(pod);
        List<PodStatus.PublishedPort> published = pod.status() == null ? List.of() : pod.status().publishedPorts();
        if (wanted.size() != published.size()) {
            return false;
        }
        for (int i = 0; i < wanted.size(); i++) {
            Wanted w = wanted.get(i);
            PodStatus.PublishedPort p = published.get(i);
            if (p.port() == null || p.hostPort() == null || !w.sameAs(p.port(), p.effectiveProtocol())
                    || !Objects.equals(w.hostIp(), p.hostIP())) {
                return false;
            }
        }
        return true;
    }

    /** Whether the ports wanting automatic host ports differ between two versions of a pod. */
    public static boolean changed(Pod before, Pod after) {
        return !wanted(before).equals(wanted(after));
    }

    /** Whether the pod's status lists automatic host ports. */
    public static boolean listed(Pod pod) {
        return pod.status() != null && !pod.status().publishedPorts().isEmpty();
    }

    private static String canonical(String hostIp) {
        if (hostIp == null || hostIp.isEmpty()) {
            return null;
        }
        try {
            return IpAddresses.format(IpAddresses.parse(hostIp));
        } catch (IllegalArgumentException e) {
            return hostIp; // validation keeps such pods out; the agent reports it should one get in
        }
    }
}
