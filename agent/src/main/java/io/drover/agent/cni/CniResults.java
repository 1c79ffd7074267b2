package io.drover.agent.cni;

import io.drover.agent.cni.Plumbing.Plumbed;
import io.drover.agent.desired.DesiredInterface;
import io.drover.agent.kernel.Address;
import io.drover.cni.CniResult;
import io.drover.cni.CniResult.Dns;
import io.drover.cni.CniResult.Interface;
import io.drover.cni.CniResult.IpConfig;
import io.drover.cni.CniResult.Route;
import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ADD result of a plumbed pod, as chained plugins need it: the host veth first (no sandbox: bandwidth finds the
 * host side there), the container interface second with its sandbox (the namespace path: portmap finds the container
 * addresses through it), the addresses pointing at the container interface, one default route per family through the
 * network's gateway. Everything is what the kernel has, as the agent made it.
 */
final class CniResults {

    static final int CONTAINER_INTERFACE = 1;

    private CniResults() {}

    static CniResult of(Plumbed plumbed, String netns, Dns dns) {
        DesiredInterface wanted = plumbed.wanted();
        List<Interface> interfaces = List.of(
                new Interface(plumbed.host().name(), plumbed.host().mac(), plumbed.host().mtu(), null, null, null),
                new Interface(plumbed.container().name(), plumbed.container().mac(), plumbed.container().mtu(), netns,
                        null, null));
        List<IpConfig> ips = new ArrayList<>();
        for (Address a : wanted.addresses()) {
            String gateway = gateway(wanted, IpFamily.of(a.ip())).orElse(null);
            ips.add(new IpConfig(CONTAINER_INTERFACE, a.toString(), gateway));
        }
        List<Route> routes = new ArrayList<>();
        for (io.drover.agent.kernel.Route r : wanted.routes()) {
            routes.add(new Route(r.destination().toString(), r.gateway() == null ? null : IpAddresses.format(r.gateway())));
        }
        return new CniResult(interfaces, ips, routes, dns);
    }

    private static Optional<String> gateway(DesiredInterface wanted, IpFamily family) {
        return wanted.routes().stream()
                .filter(r -> r.gateway() != null && IpFamily.of(r.gateway()) == family)
                .map(r -> IpAddresses.format(r.gateway()))
                .findFirst();
    }
}
