package io.drover.agent.desired;

import io.drover.agent.rules.ServiceRuleInput;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoints;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which services changed since the last look, and their ports now: kube-proxy's change trackers, for an agent whose
 * mirrors hand out whole lists. The mirrors keep an object as long as it is unchanged in the store and replace it when
 * it changes, so a service whose {@link Service} and {@link ServiceEndpoints} objects are the very ones seen last
 * time has not changed: recognised by identity ({@link SeenObjects}), without reading the object. Only the others are
 * computed again ({@link ServiceCalculator#portsOf}), and a service whose ports come out equal (an endpoints object
 * written again with the same content) is no change either.
 *
 * <p>Not thread-safe: {@link ServiceCalculator} calls it under its own lock.
 */
final class ServiceChangeTracker {

    private String nodeName;
    private final SeenObjects<Service> services = new SeenObjects<>(s -> s.namespace() + "/" + s.name());
    private final SeenObjects<ServiceEndpoints> endpoints = new SeenObjects<>(e -> e.namespace() + "/" + e.name());
    /** Each service's ports as last handed out; a service without any is absent. */
    private final Map<String, List<ServiceRuleInput>> ports = new HashMap<>();
    /** Services whose objects changed and whose ports are yet to be handed out (a failed look leaves them here). */
    private final Set<String> dirty = new HashSet<>();

    /**
     * The services whose ports changed since the last call, by {@code namespace/name}: their ports now, empty for a
     * service that is gone or has nothing to balance.
     *
     * @param services  every service of the cluster, each once
     * @param endpoints every service's endpoints object, each once
     */
    Map<String, List<ServiceRuleInput>> changes(String nodeName, Collection<Service> services,
            Collection<ServiceEndpoints> endpoints) {
        if (!nodeName.equals(this.nodeName)) {
            // Which endpoints are local depends on the node: every service is computed again.
            this.nodeName = nodeName;
            this.services.clear();
            this.endpoints.clear();
            dirty.addAll(ports.keySet());
        }
        this.services.update(services, dirty);
        this.endpoints.update(endpoints, dirty);
        Map<String, List<ServiceRuleInput>> changed = new LinkedHashMap<>();
        for (String key : dirty) {
            Service service = this.services.get(key);
            List<ServiceRuleInput> now = service == null ? List.of()
                    : ServiceCalculator.portsOf(nodeName, service, this.endpoints.get(key));
            if (!now.equals(ports.getOrDefault(key, List.of()))) {
                changed.put(key, now);
            }
        }
        // Only once every changed service is computed: should one fail, all of them are looked at again next time.
        changed.forEach((key, now) -> {
            if (now.isEmpty()) {
                ports.remove(key);
            } else {
                ports.put(key, now);
            }
        });
        dirty.clear();
        return changed;
    }
}
