package io.drover.server.registry;

import io.drover.api.ResourceRegistry;
import io.drover.model.ResourceKind;
import io.drover.model.meta.LabelSelector;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServicePort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Answers the registry's read requests: the service list, and one service's healthy set (blocking if asked). */
final class ServiceAnswers {

    /** One service's healthy endpoints and the index of that answer. */
    record HealthyAnswer(List<HealthyEndpoint> endpoints, long index) {}

    private final ResourceRegistry registry;
    private final HealthySetIndex index;

    ServiceAnswers(ResourceRegistry registry, HealthySetIndex index) {
        this.registry = registry;
        this.index = index;
    }

    /** Every service with its address, ports and healthy/total endpoint counts, sorted by namespace and name. */
    List<Map<String, Object>> list() {
        List<Service> services = registry.<Service>list(ResourceKind.SERVICE, null, LabelSelector.everything()).items();
        Map<String, ServiceEndpoints> endpoints = new HashMap<>();
        registry.<ServiceEndpoints>list(ResourceKind.SERVICE_ENDPOINTS, null, LabelSelector.everything()).items()
                .forEach(e -> endpoints.put(HealthySetIndex.key(e.namespace(), e.name()), e));
        List<Map<String, Object>> out = new ArrayList<>();
        services.stream().sorted(Comparator.comparing(Service::namespace).thenComparing(Service::name)).forEach(s -> {
            ServiceEndpoints e = endpoints.get(HealthySetIndex.key(s.namespace(), s.name()));
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("namespace", s.namespace());
            item.put("name", s.name());
            item.put("type", s.spec().effectiveType().yamlName());
            item.put("clusterIP", s.spec().clusterAddress().orElse(null));
            List<Map<String, Object>> ports = new ArrayList<>();
            for (ServicePort p : s.spec().portList()) {
                Map<String, Object> port = new LinkedHashMap<>();
                port.put("name", p.name() == null ? "" : p.name());
                port.put("port", p.port());
                port.put("protocol", p.effectiveProtocol());
                ports.add(port);
            }
            item.put("ports", ports);
            item.put("selector", s.spec().hasSelector());
            item.put("healthyEndpoints", HealthySet.of(e).size());
            item.put("totalEndpoints", e == null ? 0 : e.endpoints().size());
            out.add(item);
        });
        return out;
    }

    /**
     * The service's healthy endpoints; with {@code query.index() > 0}, waits (at most {@code query.maxWait()}) until the
     * answer's index passes it. The stored object is the answer (so a write this server acknowledged is seen at once);
     * the watch-fed {@link HealthySetIndex} gives the index the set changed at and wakes the wait.
     */
    HealthyAnswer healthy(String namespace, String name, BlockingQuery query) throws InterruptedException {
        long deadline = System.nanoTime() + query.maxWait().toNanos();
        while (true) {
            Service service = registry.get(Service.class, namespace, name)
                    .orElseThrow(() -> RegistryProblem.unknownService(namespace, name));
            var seen = index.entry(namespace, name);
            ServiceEndpoints stored = registry.get(ServiceEndpoints.class, namespace, name).orElse(null);
            List<HealthyEndpoint> healthy = HealthySet.of(stored);
            long current;
            if (seen.isPresent() && seen.get().healthy().equals(healthy)) {
                current = seen.get().index();
            } else if (stored != null) {
                current = Long.parseLong(stored.metadata().resourceVersion()); // the watch has not caught up yet
            } else {
                current = Long.parseLong(service.metadata().resourceVersion()); // nothing registered yet
            }
            long left = deadline - System.nanoTime();
            if (!query.blocks() || current > query.index() || left <= 0 || index.isClosed()) {
                return new HealthyAnswer(healthy, current);
            }
            try {
                index.nextChange(namespace, name, seen.orElse(null)).get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // answer with the unchanged set, as Consul does when the wait ends
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }
}
