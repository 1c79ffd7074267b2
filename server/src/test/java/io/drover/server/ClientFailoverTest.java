package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.drover.client.DroverServiceClient;
import io.drover.client.Endpoint;
import io.drover.client.Strategy;
import io.drover.server.RestClient.Reply;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client library's done-when: two backends on loopback registered as instances of a selector-less service;
 * the client spreads requests over both; one backend stops (and is deregistered) and every request still succeeds
 * on the other.
 */
class ClientFailoverTest extends ServerFixture {

    private static final String REG = "/registry/v1/services/default/";
    private final List<HttpServer> backends = new java.util.ArrayList<>();

    @AfterEach
    void stopBackends() {
        backends.forEach(b -> b.stop(0));
    }

    @Test
    void roundRobinSpreadsAndFailsOverWhenABackendStops() throws Exception {
        failover("client-rr", Strategy.ROUND_ROBIN);
    }

    @Test
    void leastOutstandingSpreadsAndFailsOverWhenABackendStops() throws Exception {
        failover("client-lo", Strategy.LEAST_OUTSTANDING);
    }

    private void failover(String service, Strategy strategy) throws Exception {
        RegistryApiTest.createService(service, false);
        HttpServer one = backend("one");
        HttpServer two = backend("two");
        register(service, "one", one);
        register(service, "two", two);

        try (DroverServiceClient client = DroverServiceClient.builder(URI.create(server.url()), "default", service)
                .strategy(strategy).port("http").wait(Duration.ofSeconds(30)).build()) {
            assertThat(client.awaitEndpoints(Duration.ofSeconds(10))).isTrue();
            assertThat(client.endpoints()).extracting(Endpoint::instance).containsExactlyInAnyOrder("one", "two");

            Map<String, Integer> answers = send(client, 20);
            assertThat(answers).containsOnlyKeys("one", "two");
            assertThat(answers.get("one")).isBetween(5, 15);

            // The backend goes away before the registry knows: refused connections are tried on the other backend.
            two.stop(0);
            assertThat(send(client, 20)).containsOnlyKeys("one");

            // Deregistered: the client's blocking query brings the smaller set promptly.
            assertThat(rest.delete(REG + service + "/instances/two").status()).isEqualTo(200);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (client.endpoints().size() != 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(client.endpoints()).extracting(Endpoint::instance).containsExactly("one");
            assertThat(send(client, 20)).isEqualTo(Map.of("one", 20));
        }
    }

    /** Sends {@code n} GETs; every one must succeed (a failure fails the test). Counts the answers by backend. */
    private static Map<String, Integer> send(DroverServiceClient client, int n) throws IOException, InterruptedException {
        Map<String, Integer> byBackend = new HashMap<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = client.get("/who", HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            byBackend.merge(r.body(), 1, Integer::sum);
        }
        return byBackend;
    }

    private HttpServer backend(String name) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        backends.add(http);
        return http;
    }

    private static void register(String service, String id, HttpServer backend) {
        Reply r = rest.put(REG + service + "/instances/" + id, """
                {"address": "127.0.0.1", "ports": [{"name": "http", "port": %d}], "ttlSeconds": 30}"""
                .formatted(backend.getAddress().getPort()));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
    }
}
