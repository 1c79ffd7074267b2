package io.drover.server.registry;

import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The healthy endpoints of one service (those that take traffic), in a stable order so that sets compare equal. */
final class HealthySet {

    private static final Comparator<HealthyEndpoint> ORDER = Comparator.comparing(HealthyEndpoint::address)
            .thenComparing(e -> e.ports().toString());

    private HealthySet() {}

    static List<HealthyEndpoint> of(ServiceEndpoints endpoints) {
        if (endpoints == null) {
            return List.of();
        }
        Map<String, RegisteredInstance> instances = InstanceStore.instancesOf(endpoints);
        List<HealthyEndpoint> out = new ArrayList<>();
        for (ServiceEndpoint e : endpoints.endpoints()) {
            if (e.readyForTraffic()) {
                String id = instances.entrySet().stream().filter(i -> i.getValue().isEndpoint(e))
                        .map(Map.Entry::getKey).findFirst().orElse(null);
                out.add(HealthyEndpoint.of(e, id));
            }
        }
        out.sort(ORDER);
        return List.copyOf(out);
    }
}
