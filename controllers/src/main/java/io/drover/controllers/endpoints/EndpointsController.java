package io.drover.controllers.endpoints;

import io.drover.api.ApiException;
import io.drover.api.ResourceRegistry;
import io.drover.controllers.support.KeyedWorkQueue;
import io.drover.controllers.support.ResourceInformer;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.node.Node;
import io.drover.model.pod.Pod;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every service's {@link ServiceEndpoints} in line with the pods its selector picks ({@link EndpointsCalculator}):
 * created with the service, rewritten when a selected pod comes, goes, changes labels, ports or address, when a node
 * turns NotReady or Ready, or when an agent reports an endpoint's health; deleted with the service. Services without
 * a selector keep the endpoints registered for them by hand. Leader-only, like every controller.
 *
 * <p>Writes are compare-and-swap on the stored object's resourceVersion: an agent's health report that lands in
 * between wins, and the service is computed again from it.
 */
public final class EndpointsController implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EndpointsController.class);
    private static final Duration RETRY = Duration.ofMillis(200);

    private final ResourceRegistry registry;
    private final KeyedWorkQueue<String> queue;
    private final ResourceInformer<Service> services;
    private final ResourceInformer<Pod> pods;
    private final ResourceInformer<Node> nodes;
    private final ResourceInformer<ServiceEndpoints> endpoints;

    public EndpointsController(ResourceRegistry registry) {
        this.registry = registry;
        this.queue = new KeyedWorkQueue<>("endpoints", 2, this::reconcile);
        this.services = new ResourceInformer<>(registry, ResourceKind.SERVICE, EndpointsController::key,
                new Changes<>(s -> queue.add(key(s))));
        this.pods = new ResourceInformer<>(registry, ResourceKind.POD, EndpointsController::key, new PodChanges());
        this.nodes = new ResourceInformer<>(registry, ResourceKind.NODE, Node::name, new NodeChanges());
        this.endpoints = new ResourceInformer<>(registry, ResourceKind.SERVICE_ENDPOINTS, EndpointsController::key,
                new Changes<>(e -> queue.add(key(e))));
    }

    /** Lists everything, then computes every service once (adopting or repairing what is stored). */
    public void start() {
        endpoints.start();
        nodes.start();
        pods.start();
        services.start();
        services.items().forEach(s -> queue.add(key(s)));
    }

    /** Waits until no service is queued or being computed. For tests. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return queue.awaitIdle(timeout);
    }

    private void reconcile(String key) {
        Optional<Service> service = services.get(key);
        Optional<ServiceEndpoints> stored = endpoints.get(key);
        try {
            if (service.isEmpty()) {
                // The services informer may lag behind the endpoints one (a service and the endpoints registered
                // for it by hand, created one after the other): endpoints are orphans only when the store has no
                // such service either, else the service's own event brings it here again.
                if (stored.isPresent() && registry.get(Service.class, stored.get().namespace(), stored.get().name())
                        .isEmpty()) {
                    ServiceEndpoints gone = stored.get();
                    registry.delete(ResourceKind.SERVICE_ENDPOINTS, gone.namespace(), gone.name(),
                            gone.metadata().resourceVersion());
                }
                return;
            }
            Service s = service.get();
            List<Pod> namespacePods = pods.items().stream().filter(p -> s.namespace().equals(p.namespace())).toList();
            Map<String, Node> nodesByName = new HashMap<>();
            nodes.items().forEach(n -> nodesByName.put(n.name(), n));
            Optional<List<ServiceEndpoint>> wanted = EndpointsCalculator.compute(s, namespacePods, nodesByName, stored);
            if (wanted.isEmpty()) {
                return; // registered by hand (no selector) or none at all (ExternalName)
            }
            if (stored.isEmpty()) {
                registry.create(ServiceEndpoints.of(ObjectMeta.named(s.namespace(), s.name()), wanted.get()));
            } else if (!Objects.equals(stored.get().endpoints(), wanted.get())) {
                registry.replace(stored.get().withEndpoints(wanted.get()));
            }
        } catch (ApiException e) {
            switch (e.reason()) {
                // Someone wrote first (an agent's health report, or this controller's last write not seen yet):
                // the informer brings the newer object, and the service is computed again from it.
                case CONFLICT, ALREADY_EXISTS, NOT_FOUND -> queue.addAfter(key, RETRY);
                default -> {
                    log.warn("endpoints of service {}: {} (trying again in {} ms)", key, e.getMessage(), RETRY.toMillis());
                    queue.addAfter(key, RETRY);
                }
            }
        }
    }

    private static String key(Resource r) {
        return r.namespace() + "/" + r.name();
    }

    /** Any change to an object of a kind queues the services it touches. */
    private record Changes<T>(java.util.function.Consumer<T> queue) implements ResourceInformer.Handler<T> {
        @Override
        public void onAdd(T object) {
            queue.accept(object);
        }

        @Override
        public void onUpdate(T previous, T object) {
            queue.accept(object);
        }

        @Override
        public void onDelete(T object) {
            queue.accept(object);
        }
    }

    /**
     * A node turning NotReady or Ready again queues every service (its endpoints there change readiness); its
     * heartbeats, every few seconds, change nothing here.
     */
    private final class NodeChanges implements ResourceInformer.Handler<Node> {
        @Override
        public void onAdd(Node node) {
            queueAll();
        }

        @Override
        public void onUpdate(Node previous, Node node) {
            if (ready(previous) != ready(node)) {
                queueAll();
            }
        }

        @Override
        public void onDelete(Node node) {
            queueAll();
        }

        private static boolean ready(Node node) {
            return node.status() == null || !Boolean.FALSE.equals(node.status().ready());
        }

        private void queueAll() {
            services.items().forEach(s -> queue.add(key(s)));
        }
    }

    /** A pod change queues the services of its namespace that selected it before or select it now. */
    private final class PodChanges implements ResourceInformer.Handler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            queueSelecting(pod, null);
        }

        @Override
        public void onUpdate(Pod previous, Pod pod) {
            queueSelecting(pod, previous);
        }

        @Override
        public void onDelete(Pod pod) {
            queueSelecting(pod, null);
        }

        private void queueSelecting(Pod pod, Pod previous) {
            for (Service service : services.items()) {
                if (!service.namespace().equals(pod.namespace()) || !service.spec().hasSelector()) {
                    continue;
                }
                Map<String, String> selector = service.spec().selectorLabels();
                if (EndpointsCalculator.selects(selector, pod)
                        || (previous != null && EndpointsCalculator.selects(selector, previous))) {
                    queue.add(key(service));
                }
            }
        }
    }

    @Override
    public void close() {
        services.close();
        pods.close();
        nodes.close();
        endpoints.close();
        queue.close();
    }
}
