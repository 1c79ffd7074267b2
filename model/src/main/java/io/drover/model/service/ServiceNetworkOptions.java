package io.drover.model.service;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpFamily;
import java.util.List;
import java.util.Objects;

/**
 * Where services get their addresses and ports, as the server is configured ({@code drover server
 * --service-cidr --node-port-range --load-balancer-pool}).
 *
 * @param serviceCidr       cluster IPs come from here (IPv4; {@value #DEFAULT_SERVICE_CIDR} by default)
 * @param nodePorts         node ports come from here
 * @param loadBalancerPools load balancer addresses come from these, in order; none: LoadBalancer services are
 *                          refused
 */
public record ServiceNetworkOptions(Cidr serviceCidr, NodePortRange nodePorts, List<AddressPool> loadBalancerPools) {

    public static final String DEFAULT_SERVICE_CIDR = "10.96.0.0/16";
    public static final ServiceNetworkOptions DEFAULTS = new ServiceNetworkOptions(Cidr.parse(DEFAULT_SERVICE_CIDR),
            NodePortRange.DEFAULT, List.of());

    public ServiceNetworkOptions {
        Objects.requireNonNull(serviceCidr, "serviceCidr");
        Objects.requireNonNull(nodePorts, "nodePorts");
        loadBalancerPools = loadBalancerPools == null ? List.of() : List.copyOf(loadBalancerPools);
        if (serviceCidr.family() != IpFamily.IPV4) {
            throw new IllegalArgumentException("service CIDR " + serviceCidr + " is IPv6, and Drover's services are "
                    + "IPv4 only for now; give an IPv4 CIDR, e.g. " + DEFAULT_SERVICE_CIDR);
        }
        if (serviceCidr.prefixLength() > 30) {
            throw new IllegalArgumentException("service CIDR " + serviceCidr + " is too small: it must leave at least "
                    + "two addresses for services; give a prefix of /30 or shorter, e.g. " + DEFAULT_SERVICE_CIDR);
        }
    }

    /** Parses the service CIDR flag's value; the message says what to write. */
    public static Cidr parseServiceCidr(String text) {
        try {
            return Cidr.parse(text == null ? null : text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("service CIDR: " + e.getMessage() + "; give an IPv4 CIDR, e.g. "
                    + DEFAULT_SERVICE_CIDR);
        }
    }

    public ServiceNetworkOptions withServiceCidr(Cidr cidr) {
        return new ServiceNetworkOptions(cidr, nodePorts, loadBalancerPools);
    }

    public ServiceNetworkOptions withNodePorts(NodePortRange range) {
        return new ServiceNetworkOptions(serviceCidr, range, loadBalancerPools);
    }

    public ServiceNetworkOptions withLoadBalancerPools(List<AddressPool> pools) {
        return new ServiceNetworkOptions(serviceCidr, nodePorts, pools);
    }
}
