package io.drover.agent.desired;

import io.drover.agent.kernel.Address;
import java.util.List;

/**
 * A network's bridge on the node: the pods' gateway. Also the device holding the node's load-balancer addresses
 * ({@link LoadBalancerAnnouncements}), a bridge without ports and without network.
 *
 * @param network   the network, or null for the load-balancer device
 * @param addresses the gateway of each subnet with the subnet's prefix length (10.10.0.1/16, fd00:10::1/64), so that
 *                  the node reaches the whole subnet through the bridge
 * @param alias     marks the bridge as Drover's ({@link Ownership#bridgeAlias}, {@link Ownership#ANNOUNCE_ALIAS})
 * @param mac       the bridge's fixed MAC ({@link InterfaceNames#bridgeMac}); null to leave it to the kernel (the
 *                  load-balancer device, which has no ports)
 */
public record DesiredBridge(String network, String name, int mtu, List<Address> addresses, String alias, String mac) {

    public DesiredBridge {
        addresses = List.copyOf(addresses);
    }
}
