package io.drover.server.registry;

import io.drover.api.ApiException;
import io.drover.api.ResourceRegistry;
import io.drover.controllers.support.ResourceInformer;
import io.drover.model.ResourceKind;
import io.drover.model.service.ServiceEndpoints;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the instances' TTLs: an instance not refreshed within its TTL turns failing (leaves the healthy set), and
 * is removed {@value RegisteredInstance#REMOVE_AFTER_TTLS} TTLs after its last refresh. Runs on the leader only
 * (started with the controllers), so that exactly one place expires; it checks the watch-fed copy in memory every
 * {@link #TICK} and writes only the services whose instances changed state.
 */
public final class TtlExpirer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TtlExpirer.class);
    static final Duration TICK = Duration.ofMillis(250);

    private final ResourceInformer<ServiceEndpoints> endpoints;
    private final InstanceStore instances;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("registry-ttl").daemon().factory());

    private TtlExpirer(ResourceRegistry registry, Clock clock) {
        this.clock = clock;
        this.instances = new InstanceStore(registry, clock);
        this.endpoints = new ResourceInformer<>(registry, ResourceKind.SERVICE_ENDPOINTS,
                e -> e.namespace() + "/" + e.name(), new ResourceInformer.Handler<>() {
                    @Override
                    public void onAdd(ServiceEndpoints object) {}

                    @Override
                    public void onUpdate(ServiceEndpoints previous, ServiceEndpoints object) {}

                    @Override
                    public void onDelete(ServiceEndpoints object) {}
                });
    }

    /** Starts expiring on {@code registry} (the leader's, fenced by its term). */
    public static TtlExpirer start(ResourceRegistry registry, Clock clock) {
        TtlExpirer expirer = new TtlExpirer(registry, clock);
        expirer.endpoints.start();
        expirer.timer.scheduleWithFixedDelay(expirer::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        return expirer;
    }

    private void tick() {
        Instant now = clock.instant();
        for (ServiceEndpoints e : endpoints.items()) {
            if (!needsUpdate(e, now)) {
                continue;
            }
            try {
                instances.applyTtls(e);
            } catch (ApiException | RegistryProblem ex) {
                LOG.warn("TTLs of the instances of service {}/{}: {} (trying again in {} ms)", e.namespace(), e.name(),
                        ex.getMessage(), TICK.toMillis());
            } catch (RuntimeException ex) {
                LOG.error("TTLs of the instances of service {}/{}", e.namespace(), e.name(), ex);
            }
        }
    }

    /** Whether an instance of {@code stored} changed state: its endpoint as of now is not the one stored, or it expired. */
    static boolean needsUpdate(ServiceEndpoints stored, Instant now) {
        return InstanceStore.instancesOf(stored).values().stream().anyMatch(i ->
                i.stateAt(now) == RegisteredInstance.State.EXPIRED || !stored.endpoints().contains(i.endpointAt(now)));
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        endpoints.close();
    }
}
