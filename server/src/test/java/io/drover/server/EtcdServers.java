package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.store.etcd.EtcdStoreOptions;
import io.drover.store.etcd.testing.EtcdCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/** Servers on one etcd for a test: each test a key namespace of its own; everything closed after it. */
final class EtcdServers implements AutoCloseable {

    static final String API = RestClient.API;
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    final EtcdCluster etcd;
    final String namespace = "/servers-" + NAMESPACES.incrementAndGet() + "/";
    private final List<DroverServer> started = new ArrayList<>();

    EtcdServers(EtcdCluster etcd) {
        this.etcd = etcd;
    }

    EtcdStoreOptions options() {
        return EtcdStoreOptions.parse(etcd.endpoints()).withNamespace(namespace).withRequestTimeout(Duration.ofSeconds(2));
    }

    DroverServer start() {
        DroverServer server = DroverServer.start(ServerOptions.etcd(options(), "127.0.0.1", 0));
        synchronized (started) {
            started.add(server);
        }
        return server;
    }

    static String podSpec(String network) {
        return "{\"node\":\"node-1\",\"networks\":[\"" + network + "\"]}";
    }

    /** Waits until the pod has an address (the leader's IPAM controller gave it one) and returns it. */
    static String awaitAddress(RestClient rest, String namespace, String pod, Duration within) {
        String path = API + "/namespaces/" + namespace + "/pods/" + pod;
        await().atMost(within).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> rest.get(path).json().path("status").path("addresses").size() == 1);
        return rest.get(path).json().path("status").path("addresses").get(0).path("ip").asString();
    }

    static JsonNode readyz(RestClient rest) {
        RestClient.Reply reply = rest.get("/readyz");
        assertThat(reply.contentType()).startsWith("application/json");
        return reply.json();
    }

    @Override
    public void close() {
        synchronized (started) {
            for (DroverServer s : started.reversed()) {
                s.close();
            }
            started.clear();
        }
    }
}
