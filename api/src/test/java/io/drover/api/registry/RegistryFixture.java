package io.drover.api.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.api.ApiException;
import io.drover.api.ResourceEvent;
import io.drover.api.ResourceWatcher;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.model.tenant.Namespace;
import io.drover.model.tenant.Tenant;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A registry on a real SQLite store in a temporary directory, with the default tenant and namespace. */
abstract class RegistryFixture {

    static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");

    @TempDir
    Path dir;

    SqliteKeyValueStore store;
    StoreResourceRegistry registry;

    @BeforeEach
    void openRegistry() {
        store = SqliteKeyValueStore.open(dir);
        registry = new StoreResourceRegistry(store, Clock.fixed(NOW, ZoneOffset.UTC));
        registry.ensureDefaults();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    static Network network(String name, String... subnets) {
        return Network.of(ObjectMeta.named(name), NetworkSpec.of(subnets));
    }

    static Pod pod(String namespace, String name, Map<String, String> labels, PodSpec spec) {
        return Pod.of(ObjectMeta.named(namespace, name).withLabels(labels), spec);
    }

    static Pod pod(String namespace, String name, String... networks) {
        return pod(namespace, name, Map.of(), new PodSpec(null, null, List.of(networks), List.of(), List.of()));
    }

    static Namespace namespace(String name) {
        return Namespace.of(ObjectMeta.named(name), new Namespace.NamespaceSpec(null));
    }

    static Namespace namespace(String name, String tenant) {
        return Namespace.of(ObjectMeta.named(name), new Namespace.NamespaceSpec(tenant));
    }

    static Tenant tenant(String name) {
        return Tenant.of(ObjectMeta.named(name), new Tenant.TenantSpec(null));
    }

    /** Runs a call that the registry must refuse, and returns the refusal. */
    static ApiException refusal(Call call) {
        try {
            Object result = call.run();
            throw new AssertionError("expected the registry to refuse, but it returned " + result);
        } catch (ApiException e) {
            return e;
        }
    }

    static List<String> fields(ApiException e) {
        return e.causes().stream().map(ApiException.Cause::field).toList();
    }

    static long version(io.drover.model.Resource r) {
        assertThat(r.metadata().resourceVersion()).as("resourceVersion of %s", r.name()).isNotNull();
        return Long.parseLong(r.metadata().resourceVersion());
    }

    @FunctionalInterface
    interface Call {
        Object run();
    }

    /** Records everything a watch delivers. */
    static final class Recorder implements ResourceWatcher {
        final List<ResourceEvent> events = new CopyOnWriteArrayList<>();
        final List<List<ResourceEvent>> batches = new CopyOnWriteArrayList<>();
        final List<String> expired = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();

        @Override
        public void onEvents(List<ResourceEvent> batch) {
            batches.add(List.copyOf(batch));
            events.addAll(batch);
        }

        @Override
        public void onExpired(String message) {
            expired.add(message);
        }

        @Override
        public void onError(Throwable error) {
            errors.add(error);
        }

        /** "ADDED pod-a", "MODIFIED pod-a", ... */
        List<String> summary() {
            List<String> out = new ArrayList<>();
            for (ResourceEvent e : events) {
                out.add(e.type() + " " + e.object().name());
            }
            return out;
        }

        boolean saw(ResourceEvent.Type type, String name) {
            return events.stream().anyMatch(e -> e.type() == type && e.object().name().equals(name));
        }
    }
}
