package io.drover.controllers.ipam;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpFamily;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The block layouts of a network, one per subnet, IPv4 first: an allocation takes one address from each. */
public record NetworkLayout(String network, List<BlockLayout> layouts) {

    public NetworkLayout {
        layouts = layouts.stream().sorted(Comparator.comparing(BlockLayout::family)).toList();
    }

    /** Reads the network's spec; a spec IPAM cannot serve is refused with a message naming the field. */
    public static NetworkLayout of(Network network) {
        String name = network.name();
        NetworkSpec spec = network.spec();
        if (spec == null || spec.subnets().isEmpty()) {
            throw new IpamException(IpamException.Reason.INVALID, "network " + name + " has no subnets: set spec.subnets, e.g. [\"10.10.0.0/16\"]");
        }
        List<BlockLayout> layouts = new ArrayList<>();
        try {
            for (Cidr subnet : spec.cidrs()) {
                if (layouts.stream().anyMatch(l -> l.family() == subnet.family())) {
                    throw new IllegalArgumentException("it has more than one " + subnet.family() + " subnet; IPAM serves one per family");
                }
                InetAddress gateway = spec.gateway(subnet.family()).orElseThrow();
                layouts.add(BlockLayout.of(subnet, spec.blockSize(subnet.family()), gateway));
            }
        } catch (IllegalArgumentException e) {
            throw new IpamException(IpamException.Reason.INVALID, "network " + name + " cannot be served: " + e.getMessage());
        }
        return new NetworkLayout(name, layouts);
    }

    public Optional<BlockLayout> layout(IpFamily family) {
        return layouts.stream().filter(l -> l.family() == family).findFirst();
    }
}
