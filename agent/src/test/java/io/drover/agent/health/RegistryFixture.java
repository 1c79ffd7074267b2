package io.drover.agent.health;

import io.drover.api.ResourceRegistry;
import io.drover.api.registry.StoreResourceRegistry;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.policy.PortReference;
import io.drover.model.service.EndpointHealth;
import io.drover.model.service.HealthCheck;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A real registry on SQLite for the health tests without root, seen through a proxy that counts replaces and can be
 * made to fail them, as an unreachable API would.
 */
final class RegistryFixture implements AutoCloseable {

    static final String NS = "default";

    final SqliteKeyValueStore store;
    final StoreResourceRegistry real;
    final AtomicInteger replaces = new AtomicInteger();
    /** When set, every replace throws what it supplies. */
    volatile Supplier<RuntimeException> failReplaces;
    final ResourceRegistry registry;

    RegistryFixture(Path dir) {
        store = SqliteKeyValueStore.open(dir);
        real = new StoreResourceRegistry(store);
        real.ensureDefaults();
        registry = (ResourceRegistry) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ResourceRegistry.class}, (proxy, method, args) -> {
                    if (method.getName().equals("replace")) {
                        replaces.incrementAndGet();
                        Supplier<RuntimeException> failure = failReplaces;
                        if (failure != null) {
                            throw failure.get();
                        }
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Service {@code default/NAME} without a selector (its endpoints are the test's to write) with {@code check}. */
    Service service(String name, HealthCheck check) {
        return real.create(Service.of(ObjectMeta.named(NS, name), ServiceSpec.builder()
                .ports(ServicePort.tcp("web", 80, PortReference.number(8080))).healthCheck(check).build()));
    }

    ServiceEndpoints endpoints(String service, ServiceEndpoint... endpoints) {
        return real.create(ServiceEndpoints.of(ObjectMeta.named(NS, service), List.of(endpoints)));
    }

    ServiceEndpoints get(String service) {
        return real.get(ServiceEndpoints.class, NS, service).orElseThrow();
    }

    EndpointHealth health(String service, String address) {
        return get(service).endpoints().stream().filter(e -> e.address().equals(address)).findFirst().orElseThrow()
                .health();
    }

    static ServiceEndpoint endpoint(String pod, String address, String node) {
        return new ServiceEndpoint(address, pod, node, false, "waiting for the first passing health check", null,
                List.of(), EndpointHealth.unknown());
    }

    @Override
    public void close() {
        store.close();
    }
}
