package io.drover.server.registry;

import io.drover.api.ApiException;
import io.drover.api.ResourceRegistry;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServiceType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Registers, refreshes and deregisters external instances of a selector-less service, and applies their TTLs:
 * each instance is an annotation on the service's {@code ServiceEndpoints} ({@link RegisteredInstance}) plus its
 * entry in the endpoint list. Every write is compare-and-swap on the stored object, retried when another write
 * (another instance, another server, the TTL expirer) landed in between.
 */
final class InstanceStore {

    private static final int ATTEMPTS = 20;

    private final ResourceRegistry registry;
    private final Clock clock;

    InstanceStore(ResourceRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Registers (or re-registers, replacing its address and ports) instance {@code id}; it is passing from now. */
    void register(String namespace, String name, String id, InstanceRegistration registration) {
        InstanceRegistration.checkId(id);
        requireSelectorlessService(namespace, name);
        update(namespace, name, instances -> {
            Instant now = clock.instant();
            RegisteredInstance mine = RegisteredInstance.of(registration, now);
            instances.forEach((otherId, other) -> {
                if (!otherId.equals(id) && other.address().equals(mine.address()) && other.ports().equals(mine.ports())) {
                    throw new RegistryProblem(409, "instance " + otherId + " of service " + namespace + "/" + name
                            + " already registers " + mine.address() + " with the same ports; refresh that instance, "
                            + "or deregister it before registering this one");
                }
            });
            instances.put(id, mine);
            return instances;
        });
    }

    /** Refreshes instance {@code id}'s TTL (Consul's check pass): it is passing again until the TTL elapses. */
    void refresh(String namespace, String name, String id) {
        InstanceRegistration.checkId(id);
        requireSelectorlessService(namespace, name);
        update(namespace, name, instances -> {
            RegisteredInstance instance = instances.get(id);
            if (instance == null) {
                throw unknownInstance(namespace, name, id);
            }
            instances.put(id, instance.refreshed(clock.instant()));
            return instances;
        });
    }

    void deregister(String namespace, String name, String id) {
        InstanceRegistration.checkId(id);
        registry.get(Service.class, namespace, name).orElseThrow(() -> RegistryProblem.unknownService(namespace, name));
        update(namespace, name, instances -> {
            if (instances.remove(id) == null) {
                throw unknownInstance(namespace, name, id);
            }
            return instances;
        });
    }

    /**
     * Brings the endpoints of the instances of {@code stored} in line with their TTLs as of now: failing ones leave
     * the healthy set, expired ones are removed. Writes only when something changed. For the leader's expirer.
     */
    void applyTtls(ServiceEndpoints stored) {
        if (instancesOf(stored).isEmpty()) {
            return;
        }
        update(stored.namespace(), stored.name(), instances -> {
            Instant now = clock.instant();
            instances.values().removeIf(i -> i.stateAt(now) == RegisteredInstance.State.EXPIRED);
            return instances;
        });
    }

    private static RegistryProblem unknownInstance(String namespace, String name, String id) {
        return new RegistryProblem(404, "service " + namespace + "/" + name + " has no instance " + id
                + " (never registered, deregistered, or removed " + RegisteredInstance.REMOVE_AFTER_TTLS
                + " TTLs after its last refresh); register it again with PUT .../instances/" + id);
    }

    private Service requireSelectorlessService(String namespace, String name) {
        Service service = registry.get(Service.class, namespace, name)
                .orElseThrow(() -> RegistryProblem.unknownService(namespace, name));
        if (service.spec().hasSelector()) {
            throw new RegistryProblem(409, "service " + namespace + "/" + name + " has a selector "
                    + service.spec().selectorLabels() + ", so its endpoints are the pods it selects; register instances "
                    + "on a Service without a selector");
        }
        if (service.spec().effectiveType() == ServiceType.EXTERNAL_NAME) {
            throw new RegistryProblem(409, "service " + namespace + "/" + name + " is an ExternalName service (an "
                    + "alias with no endpoints); register instances on a Service without a selector of another type");
        }
        return service;
    }

    /** The instances stored on {@code endpoints}, by id (an unreadable annotation is skipped: it was not ours to write). */
    static Map<String, RegisteredInstance> instancesOf(ServiceEndpoints endpoints) {
        // Sorted by id, so that the endpoint list comes out the same each time it is computed.
        Map<String, RegisteredInstance> out = new TreeMap<>();
        endpoints.metadata().annotations().forEach((key, value) -> {
            if (key.startsWith(RegisteredInstance.ANNOTATION_PREFIX)) {
                try {
                    out.put(key.substring(RegisteredInstance.ANNOTATION_PREFIX.length()),
                            RegisteredInstance.fromAnnotation(value));
                } catch (RuntimeException e) {
                    // someone wrote the annotation by hand; leave it and its endpoint alone
                }
            }
        });
        return out;
    }

    /**
     * Reads the stored endpoints (or none), lets {@code change} edit the instances, and writes the instances'
     * annotations and endpoints back (other annotations and endpoints registered by hand are kept), retrying on a
     * conflicting write.
     */
    private void update(String namespace, String name, UnaryOperator<Map<String, RegisteredInstance>> change) {
        for (int attempt = 1; ; attempt++) {
            Optional<ServiceEndpoints> stored = registry.get(ServiceEndpoints.class, namespace, name);
            Map<String, RegisteredInstance> before = stored.map(InstanceStore::instancesOf).orElse(Map.of());
            Map<String, RegisteredInstance> after = change.apply(new TreeMap<>(before));
            ServiceEndpoints wanted = withInstances(stored.orElse(null), namespace, name, before, after, clock.instant());
            if (stored.isPresent() && stored.get().endpoints().equals(wanted.endpoints())
                    && stored.get().metadata().annotations().equals(wanted.metadata().annotations())) {
                return;
            }
            try {
                if (stored.isEmpty()) {
                    registry.create(wanted);
                } else {
                    registry.replace(wanted);
                }
                return;
            } catch (ApiException e) {
                boolean raced = e.reason() == ApiException.Reason.CONFLICT || e.reason() == ApiException.Reason.ALREADY_EXISTS
                        || e.reason() == ApiException.Reason.NOT_FOUND;
                if (!raced || attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static ServiceEndpoints withInstances(ServiceEndpoints stored, String namespace, String name,
            Map<String, RegisteredInstance> before, Map<String, RegisteredInstance> after, Instant now) {
        List<ServiceEndpoint> endpoints = new ArrayList<>();
        if (stored != null) {
            for (ServiceEndpoint e : stored.endpoints()) {
                if (before.values().stream().noneMatch(i -> i.isEndpoint(e))) {
                    endpoints.add(e); // registered by hand, not through the registry
                }
            }
        }
        after.values().forEach(i -> endpoints.add(i.endpointAt(now)));
        Map<String, String> annotations = new HashMap<>();
        if (stored != null) {
            stored.metadata().annotations().forEach((k, v) -> {
                if (!k.startsWith(RegisteredInstance.ANNOTATION_PREFIX) || !before.containsKey(
                        k.substring(RegisteredInstance.ANNOTATION_PREFIX.length()))) {
                    annotations.put(k, v);
                }
            });
        }
        after.forEach((id, i) -> annotations.put(RegisteredInstance.annotationKey(id), i.toAnnotation()));
        ObjectMeta meta = stored == null ? ObjectMeta.named(namespace, name) : stored.metadata();
        ObjectMeta newMeta = new ObjectMeta(meta.name(), meta.namespace(), meta.labels(), annotations, meta.uid(),
                meta.resourceVersion(), meta.creationTimestamp());
        return stored == null ? ServiceEndpoints.of(newMeta, endpoints) : stored.withMetadata(newMeta).withEndpoints(endpoints);
    }
}
