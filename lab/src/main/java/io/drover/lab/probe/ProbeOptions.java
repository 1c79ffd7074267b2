package io.drover.lab.probe;

import io.drover.lab.net.Protocol;
import io.drover.model.net.IpFamily;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What to probe and how.
 *
 * @param ports        the ports, each probed on every protocol
 * @param protocols    the protocols, in the order the matrices are printed
 * @param namespaces   probe only pods of these namespaces (clients and servers); empty: all
 * @param timeout      how long one connection attempt (or one UDP exchange) may take before it counts as blocked
 * @param parallelism  how many probes run at once
 * @param totalTimeout a bound on the whole run: probes that have not started by then are not run (and count as
 *                     blocked in the matrix, reported as not run in the summary)
 * @param family       which of a pod's addresses to probe: the first of this family; null for its first address
 */
public record ProbeOptions(
        List<Integer> ports,
        List<Protocol> protocols,
        Set<String> namespaces,
        Duration timeout,
        int parallelism,
        Duration totalTimeout,
        IpFamily family) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(1000);
    public static final int DEFAULT_PARALLELISM = 32;
    public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofMinutes(5);

    public ProbeOptions {
        ports = List.copyOf(ports.stream().distinct().toList());
        protocols = List.copyOf(protocols.stream().distinct().toList());
        namespaces = Set.copyOf(namespaces);
        if (ports.isEmpty() || protocols.isEmpty()) {
            throw new IllegalArgumentException("probe at least one port and one protocol");
        }
        for (int port : ports) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is outside 1-65535");
            }
        }
        if (timeout.isNegative() || timeout.isZero() || totalTimeout.isNegative() || totalTimeout.isZero()) {
            throw new IllegalArgumentException("probe timeouts must be positive");
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("probe parallelism must be at least 1, not " + parallelism);
        }
    }

    /** The defaults of {@code drover probe}: port 80, TCP, all namespaces, 1 s per probe, 32 at once. */
    public static ProbeOptions defaults() {
        return new ProbeOptions(List.of(80), List.of(Protocol.TCP), Set.of(), DEFAULT_TIMEOUT, DEFAULT_PARALLELISM,
                DEFAULT_TOTAL_TIMEOUT, null);
    }

    public ProbeOptions withPorts(List<Integer> newPorts) {
        return new ProbeOptions(newPorts, protocols, namespaces, timeout, parallelism, totalTimeout, family);
    }

    public ProbeOptions withProtocols(List<Protocol> newProtocols) {
        return new ProbeOptions(ports, newProtocols, namespaces, timeout, parallelism, totalTimeout, family);
    }

    public ProbeOptions withNamespaces(Set<String> newNamespaces) {
        return new ProbeOptions(ports, protocols, newNamespaces, timeout, parallelism, totalTimeout, family);
    }

    public ProbeOptions withTimeout(Duration newTimeout) {
        return new ProbeOptions(ports, protocols, namespaces, newTimeout, parallelism, totalTimeout, family);
    }

    public ProbeOptions withParallelism(int newParallelism) {
        return new ProbeOptions(ports, protocols, namespaces, timeout, newParallelism, totalTimeout, family);
    }

    public ProbeOptions withTotalTimeout(Duration newTotalTimeout) {
        return new ProbeOptions(ports, protocols, namespaces, timeout, parallelism, newTotalTimeout, family);
    }

    public ProbeOptions withFamily(IpFamily newFamily) {
        return new ProbeOptions(ports, protocols, namespaces, timeout, parallelism, totalTimeout, newFamily);
    }
}
