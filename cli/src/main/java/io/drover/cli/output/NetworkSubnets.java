package io.drover.cli.output;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import java.util.List;

/**
 * What each subnet of a network effectively gets: its gateway (explicit or the first host address) and the
 * per-node block size of its family. Output must never fail on an odd stored value, so a subnet that does not
 * parse is shown as it is, with unknown gateway and block size.
 */
public final class NetworkSubnets {

    public record Subnet(String cidr, String gateway, String blockSize) {}

    private NetworkSubnets() {}

    public static NetworkSpec spec(Network network) {
        return network.spec() == null ? new NetworkSpec(null, null, null, null, null, null) : network.spec();
    }

    public static List<Subnet> of(Network network) {
        NetworkSpec spec = spec(network);
        return spec.subnets().stream().map(text -> subnet(spec, text)).toList();
    }

    private static Subnet subnet(NetworkSpec spec, String text) {
        Cidr cidr;
        try {
            cidr = Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            return new Subnet(text, Age.UNKNOWN, Age.UNKNOWN);
        }
        String block = "/" + spec.blockSize(cidr.family());
        try {
            String gateway = spec.gateway(cidr.family()).map(IpAddresses::format).orElse(Age.UNKNOWN);
            return new Subnet(text, gateway, block);
        } catch (IllegalArgumentException e) {
            return new Subnet(text, Age.UNKNOWN, block);
        }
    }
}
