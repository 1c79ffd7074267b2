package io.drover.server;

import static io.drover.server.EtcdServers.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.store.etcd.testing.EtcdCluster;
import io.drover.store.etcd.testing.EtcdProcess;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Several servers on one etcd: the API on all of them, the controllers on the leader; etcd down means 503. */
class EtcdServersTest {

    private static EtcdCluster etcd;
    private EtcdServers servers;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdCluster.start(1);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @BeforeEach
    void servers() {
        servers = new EtcdServers(etcd);
    }

    @AfterEach
    void closeServers() {
        servers.close();
    }

    @Test
    void twoServersAnswerTheApiAndOnlyTheLeaderRunsControllers() {
        DroverServer first = servers.start();
        DroverServer second = servers.start();
        RestClient a = new RestClient(first.port());
        RestClient b = new RestClient(second.port());
        assertThat(first.isLeader()).as("the first server found no leader").isTrue();
        assertThat(second.isLeader()).isFalse();

        JsonNode readyA = EtcdServers.readyz(a);
        JsonNode readyB = EtcdServers.readyz(b);
        assertThat(readyA.path("ready").asBoolean()).isTrue();
        assertThat(readyA.path("leader").asBoolean()).isTrue();
        assertThat(readyB.path("leader").asBoolean()).isFalse();
        assertThat(readyA.path("store").path("kind").asString()).isEqualTo("etcd");
        assertThat(readyA.path("store").path("endpoints").asString()).isEqualTo(etcd.endpoints());
        String leaderId = readyA.path("self").path("id").asString();
        assertThat(readyB.path("currentLeader").path("id").asString()).isEqualTo(leaderId);
        assertThat(readyB.path("currentLeader").path("url").asString()).isEqualTo(first.url());
        assertThat(readyB.path("self").path("id").asString()).isNotEqualTo(leaderId);

        // Written through either server, read through the other; the leader's IPAM gives the pod its address.
        assertThat(b.post(API + "/networks", ServerFixture.network("blue", "10.60.0.0/16")).status()).isEqualTo(201);
        assertThat(a.get(API + "/networks/blue").status()).isEqualTo(200);
        assertThat(b.post(API + "/namespaces/default/pods", ServerFixture.pod(null, "p1", "", EtcdServers.podSpec("blue")))
                .status()).isEqualTo(201);
        EtcdServers.awaitAddress(b, "default", "p1", Duration.ofSeconds(10));

        // A graceful stop hands over at once (the lease is revoked), and the new leader's controllers work.
        first.close();
        await().atMost(Duration.ofSeconds(2)).until(second::isLeader);
        assertThat(EtcdServers.readyz(b).path("currentLeader").path("id").asString())
                .isEqualTo(EtcdServers.readyz(b).path("self").path("id").asString());
        assertThat(b.post(API + "/namespaces/default/pods", ServerFixture.pod(null, "p2", "", EtcdServers.podSpec("blue")))
                .status()).isEqualTo(201);
        EtcdServers.awaitAddress(b, "default", "p2", Duration.ofSeconds(10));
    }

    @Test
    void whileEtcdIsDownTheApiAnswers503SayingWhatToDoAndRecoversAfter() {
        DroverServer server = servers.start();
        RestClient rest = new RestClient(server.port());
        assertThat(rest.post(API + "/networks", ServerFixture.network("red", "10.61.0.0/16")).status()).isEqualTo(201);
        EtcdProcess member = etcd.member(0);
        String endpoint = member.clientUrl().toString();

        member.kill();
        try {
            for (RestClient.Reply reply : new RestClient.Reply[] {
                    rest.get(API + "/networks"),
                    rest.get(API + "/networks/red"),
                    rest.post(API + "/networks", ServerFixture.network("green", "10.62.0.0/16"))}) {
                assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
                JsonNode status = reply.json();
                assertThat(status.path("kind").asString()).isEqualTo("Status");
                assertThat(status.path("reason").asString()).isEqualTo("ServiceUnavailable");
                assertThat(status.path("message").asString()).contains("etcd is unavailable at " + endpoint)
                        .contains("check that the etcd members are running");
            }
            RestClient.Reply ready = rest.get("/readyz");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().path("store").path("reachable").asBoolean()).isFalse();
            assertThat(ready.json().path("problem").asString()).contains("the store cannot be reached").contains(endpoint);
            assertThat(rest.get("/healthz").status()).as("alive, though not ready").isEqualTo(200);
            // The leader steps down before its lease could expire.
            await().atMost(Duration.ofSeconds(3)).until(() -> !server.isLeader());
        } finally {
            member.restart(Duration.ofSeconds(30));
        }

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> rest.get(API + "/networks/red").status() == 200);
        await().atMost(Duration.ofSeconds(10)).until(server::isLeader);
        assertThat(rest.get("/readyz").status()).isEqualTo(200);
        assertThat(rest.post(API + "/namespaces/default/pods", ServerFixture.pod(null, "after", "", EtcdServers.podSpec("red")))
                .status()).isEqualTo(201);
        EtcdServers.awaitAddress(rest, "default", "after", Duration.ofSeconds(10));
    }
}
