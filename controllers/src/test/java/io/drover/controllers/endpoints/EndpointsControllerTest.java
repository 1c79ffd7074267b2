package io.drover.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.api.ResourceEvent;
import io.drover.api.ResourceList;
import io.drover.api.ResourceRegistry;
import io.drover.api.ResourceWatcher;
import io.drover.api.registry.StoreResourceRegistry;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.LabelSelector;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.node.Node;
import io.drover.model.node.Node.NodeSpec;
import io.drover.model.node.Node.NodeStatus;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import io.drover.model.policy.PortReference;
import io.drover.model.service.EndpointHealth;
import io.drover.model.service.EndpointPort;
import io.drover.model.service.HealthCheck;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import io.drover.store.KeyValueStore;
import io.drover.store.Watch;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoints a user sees for a service as its pods, their nodes and their health change. */
class EndpointsControllerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private KeyValueStore store;
    private StoreResourceRegistry registry;
    private EndpointsController controller;

    @BeforeEach
    void open() {
        store = SqliteKeyValueStore.open(dir);
        registry = new StoreResourceRegistry(store);
        registry.ensureDefaults();
        registry.create(Network.of(ObjectMeta.named("blue"), NetworkSpec.of("10.10.0.0/24")));
        controller = new EndpointsController(registry);
        controller.start();
    }

    @AfterEach
    void close() {
        controller.close();
        store.close();
    }

    private Pod pod(String name, Map<String, String> labels, String address, PodPort... ports) {
        Pod created = registry.create(Pod.of(ObjectMeta.named("default", name).withLabels(labels),
                PodSpec.on("node-1", "blue").withPorts(List.of(ports))));
        if (address == null) {
            return created;
        }
        return registry.replaceStatus(created.withStatus(new PodStatus(PodStatus.ALLOCATED,
                List.of(new PodStatus.PodAddress("blue", "eth0", address, 24, "10.10.0.1")), null)));
    }

    private Service service(String name, ServiceSpec spec) {
        return registry.create(Service.of(ObjectMeta.named("default", name), spec));
    }

    private static ServiceSpec web() {
        return ServiceSpec.builder().selector(Map.of("app", "web"))
                .ports(ServicePort.tcp("http", 80, PortReference.named("http"))).build();
    }

    private Optional<ServiceEndpoints> endpoints(String service) {
        return registry.get(ServiceEndpoints.class, "default", service);
    }

    private List<ServiceEndpoint> awaitEndpoints(String service, int count) {
        await().atMost(WAIT).until(() -> endpoints(service).map(e -> e.endpoints().size() == count).orElse(false));
        return endpoints(service).orElseThrow().endpoints();
    }

    @Test
    void selectedPodsWithAddressesBecomeEndpointsWithTheirOwnNumberForANamedPort() {
        pod("web-1", Map.of("app", "web"), "10.10.0.5", new PodPort("http", 8080, null, null, null));
        pod("web-2", Map.of("app", "web"), "10.10.0.6", new PodPort("http", 9090, null, null, null));
        pod("web-3", Map.of("app", "web"), null, new PodPort("http", 8080, null, null, null)); // no address yet
        pod("db", Map.of("app", "db"), "10.10.0.7", new PodPort("http", 8080, null, null, null));
        service("web", web());

        List<ServiceEndpoint> endpoints = awaitEndpoints("web", 2);

        assertThat(endpoints).extracting(ServiceEndpoint::pod).containsExactly("web-1", "web-2");
        assertThat(endpoints).allMatch(ServiceEndpoint::readyForTraffic);
        assertThat(endpoints.getFirst().ports()).containsExactly(new EndpointPort("http", 8080, "TCP"));
        assertThat(endpoints.get(1).ports()).containsExactly(new EndpointPort("http", 9090, "TCP"));
        assertThat(endpoints.getFirst().node()).isEqualTo("node-1");
    }

    @Test
    void aPodWithoutThePortNameIsAnEndpointThatIsNotReadyAndSaysWhy() {
        pod("web-1", Map.of("app", "web"), "10.10.0.5", new PodPort("metrics", 9100, null, null, null));
        service("web", web());

        ServiceEndpoint only = awaitEndpoints("web", 1).getFirst();

        assertThat(only.readyForTraffic()).isFalse();
        assertThat(only.reason()).contains("no TCP port named http");
    }

    @Test
    void endpointsFollowLabelsAndPodsAndGoWithTheService() {
        Pod one = pod("web-1", Map.of("app", "web"), "10.10.0.5", new PodPort("http", 8080, null, null, null));
        pod("web-2", Map.of("app", "web"), "10.10.0.6", new PodPort("http", 8080, null, null, null));
        service("web", web());
        awaitEndpoints("web", 2);

        registry.replace(one.withMetadata(one.metadata().withLabels(Map.of("app", "other"))));
        assertThat(awaitEndpoints("web", 1)).extracting(ServiceEndpoint::pod).containsExactly("web-2");

        registry.delete(ResourceKind.POD, "default", "web-2", null);
        awaitEndpoints("web", 0);

        registry.delete(ResourceKind.SERVICE, "default", "web", null);
        await().atMost(WAIT).until(() -> endpoints("web").isEmpty());
    }

    @Test
    void withAHealthCheckAnEndpointIsReadyOnlyOnceItsAgentReportsItPassing() {
        pod("web-1", Map.of("app", "web"), "10.10.0.5", new PodPort("http", 8080, null, null, null));
        service("web", web().toBuilder().healthCheck(HealthCheck.tcp(PortReference.named("http"))).build());
        ServiceEndpoint waiting = awaitEndpoints("web", 1).getFirst();
        assertThat(waiting.readyForTraffic()).isFalse();
        assertThat(waiting.reason()).contains("waiting for the first passing health check");

        // What the agent of node-1 does after a check: write the health of its endpoint.
        ServiceEndpoints stored = endpoints("web").orElseThrow();
        registry.replace(stored.withEndpoints(List.of(waiting.withHealth(
                new EndpointHealth(EndpointHealth.PASSING, "TCP connect to 10.10.0.5:8080: ok", "2026-11-21T10:00:00Z")))));
        await().atMost(WAIT).until(() -> endpoints("web").orElseThrow().endpoints().getFirst().readyForTraffic());

        stored = endpoints("web").orElseThrow();
        registry.replace(stored.withEndpoints(List.of(stored.endpoints().getFirst().withHealth(
                new EndpointHealth(EndpointHealth.FAILING, "connection refused", "2026-11-21T10:00:10Z")))));
        await().atMost(WAIT).until(() -> {
            ServiceEndpoint e = endpoints("web").orElseThrow().endpoints().getFirst();
            return !e.readyForTraffic() && e.reason() != null && e.reason().contains("connection refused");
        });
    }

    @Test
    void anEndpointOnANotReadyNodeIsNotReady() {
        Node node = registry.create(Node.of(ObjectMeta.named("node-1"), new NodeSpec("172.31.0.1")));
        node = registry.replaceStatus(node.withStatus(new NodeStatus(true, "2026-11-21T10:00:00Z", null)));
        pod("web-1", Map.of("app", "web"), "10.10.0.5", new PodPort("http", 8080, null, null, null));
        service("web", web());
        assertThat(awaitEndpoints("web", 1).getFirst().readyForTraffic()).isTrue();

        registry.replaceStatus(node.withStatus(new NodeStatus(false, "2026-11-21T10:00:00Z", "no heartbeat")));

        await().atMost(WAIT).until(() -> !endpoints("web").orElseThrow().endpoints().getFirst().readyForTraffic());
        assertThat(endpoints("web").orElseThrow().endpoints().getFirst().reason()).contains("node node-1 is NotReady");
    }

    @Test
    void aServiceWithoutASelectorKeepsTheEndpointsRegisteredForIt() throws InterruptedException {
        service("legacy-db", ServiceSpec.builder().ports(ServicePort.tcp("pg", 5432, PortReference.number(5432))).build());
        registry.create(ServiceEndpoints.of(ObjectMeta.named("default", "legacy-db"), List.of(new ServiceEndpoint(
                "192.0.2.10", null, null, true, null, null, List.of(new EndpointPort("pg", 5432, "TCP")), null))));
        pod("web-1", Map.of("app", "web"), "10.10.0.5", new PodPort("http", 8080, null, null, null));

        assertThat(controller.awaitIdle(WAIT)).isTrue();
        assertThat(endpoints("legacy-db").orElseThrow().endpoints()).extracting(ServiceEndpoint::address)
                .containsExactly("192.0.2.10");
    }

    @Test
    void endpointsRegisteredByHandSurviveAServicesWatchThatLagsBehind() throws InterruptedException {
        controller.close();
        LaggingServices lagging = new LaggingServices(registry);
        controller = new EndpointsController(lagging);
        controller.start();

        service("legacy-db", ServiceSpec.builder().ports(ServicePort.tcp("pg", 5432, PortReference.number(5432))).build());
        registry.create(ServiceEndpoints.of(ObjectMeta.named("default", "legacy-db"), List.of(new ServiceEndpoint(
                "192.0.2.10", null, null, true, null, null, List.of(new EndpointPort("pg", 5432, "TCP")), null))));
        // The controller has the endpoints but not yet their service: they are no orphans, the store has it.
        await().atMost(WAIT).until(() -> lagging.heldServiceEvents() > 0);
        assertThat(controller.awaitIdle(WAIT)).isTrue();
        assertThat(endpoints("legacy-db")).as("kept while the service's event is on its way").isPresent();

        lagging.release();
        assertThat(controller.awaitIdle(WAIT)).isTrue();
        assertThat(endpoints("legacy-db").orElseThrow().endpoints()).extracting(ServiceEndpoint::address)
                .containsExactly("192.0.2.10");

        registry.delete(ResourceKind.SERVICE, "default", "legacy-db", null);
        await().atMost(WAIT).until(() -> endpoints("legacy-db").isEmpty());
    }

    /** The registry, but the events of service watches are held back until {@link #release}. */
    private static final class LaggingServices implements ResourceRegistry {
        private final ResourceRegistry delegate;
        private final java.util.List<Runnable> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile boolean released;

        LaggingServices(ResourceRegistry delegate) {
            this.delegate = delegate;
        }

        int heldServiceEvents() {
            return held.size();
        }

        synchronized void release() {
            released = true;
            held.forEach(Runnable::run);
            held.clear();
        }

        @Override
        public Watch watch(ResourceKind kind, String namespace, LabelSelector selector, long from, ResourceWatcher watcher) {
            if (kind != ResourceKind.SERVICE) {
                return delegate.watch(kind, namespace, selector, from, watcher);
            }
            return delegate.watch(kind, namespace, selector, from, new ResourceWatcher() {
                @Override
                public void onEvents(List<ResourceEvent> events) {
                    synchronized (LaggingServices.this) {
                        if (released) {
                            watcher.onEvents(events);
                        } else {
                            held.add(() -> watcher.onEvents(events));
                        }
                    }
                }

                @Override
                public void onExpired(String message) {
                    watcher.onExpired(message);
                }
            });
        }

        @Override
        public <T extends Resource> T create(T resource) {
            return delegate.create(resource);
        }

        @Override
        public <T extends Resource> T replace(T resource) {
            return delegate.replace(resource);
        }

        @Override
        public <T extends Resource> T replaceStatus(T resource) {
            return delegate.replaceStatus(resource);
        }

        @Override
        public Resource patch(ResourceKind kind, String namespace, String name, tools.jackson.databind.JsonNode patch) {
            return delegate.patch(kind, namespace, name, patch);
        }

        @Override
        public Resource delete(ResourceKind kind, String namespace, String name, String resourceVersion) {
            return delegate.delete(kind, namespace, name, resourceVersion);
        }

        @Override
        public Optional<Resource> get(ResourceKind kind, String namespace, String name) {
            return delegate.get(kind, namespace, name);
        }

        @Override
        public <T extends Resource> ResourceList<T> list(ResourceKind kind, String namespace, LabelSelector selector) {
            return delegate.list(kind, namespace, selector);
        }
    }
}
