package io.drover.agent.node;

import io.drover.agent.desired.CrossNodeConfig;
import io.drover.agent.desired.CrossNodeMode;
import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.NetNs;
import io.drover.model.net.Cidr;
import java.net.InetAddress;

/**
 * Finds the node's underlay in its namespace: the interface that holds the node's address, its subnet and its MTU.
 * Read once when the agent starts; a node whose underlay address is on no interface cannot route to other nodes, and
 * says so instead of programming routes that would never work.
 */
public final class Underlay {

    private Underlay() {}

    public static CrossNodeConfig discover(Kernel kernel, NetNs nodeNs, CrossNodeMode mode, InetAddress address, int vni) {
        if (mode == CrossNodeMode.NONE) {
            return CrossNodeConfig.SINGLE_HOST;
        }
        for (Link link : kernel.links(nodeNs)) {
            for (Address a : kernel.addresses(nodeNs, link.name())) {
                if (a.ip().equals(address)) {
                    Cidr subnet = Cidr.containing(a.ip(), a.prefixLength());
                    return new CrossNodeConfig(mode, address, subnet, link.mtu(), vni, link.name());
                }
            }
        }
        throw new IllegalStateException("no interface of this node holds its underlay address " + address.getHostAddress()
                + ", so " + mode.label() + " mode has nothing to route through; give --address one of the node's own"
                + " addresses (ip -br addr shows them)");
    }
}
