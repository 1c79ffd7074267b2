package io.drover.model.pod;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ports a pod publishes on its node, explicit and automatic alike: what the data plane programs and what
 * {@code drover describe} shows. A port with a {@code hostPort} publishes on it; with {@code publishAllPorts}, a port
 * without one publishes on the host port assigned to it in {@code status.publishedPorts}, once one is.
 */
public final class HostPorts {

    private HostPorts() {}

    /**
     * One published port of a pod.
     *
     * @param port      the declared port, {@code hostPort} filled in (the assigned one for an automatic port) and
     *                  {@code hostIP} as declared
     * @param automatic whether the host port was assigned automatically ({@code publishAllPorts})
     */
    public record Published(PodPort port, boolean automatic) {}

    /**
     * The pod's published ports in the order of {@code spec.ports}. An automatic port is left out until a host port
     * is assigned to it, and so is an assignment the spec no longer asks for (the status lags behind a changed
     * spec until the controller catches up).
     */
    public static List<Published> of(Pod pod) {
        PodSpec spec = pod.spec();
        List<PodPort> automatic = spec.automaticPorts();
        List<Published> out = new ArrayList<>();
        for (PodPort port : spec.ports()) {
            if (port.port() == null) {
                continue;
            }
            if (port.hostPort() != null) {
                out.add(new Published(port, false));
            } else if (automatic.contains(port)) {
                assigned(pod, port).ifPresent(a -> out.add(new Published(
                        new PodPort(port.name(), port.port(), port.protocol(), a.hostPort(), port.hostIP()), true)));
            }
        }
        return out;
    }

    /** The published ports as declared ports with their host port filled in. */
    public static List<PodPort> ports(Pod pod) {
        return of(pod).stream().map(Published::port).toList();
    }

    /** The host port assigned to an automatic port, from the pod's status. */
    public static Optional<PodStatus.PublishedPort> assigned(Pod pod, PodPort port) {
        if (pod.status() == null || port.port() == null) {
            return Optional.empty();
        }
        return pod.status().publishedPort(port.port(), port.effectiveProtocol())
                .filter(p -> p.hostPort() != null && p.hostPort() > 0 && p.hostPort() <= 65535);
    }
}
