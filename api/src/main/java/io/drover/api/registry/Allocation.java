package io.drover.api.registry;

import io.drover.model.Resource;
import java.util.List;

/**
 * An object as the server completes it before storing it (a service with its cluster IP, node ports and load
 * balancer address), with the guards that take what it was given and let go of what it no longer holds, in the
 * same transaction as the write.
 */
record Allocation(Resource resource, List<Guard> guards) {

    Allocation {
        guards = List.copyOf(guards);
    }

    static Allocation nothing(Resource resource) {
        return new Allocation(resource, List.of());
    }
}
