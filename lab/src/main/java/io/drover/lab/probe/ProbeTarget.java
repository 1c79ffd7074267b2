package io.drover.lab.probe;

import io.drover.agent.kernel.NetNs;
import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodStatus;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A pod the probe connects from and to.
 *
 * @param key   {@code <namespace>/<pod>}: the matrix label, and the text its echo server answers with
 * @param netns the pod's network namespace, where its client sockets are opened
 * @param ips   its addresses, primary first
 */
public record ProbeTarget(String key, NetNs netns, List<InetAddress> ips) {

    public ProbeTarget {
        int slash = key.indexOf('/');
        if (slash <= 0 || slash == key.length() - 1 || key.indexOf('/', slash + 1) >= 0
                || key.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("probe target '" + key + "' is not <namespace>/<pod>");
        }
        ips = List.copyOf(ips);
    }

    /** A pod as the API reports it: its key and the addresses in its status. */
    public static ProbeTarget of(Pod pod, NetNs netns) {
        List<InetAddress> ips = new ArrayList<>();
        if (pod.status() != null) {
            for (PodStatus.PodAddress a : pod.status().addresses()) {
                if (a.ip() != null) {
                    ips.add(IpAddresses.parse(a.ip()));
                }
            }
        }
        return new ProbeTarget(pod.metadata().namespace() + "/" + pod.metadata().name(), netns, ips);
    }

    public String namespace() {
        return key.substring(0, key.indexOf('/'));
    }

    public String name() {
        return key.substring(key.indexOf('/') + 1);
    }

    /** The address to probe: the first of the family, or the first address when no family is asked for. */
    public Optional<InetAddress> address(IpFamily family) {
        return ips.stream().filter(ip -> family == null || IpFamily.of(ip) == family).findFirst();
    }
}
