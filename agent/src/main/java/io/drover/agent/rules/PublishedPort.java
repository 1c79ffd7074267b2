package io.drover.agent.rules;

import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;
import java.net.InetAddress;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A pod port published on the node, as Docker's {@code -p [hostIP:]hostPort:containerPort[/proto]}: traffic to
 * {@code hostIp:hostPort} (any local address of the pod's family when {@code hostIp} is null) is DNATed to
 * {@code podIp:podPort}. One entry per pod address family: a dual-stack pod publishes twice.
 *
 * @param hostIp   the node address to publish on, canonical; null for every node address of {@code podIp}'s family
 *                 ({@code 0.0.0.0} and {@code ::} mean the same and are stored as null)
 * @param hostPort 1-65535
 * @param protocol TCP, UDP or SCTP (upper case; lower case input is accepted)
 * @param podIp    the pod address that receives the traffic
 * @param podPort  1-65535
 * @param pod      {@code namespace/name}, for comments and error messages
 */
public record PublishedPort(String hostIp, int hostPort, String protocol, InetAddress podIp, int podPort, String pod) {

    public static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");

    /** The order the table lists ports in: by family, host address (every address first), protocol, port. */
    static final Comparator<PublishedPort> ORDER = Comparator
            .comparing((PublishedPort p) -> p.family())
            .thenComparing(p -> p.hostIp == null ? "" : hostIpSortKey(p.hostIp))
            .thenComparing(PublishedPort::protocol)
            .thenComparingInt(PublishedPort::hostPort)
            .thenComparing(p -> IpAddresses.toBigInteger(p.podIp))
            .thenComparingInt(PublishedPort::podPort)
            .thenComparing(PublishedPort::pod);

    public PublishedPort {
        Objects.requireNonNull(podIp, "podIp");
        Objects.requireNonNull(protocol, "protocol");
        pod = pod == null ? "" : pod;
        protocol = protocol.toUpperCase(Locale.ROOT);
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException("protocol '" + protocol + "' of " + pod
                    + " cannot be published: use TCP, UDP or SCTP");
        }
        checkPort("hostPort", hostPort, pod);
        checkPort("port", podPort, pod);
        if (hostIp != null && hostIp.isBlank()) {
            hostIp = null;
        }
        if (hostIp != null) {
            InetAddress host = IpAddresses.parse(hostIp);
            if (IpFamily.of(host) != IpFamily.of(podIp)) {
                throw new IllegalArgumentException("hostIP " + hostIp + " of " + pod + " is " + name(IpFamily.of(host))
                        + " but the pod address " + IpAddresses.format(podIp) + " is " + name(IpFamily.of(podIp))
                        + ": nftables cannot translate between families; publish on an address of the pod's family");
            }
            hostIp = host.isAnyLocalAddress() ? null : IpAddresses.format(host);
        }
        if (podIp.isAnyLocalAddress()) {
            throw new IllegalArgumentException("the pod address of " + pod + " is unspecified ("
                    + IpAddresses.format(podIp) + "); publish to the pod's own address");
        }
    }

    private static void checkPort(String field, int port, String pod) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(field + " " + port + " of " + pod + " is outside 1-65535");
        }
    }

    public IpFamily family() {
        return IpFamily.of(podIp);
    }

    /** How a person names the published side: {@code TCP port 8080 on every IPv4 address of the node}. */
    public String describeHostSide() {
        return protocol + " port " + hostPort + " on "
                + (hostIp == null ? "every " + name(family()) + " address of the node" : hostIp);
    }

    /** The pod side, {@code 10.10.0.7:80} or {@code [fd00:10::7]:80}. */
    public String describePodSide() {
        String address = IpAddresses.format(podIp);
        return (family() == IpFamily.IPV6 ? "[" + address + "]" : address) + ":" + podPort;
    }

    private static String name(IpFamily family) {
        return family == IpFamily.IPV4 ? "IPv4" : "IPv6";
    }

    private static String hostIpSortKey(String hostIp) {
        // Fixed width, so that string order is numeric order.
        return String.format("%040x", IpAddresses.toBigInteger(IpAddresses.parse(hostIp)));
    }
}
