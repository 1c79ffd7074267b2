package io.drover.agent.reconcile;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.Route;
import java.util.List;
import java.util.Map;

/**
 * What the reconciler read of one namespace: its links by name, the addresses of the links it cares about, and
 * (for pod namespaces) the main routing table. A namespace that does not exist yet reads as {@link #ABSENT}.
 *
 * @param exists false for a namespace the agent is about to create
 */
public record NamespaceView(boolean exists, Map<String, Link> links, Map<String, List<Address>> addresses, List<Route> routes) {

    public static final NamespaceView ABSENT = new NamespaceView(false, Map.of(), Map.of(), List.of());

    public NamespaceView {
        links = Map.copyOf(links);
        addresses = Map.copyOf(addresses);
        routes = List.copyOf(routes);
    }

    public Link link(String name) {
        return links.get(name);
    }

    public List<Address> addressesOf(String link) {
        return addresses.getOrDefault(link, List.of());
    }
}
