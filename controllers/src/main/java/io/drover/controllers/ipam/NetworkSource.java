package io.drover.controllers.ipam;

import io.drover.api.ResourceRegistry;
import io.drover.model.network.Network;
import java.util.Optional;

/** Where IPAM learns a network's subnets, gateways and block sizes. */
@FunctionalInterface
public interface NetworkSource {

    Optional<Network> network(String name);

    /** Reads each network from the registry: always current, one store read per call. */
    static NetworkSource of(ResourceRegistry registry) {
        return name -> registry.get(Network.class, null, name);
    }
}
