package io.drover.model.network;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpFamily;
import java.util.List;
import java.util.Optional;

/**
 * @param subnets       one IPv4 and/or one IPv6 CIDR, e.g. {@code ["10.10.0.0/16", "fd00:10::/64"]}
 * @param gateways      the gateway address of each subnet; defaults to the first host address of the subnet
 * @param ipv4BlockSize prefix length of the per-node IPv4 blocks (default 26: 64 addresses)
 * @param ipv6BlockSize prefix length of the per-node IPv6 blocks (default 122: 64 addresses)
 * @param natOutgoing   masquerade traffic that leaves the network
 * @param mtu           the MTU of pod interfaces (default 1500)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkSpec(
        List<String> subnets,
        List<String> gateways,
        Integer ipv4BlockSize,
        Integer ipv6BlockSize,
        Boolean natOutgoing,
        Integer mtu) {

    public static final int DEFAULT_IPV4_BLOCK_SIZE = 26;
    public static final int DEFAULT_IPV6_BLOCK_SIZE = 122;
    public static final int DEFAULT_MTU = 1500;

    public NetworkSpec {
        subnets = subnets == null ? List.of() : List.copyOf(subnets);
        gateways = gateways == null ? List.of() : List.copyOf(gateways);
    }

    public static NetworkSpec of(String... subnets) {
        return new NetworkSpec(List.of(subnets), null, null, null, null, null);
    }

    public int blockSize(IpFamily family) {
        return family == IpFamily.IPV4
                ? (ipv4BlockSize == null ? DEFAULT_IPV4_BLOCK_SIZE : ipv4BlockSize)
                : (ipv6BlockSize == null ? DEFAULT_IPV6_BLOCK_SIZE : ipv6BlockSize);
    }

    public int effectiveMtu() {
        return mtu == null ? DEFAULT_MTU : mtu;
    }

    public boolean natOutgoingEnabled() {
        return Boolean.TRUE.equals(natOutgoing);
    }

    /** The parsed subnets; call only on a validated spec. */
    public List<Cidr> cidrs() {
        return subnets.stream().map(Cidr::parse).toList();
    }

    public Optional<Cidr> subnet(IpFamily family) {
        return cidrs().stream().filter(c -> c.family() == family).findFirst();
    }

    /** The gateway of the subnet of this family: the explicit one, else the subnet's first host address. */
    public Optional<java.net.InetAddress> gateway(IpFamily family) {
        Optional<Cidr> subnet = subnet(family);
        if (subnet.isEmpty()) {
            return Optional.empty();
        }
        for (String g : gateways) {
            java.net.InetAddress address = io.drover.model.net.IpAddresses.parse(g);
            if (subnet.get().contains(address)) {
                return Optional.of(address);
            }
        }
        return Optional.of(subnet.get().firstHost());
    }
}
