package io.drover.agent.rules;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;
import java.net.InetAddress;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What the node's service rules need to know about the node and the cluster, besides the services.
 *
 * @param serviceCidrs      the ranges cluster IPs are allocated from: traffic to an unallocated address in them is
 *                          dropped
 * @param nodeAddresses     the node's primary addresses: a load balancer's source ranges that include one let the node
 *                          itself reach the load-balancer IPs (as kube-proxy does)
 * @param nodePortAddresses the addresses NodePorts answer on; empty for every local address. kube-proxy's nftables
 *                          mode defaults to the primary node addresses, so the lead passes those
 */
public record ServiceNodeConfig(List<Cidr> serviceCidrs, List<InetAddress> nodeAddresses,
        List<InetAddress> nodePortAddresses) {

    public ServiceNodeConfig {
        serviceCidrs = serviceCidrs == null ? List.of() : serviceCidrs.stream().map(Objects::requireNonNull).sorted().toList();
        for (Cidr cidr : serviceCidrs) {
            if (cidr.family() != IpFamily.IPV4) {
                throw new IllegalArgumentException("service CIDR " + cidr + " is IPv6; the node's service rules handle IPv4 only");
            }
        }
        nodeAddresses = ipv4(nodeAddresses, "node address");
        nodePortAddresses = ipv4(nodePortAddresses, "NodePort address");
    }

    public static final ServiceNodeConfig NONE = new ServiceNodeConfig(List.of(), List.of(), List.of());

    private static List<InetAddress> ipv4(List<InetAddress> addresses, String what) {
        if (addresses == null) {
            return List.of();
        }
        for (InetAddress a : addresses) {
            if (IpFamily.of(Objects.requireNonNull(a)) != IpFamily.IPV4) {
                throw new IllegalArgumentException(what + " " + IpAddresses.format(a)
                        + " is IPv6; the node's service rules handle IPv4 only");
            }
        }
        return addresses.stream().distinct().sorted(Comparator.comparing(IpAddresses::toBigInteger)).toList();
    }
}
