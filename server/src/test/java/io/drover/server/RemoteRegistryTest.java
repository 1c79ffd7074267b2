package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.api.ApiException;
import io.drover.api.ApiException.Reason;
import io.drover.api.ResourceEvent;
import io.drover.api.ResourceWatcher;
import io.drover.api.client.DroverClient;
import io.drover.api.client.RemoteResourceRegistry;
import io.drover.model.ResourceKind;
import io.drover.model.meta.LabelSelector;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.node.Node;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.store.Watch;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry seen through the REST API behaves as the in-process one: what an agent in another process relies on. */
class RemoteRegistryTest extends ServerFixture {

    private RemoteResourceRegistry remote;

    @BeforeEach
    void connect() {
        remote = new RemoteResourceRegistry(new DroverClient(URI.create("http://127.0.0.1:" + server.port())));
    }

    @AfterEach
    void disconnect() {
        remote.close();
    }

    @Test
    void writesAndReadsGoThroughTheServer() {
        remote.create(Network.of(ObjectMeta.named("rr-net"), NetworkSpec.of("10.231.0.0/24")));
        Pod created = remote.create(Pod.of(ObjectMeta.named("default", "rr-pod").withLabels(Map.of("app", "rr")), PodSpec.on("rr-node", "rr-net")));

        assertThat(created.metadata().uid()).isNotBlank();
        assertThat(remote.get(Pod.class, "default", "rr-pod")).isPresent();
        assertThat(remote.get(Pod.class, "default", "rr-missing")).isEmpty();
        assertThat(remote.<Pod>list(ResourceKind.POD, "default", LabelSelector.parse("app=rr")).items())
                .extracting(Pod::name).containsExactly("rr-pod");
    }

    @Test
    void refusalsKeepTheirReasonAndCauses() {
        remote.create(Node.of(ObjectMeta.named("rr-node-a"), new Node.NodeSpec(null)));
        assertThatThrownBy(() -> remote.create(Node.of(ObjectMeta.named("rr-node-a"), new Node.NodeSpec(null))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ALREADY_EXISTS));
        assertThatThrownBy(() -> remote.create(Node.of(ObjectMeta.named("rr-node-b"), new Node.NodeSpec("not-an-ip"))))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INVALID);
                    assertThat(e.causes()).extracting(ApiException.Cause::field).contains("spec.address");
                });
        Node node = remote.get(Node.class, null, "rr-node-a").orElseThrow();
        remote.replaceStatus(node.withStatus(new Node.NodeStatus(true, null, "ready")));
        assertThatThrownBy(() -> remote.replaceStatus(node.withStatus(new Node.NodeStatus(false, null, "stale"))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONFLICT));
    }

    @Test
    void watchDeliversTheChangesAfterAList() {
        remote.create(Network.of(ObjectMeta.named("rr-watch"), NetworkSpec.of("10.232.0.0/24")));
        long version = remote.list(ResourceKind.POD, "default", LabelSelector.parse("app=rr-watch")).resourceVersion();
        List<ResourceEvent> events = new CopyOnWriteArrayList<>();
        try (Watch watch = remote.watch(ResourceKind.POD, "default", LabelSelector.parse("app=rr-watch"), version, new ResourceWatcher() {
            @Override
            public void onEvents(List<ResourceEvent> batch) {
                events.addAll(batch);
            }

            @Override
            public void onExpired(String message) {}
        })) {
            remote.create(Pod.of(ObjectMeta.named("default", "rr-watched").withLabels(Map.of("app", "rr-watch")), PodSpec.on("n1", "rr-watch")));
            // The pod is addressed in its create: watchers see it addressed in its first event.
            await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
            remote.delete(ResourceKind.POD, "default", "rr-watched", null);
            await().atMost(Duration.ofSeconds(10)).until(() -> events.getLast().type() == ResourceEvent.Type.DELETED);
        }
        assertThat(events.getFirst().type()).isEqualTo(ResourceEvent.Type.ADDED);
        assertThat(((Pod) events.getFirst().object()).status().addresses()).isNotEmpty();
        assertThat(events).extracting(ResourceEvent::revision).isSorted();
    }
}
