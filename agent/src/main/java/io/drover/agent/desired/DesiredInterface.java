package io.drover.agent.desired;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.Route;
import java.util.List;

/**
 * One interface of a pod: a veth pair whose node end is a port of the network's bridge and whose pod end is
 * {@code name} inside the pod's namespace.
 *
 * @param pod            {@code <namespace>/<pod>}
 * @param netns          the pod's namespace
 * @param podNamespaceOwned whether the agent created {@code netns} (then everything in it is Drover's)
 * @param name           the pod end: eth0, eth1, ... in the order of the pod's networks
 * @param hostName       the node end ({@link InterfaceNames#hostVeth}), at most 15 characters
 * @param network        the network it joins
 * @param bridge         the bridge the node end is a port of
 * @param addresses      the pod's addresses on this network, with their prefix lengths
 * @param routes         the default routes (one per family) through the network's gateway; only eth0 has them
 * @param alias          on the node end: {@code drover:<namespace>/<pod>/<interface>}
 * @param mac            the pod end's MAC address ({@link InterfaceNames#podMac}): known in advance, so that
 *                       spoofguard can pin it
 */
public record DesiredInterface(
        String pod,
        NetNs netns,
        boolean podNamespaceOwned,
        String name,
        String hostName,
        String network,
        String bridge,
        int mtu,
        List<Address> addresses,
        List<Route> routes,
        String alias,
        String mac) {

    public DesiredInterface {
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
    }
}
