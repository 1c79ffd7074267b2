package io.drover.agent.desired;

import io.drover.agent.kernel.Address;
import java.util.List;

/**
 * A network's bridge on the node: the pods' gateway.
 *
 * @param addresses the gateway of each subnet with the subnet's prefix length (10.10.0.1/16, fd00:10::1/64), so that
 *                  the node reaches the whole subnet through the bridge
 * @param alias     marks the bridge as Drover's ({@link Ownership#bridgeAlias})
 */
public record DesiredBridge(String network, String name, int mtu, List<Address> addresses, String alias) {

    public DesiredBridge {
        addresses = List.copyOf(addresses);
    }
}
