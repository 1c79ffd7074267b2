package io.drover.agent.rules;

import static io.drover.agent.rules.DroverTable.*;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What each set and map of the table holds for a node's networks and published ports: the only part of the table
 * that depends on the input. Elements are written in the canonical text {@link SetElement} describes, in the
 * order of the (sorted) input, so that the same input always gives the same text.
 */
final class SetContents {

    private SetContents() {}

    static TableElements of(List<BridgeNetwork> networks, List<PublishedPort> ports, List<InetAddress> peerNodes) {
        Map<String, Set<SetElement>> sets = new LinkedHashMap<>();
        DroverTable.SETS.forEach(s -> sets.put(s.name(), new LinkedHashSet<>()));
        for (InetAddress peer : peerNodes) {
            if (IpFamily.of(peer) == IpFamily.IPV4) {
                sets.get(PEER_NODES4).add(SetElement.of(address(peer), "node"));
            }
        }
        for (BridgeNetwork n : networks) {
            String bridge = ifname(n.bridge());
            String who = "network " + n.network();
            sets.get(BRIDGES).add(SetElement.of(bridge, who));
            sets.get(BRIDGE_PAIRS).add(SetElement.of(bridge + " . " + bridge, who));
            for (Cidr subnet : n.subnets()) {
                boolean v4 = subnet.family() == IpFamily.IPV4;
                String prefix = prefix(subnet);
                sets.get(v4 ? SUBNETS4 : SUBNETS6).add(SetElement.of(prefix, who));
                if (n.natOutgoing()) {
                    sets.get(v4 ? NAT_SUBNETS4 : NAT_SUBNETS6).add(SetElement.of(prefix, who));
                }
                sets.get(v4 ? BRIDGE_NETS4 : BRIDGE_NETS6).add(SetElement.of(bridge + " . " + prefix, who));
            }
        }
        for (PublishedPort p : ports) {
            boolean v4 = p.family() == IpFamily.IPV4;
            String proto = p.protocol().toLowerCase(Locale.ROOT);
            String value = address(p.podIp()) + " . " + p.podPort();
            String comment = "pod " + p.pod();
            if (p.hostIp() == null) {
                sets.get(v4 ? PUBLISHED4 : PUBLISHED6)
                        .add(SetElement.mapping(proto + " . " + p.hostPort(), value, comment));
            } else {
                sets.get(v4 ? PUBLISHED4_ADDR : PUBLISHED6_ADDR)
                        .add(SetElement.mapping(p.hostIp() + " . " + proto + " . " + p.hostPort(), value, comment));
            }
        }
        return new TableElements(sets);
    }

    static String ifname(String name) {
        return NftWriter.quote(name);
    }

    static String address(InetAddress address) {
        return IpAddresses.format(address);
    }

    /** A prefix as nft lists it: a bare address when it covers a single one. */
    static String prefix(Cidr cidr) {
        return cidr.prefixLength() == cidr.family().bits() ? address(cidr.network()) : cidr.toString();
    }
}
