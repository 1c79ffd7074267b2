package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.server.RestClient.WatchStream;
import io.drover.store.StoreException;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting on a data directory, stopping gracefully, and starting again on the same data. */
class ServerLifecycleTest {

    private static final String API = RestClient.API;

    @TempDir
    Path dir;

    @Test
    void closeEndsOpenWatchesPromptlyAndClosesTheStoreLast() throws Exception {
        DroverServer server = DroverServer.start(ServerOptions.embedded(dir, "127.0.0.1", 0));
        WatchStream watch = null;
        try {
            RestClient rest = new RestClient(server.port());
            assertThat(rest.post(API + "/networks", ServerFixture.network("kept", "10.90.0.0/16")).status()).isEqualTo(201);
            watch = rest.watch(API + "/networks?watch=true&timeoutSeconds=300");
            assertThat(watch.status).isEqualTo(200);
            assertThat(rest.post(API + "/networks", ServerFixture.network("seen", "10.91.0.0/16")).status()).isEqualTo(201);
            assertThat(watch.next(Duration.ofSeconds(10)).path("type").asString()).isEqualTo("ADDED");

            long start = System.nanoTime();
            server.close();
            assertThat(watch.awaitEnd(Duration.ofSeconds(5))).as("the watch ended when the server closed").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThatThrownBy(() -> server.store().get("/anything")).isInstanceOf(StoreException.class);
        } finally {
            if (watch != null) {
                watch.close();
            }
            server.close();
        }
        // The store released its directory and kept every acknowledged write.
        try (SqliteKeyValueStore reopened = SqliteKeyValueStore.open(dir)) {
            assertThat(reopened.get("/drover/registry/networks/kept")).isPresent();
            assertThat(reopened.get("/drover/registry/networks/seen")).isPresent();
        }
    }

    @Test
    void aRestartedServerServesWhatWasWrittenBefore() {
        String uid;
        try (DroverServer first = DroverServer.start(ServerOptions.embedded(dir, "127.0.0.1", 0))) {
            RestClient.Reply created = new RestClient(first.port()).post(API + "/networks", ServerFixture.network("durable", "10.92.0.0/16"));
            assertThat(created.status()).isEqualTo(201);
            uid = created.json().path("metadata").path("uid").asString();
        }
        try (DroverServer second = DroverServer.start(ServerOptions.embedded(dir, "127.0.0.1", 0))) {
            RestClient rest = new RestClient(second.port());
            RestClient.Reply got = rest.get(API + "/networks/durable");
            assertThat(got.status()).isEqualTo(200);
            assertThat(got.json().path("metadata").path("uid").asString()).isEqualTo(uid);
            assertThat(rest.get(API + "/namespaces/default").status()).isEqualTo(200);
        }
    }

    @Test
    void aSecondServerOnTheSameDataIsRefusedWhileTheFirstRuns() {
        try (DroverServer first = DroverServer.start(ServerOptions.embedded(dir, "127.0.0.1", 0))) {
            assertThatThrownBy(() -> DroverServer.start(ServerOptions.embedded(dir, "127.0.0.1", 0)))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining(dir.toString());
            assertThat(new RestClient(first.port()).get("/healthz").status()).isEqualTo(200);
        }
    }

    @Test
    void aServerThatCannotListenReleasesItsStore(@TempDir Path other) {
        try (DroverServer first = DroverServer.start(ServerOptions.embedded(dir, "127.0.0.1", 0))) {
            DroverServer[] second = new DroverServer[1];
            try {
                assertThatThrownBy(() -> second[0] = DroverServer.start(ServerOptions.embedded(other, "127.0.0.1", first.port())))
                        .as("starting on a port in use must fail, not return a server that does not listen")
                        .isInstanceOf(RuntimeException.class)
                        .hasMessageContaining(Integer.toString(first.port()));
            } finally {
                if (second[0] != null) {
                    second[0].close();
                }
            }
        }
        // The failed start closed its store: the directory can be opened again.
        try (SqliteKeyValueStore reopened = SqliteKeyValueStore.open(other)) {
            assertThat(reopened.get("/drover/registry/namespaces/default")).isPresent();
        }
    }

    @Test
    void anUnknownStoreIsRefusedWithAMessage() {
        assertThatThrownBy(() -> DroverServer.start(new ServerOptions("etcd3", dir, "127.0.0.1", 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("embedded");
    }
}
