package io.drover.agent.rules;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One port of one service, with its endpoints: what the node's nftables table needs to balance it, with
 * kube-proxy's semantics. The agent builds one per service port from the model; the rules never read the model.
 *
 * @param namespace                the service's namespace
 * @param name                     the service's name
 * @param portName                 the port's name; empty for a service's single unnamed port
 * @param protocol                 TCP, UDP or SCTP
 * @param port                     the service port, on the cluster IPs, external IPs and load-balancer IPs
 * @param clusterIps               the cluster IPs (none for a headless service, which the proxy ignores)
 * @param nodePort                 the NodePort, 0 for none
 * @param externalIps              spec.externalIPs
 * @param loadBalancerIps          the load balancer's ingress addresses
 * @param loadBalancerSourceRanges the only sources allowed to the load-balancer IPs; empty for every source
 * @param externalTrafficPolicy    LOCAL: traffic from outside the cluster keeps its source and goes to local
 *                                 endpoints only
 * @param internalTrafficPolicy    LOCAL: traffic to the cluster IPs goes to local endpoints only
 * @param affinityTimeout          sessionAffinity ClientIP with this timeout, or null for no affinity
 * @param algorithm                how a new connection chooses its endpoint
 * @param endpoints                the endpoints, ready or not, in any order
 */
public record ServiceRuleInput(String namespace, String name, String portName, String protocol, int port,
        List<InetAddress> clusterIps, int nodePort, List<InetAddress> externalIps, List<InetAddress> loadBalancerIps,
        List<Cidr> loadBalancerSourceRanges, TrafficPolicy externalTrafficPolicy, TrafficPolicy internalTrafficPolicy,
        Duration affinityTimeout, Algorithm algorithm, List<ServiceEndpoint> endpoints) {

    public enum TrafficPolicy { CLUSTER, LOCAL }

    /** The Drover extension to kube-proxy's random choice. */
    public enum Algorithm { RANDOM, ROUND_ROBIN, WEIGHTED, SOURCE_HASH }

    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");
    /** Kubernetes' names (DNS labels and subdomains, port names): also what nft takes in a chain name. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");

    public ServiceRuleInput {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        portName = portName == null ? "" : portName;
        String who = namespace + "/" + name + (portName.isEmpty() ? "" : ":" + portName);
        requireName(namespace, "namespace", who);
        requireName(name, "name", who);
        if (!portName.isEmpty()) {
            requireName(portName, "port name", who);
        }
        protocol = protocol == null ? "TCP" : protocol.toUpperCase(Locale.ROOT);
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException("service " + who + " has protocol " + protocol + "; use TCP, UDP or SCTP");
        }
        requirePort(port, "port", who);
        if (nodePort != 0) {
            requirePort(nodePort, "nodePort", who);
        }
        clusterIps = ipv4(clusterIps, "cluster IP", who);
        externalIps = ipv4(externalIps, "external IP", who);
        loadBalancerIps = ipv4(loadBalancerIps, "load-balancer IP", who);
        loadBalancerSourceRanges = loadBalancerSourceRanges == null ? List.of()
                : loadBalancerSourceRanges.stream().map(Objects::requireNonNull).sorted().distinct().toList();
        for (Cidr range : loadBalancerSourceRanges) {
            if (range.family() != IpFamily.IPV4) {
                throw new IllegalArgumentException("service " + who + " has source range " + range
                        + "; the node's service rules handle IPv4 only");
            }
        }
        externalTrafficPolicy = externalTrafficPolicy == null ? TrafficPolicy.CLUSTER : externalTrafficPolicy;
        internalTrafficPolicy = internalTrafficPolicy == null ? TrafficPolicy.CLUSTER : internalTrafficPolicy;
        if (affinityTimeout != null && (affinityTimeout.toSeconds() < 1 || affinityTimeout.toSeconds() > 86_400)) {
            throw new IllegalArgumentException("service " + who + " has a ClientIP affinity timeout of "
                    + affinityTimeout.toSeconds() + "s; Kubernetes allows 1 to 86400 seconds");
        }
        algorithm = algorithm == null ? Algorithm.RANDOM : algorithm;
        endpoints = endpoints == null ? List.of()
                : endpoints.stream().map(Objects::requireNonNull).distinct().sorted(ServiceEndpoint.ORDER).toList();
    }

    /** {@code ns/name:port} (or {@code ns/name:tcp/80} for an unnamed port), for comments and messages. */
    public String displayName() {
        return namespace + "/" + name + ":" + (portName.isEmpty() ? protocolName() + "/" + port : portName);
    }

    /** The protocol as nft spells it. */
    String protocolName() {
        return protocol.toLowerCase(Locale.ROOT);
    }

    /** Whether traffic from outside the cluster can reach it at all (NodePort, external or load-balancer IPs). */
    boolean externallyReachable() {
        return nodePort != 0 || !externalIps.isEmpty() || !loadBalancerIps.isEmpty();
    }

    private static void requireName(String value, String what, String who) {
        if (!NAME.matcher(value).matches() || value.length() > 253) {
            throw new IllegalArgumentException("service " + who + " has " + what + " '" + value
                    + "'; use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit");
        }
    }

    private static void requirePort(int port, String what, String who) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("service " + who + " has " + what + " " + port
                    + "; a port is between 1 and 65535");
        }
    }

    private static List<InetAddress> ipv4(List<InetAddress> addresses, String what, String who) {
        if (addresses == null) {
            return List.of();
        }
        for (InetAddress a : addresses) {
            if (IpFamily.of(Objects.requireNonNull(a)) != IpFamily.IPV4) {
                throw new IllegalArgumentException("service " + who + " has " + what + " " + IpAddresses.format(a)
                        + "; the node's service rules handle IPv4 only");
            }
        }
        return addresses.stream().distinct().sorted(java.util.Comparator.comparing(IpAddresses::toBigInteger)).toList();
    }
}
