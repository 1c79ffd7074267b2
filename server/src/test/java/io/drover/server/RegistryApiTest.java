package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.server.RestClient.Reply;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP registry against a real in-process server: listing, healthy endpoints with their index, blocking queries
 * (returning on a change, and on the wait's end), instances registered with a TTL, refreshed, expired and
 * deregistered, and every refusal.
 */
class RegistryApiTest extends ServerFixture {

    private static final String REG = "/registry/v1";
    private static final String SERVICES = "/api/v1/namespaces/default/services";

    @Test
    void listsServicesAndAnswersTheHealthyEndpointsWithAnIndex() {
        createService("reg-list", false);
        assertThat(register("reg-list", "a", "10.50.0.1", 30).status()).isEqualTo(200);

        Reply list = rest.get(REG + "/services");
        assertThat(list.status()).isEqualTo(200);
        JsonNode item = find(list.json().path("services"), "reg-list");
        assertThat(item.path("namespace").asString()).isEqualTo("default");
        assertThat(item.path("clusterIP").asString()).startsWith("10.96.");
        assertThat(item.path("ports").get(0).path("name").asString()).isEqualTo("http");
        assertThat(item.path("ports").get(0).path("port").asInt()).isEqualTo(80);
        assertThat(item.path("healthyEndpoints").asInt()).isEqualTo(1);
        assertThat(item.path("totalEndpoints").asInt()).isEqualTo(1);

        Reply one = getWithIndex("reg-list", "");
        assertThat(one.status()).isEqualTo(200);
        JsonNode endpoints = one.json().path("endpoints");
        assertThat(endpoints.size()).isEqualTo(1);
        assertThat(endpoints.get(0).path("address").asString()).isEqualTo("10.50.0.1");
        assertThat(endpoints.get(0).path("ports").path("http").asInt()).isEqualTo(8080);
        assertThat(endpoints.get(0).path("instance").asString()).isEqualTo("a");
        assertThat(one.json().path("index").asLong()).isPositive();
    }

    @Test
    void aBlockingQueryReturnsPromptlyWhenTheHealthySetChanges() throws Exception {
        createService("reg-block", false);
        register("reg-block", "a", "10.50.1.1", 30);
        long index = getWithIndex("reg-block", "").json().path("index").asLong();

        CompletableFuture<Reply> waiting = CompletableFuture.supplyAsync(
                () -> rest.get(REG + "/services/default/reg-block?index=" + index + "&wait=30s"));
        Thread.sleep(300);
        assertThat(waiting).as("a blocking query waits while nothing changes").isNotDone();
        long changed = System.nanoTime();
        register("reg-block", "b", "10.50.1.2", 30);
        Reply answer = waiting.get(5, TimeUnit.SECONDS);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changed);

        assertThat(tookMs).as("returned %d ms after the change", tookMs).isLessThan(500);
        assertThat(answer.json().path("endpoints").size()).isEqualTo(2);
        assertThat(answer.json().path("index").asLong()).isGreaterThan(index);
    }

    @Test
    void aBlockingQueryAnswersUnchangedWhenTheWaitEnds() {
        createService("reg-wait", false);
        register("reg-wait", "a", "10.50.2.1", 30);
        long index = getWithIndex("reg-wait", "").json().path("index").asLong();

        long start = System.nanoTime();
        Reply answer = rest.get(REG + "/services/default/reg-wait?index=" + index + "&wait=400ms");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(tookMs).isBetween(380L, 3000L);
        assertThat(answer.json().path("index").asLong()).isEqualTo(index);
        assertThat(answer.json().path("endpoints").size()).isEqualTo(1);
    }

    @Test
    void anInstanceIsRefreshedTurnsFailingWhenItsTtlLapsesComesBackOnRefreshAndIsDeregistered() throws Exception {
        createService("reg-ttl", false);
        register("reg-ttl", "a", "10.50.3.1", 1);
        Reply first = getWithIndex("reg-ttl", "");
        assertThat(first.json().path("endpoints").size()).isEqualTo(1);
        long index = first.json().path("index").asLong();

        // A refresh keeps the healthy set, so the index stays: waiting clients are not woken for nothing.
        assertThat(rest.put(REG + "/services/default/reg-ttl/instances/a/pass", "").status()).isEqualTo(200);
        assertThat(getWithIndex("reg-ttl", "").json().path("index").asLong()).isEqualTo(index);

        // Not refreshed again: within its TTL of 1 s (and the expirer's tick) it leaves the healthy set.
        long start = System.nanoTime();
        Reply lapsed = rest.get(REG + "/services/default/reg-ttl?index=" + index + "&wait=10s");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(lapsed.json().path("endpoints").size()).as("%s", lapsed).isZero();
        assertThat(tookMs).isBetween(500L, 3000L);
        JsonNode stored = rest.get("/apis/drover.io/v1/namespaces/default/serviceendpoints/reg-ttl").json()
                .path("endpoints").get(0);
        assertThat(stored.path("health").path("status").asString()).isEqualTo("failing");

        assertThat(rest.put(REG + "/services/default/reg-ttl/instances/a/pass", "").status()).isEqualTo(200);
        assertThat(getWithIndex("reg-ttl", "").json().path("endpoints").size()).isEqualTo(1);

        assertThat(rest.delete(REG + "/services/default/reg-ttl/instances/a").status()).isEqualTo(200);
        assertThat(getWithIndex("reg-ttl", "").json().path("endpoints").size()).isZero();
        Reply again = rest.delete(REG + "/services/default/reg-ttl/instances/a");
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().path("error").asString()).startsWith("service default/reg-ttl has no instance a");
    }

    @Test
    void badRequestsGetJsonErrorsSayingWhatIsWrong() {
        createService("reg-bad", false);
        createService("reg-selects", true);
        assertError(rest.get(REG + "/services/default/reg-nothing"), 404,
                "service default/reg-nothing does not exist; create it first");
        assertError(register("reg-nothing", "a", "10.50.4.1", 30), 404, "service default/reg-nothing does not exist");
        assertError(register("reg-selects", "a", "10.50.4.1", 30), 409,
                "service default/reg-selects has a selector {app=web}, so its endpoints are the pods it selects");
        assertError(register("reg-bad", "a", "10.50.4.1", 0), 400, "ttlSeconds must be a whole number between 1 and 86400");
        assertError(register("reg-bad", "a", "10.50.4.1", 86_401), 400, "ttlSeconds must be a whole number between 1 and 86400");
        assertError(rest.put(REG + "/services/default/reg-bad/instances/a",
                "{\"address\": \"10.50.4.1\", \"ports\": [{\"port\": 80}]}"), 400, "ttlSeconds is required");
        assertError(register("reg-bad", "a", "10.50.4.300", 30), 400, "address \"10.50.4.300\" is not an IP address");
        assertError(rest.put(REG + "/services/default/reg-bad/instances/a",
                "{\"address\": \"10.50.4.1\", \"ports\": [{\"port\": 0}], \"ttlSeconds\": 5}"), 400,
                "ports[0].port must be a port number between 1 and 65535; it is 0");
        assertError(rest.put(REG + "/services/default/reg-bad/instances/-a-", "{}"), 400, "instance id \"-a-\" is not valid");
        assertError(rest.get(REG + "/services/default/reg-bad?index=x"), 400, "query parameter index=\"x\" is not an index");
        assertError(rest.get(REG + "/services/default/reg-bad?index=1&wait=soon"), 400,
                "query parameter wait=\"soon\" is not a duration");
        assertError(rest.put(REG + "/services/default/reg-bad/instances/nobody/pass", ""), 404,
                "service default/reg-bad has no instance nobody");
        register("reg-bad", "one", "10.50.4.1", 30);
        assertError(register("reg-bad", "two", "10.50.4.1", 30), 409, "instance one of service default/reg-bad already registers 10.50.4.1");
        assertError(rest.get(REG + "/nothing"), 404, "GET /registry/v1/nothing is not a registry request");
    }

    private static void assertError(Reply reply, int status, String message) {
        assertThat(reply.status()).as("%s", reply).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/json");
        assertThat(reply.json().path("status").asInt()).isEqualTo(status);
        assertThat(reply.json().path("error").asString()).contains(message);
    }

    private static Reply register(String service, String id, String address, int ttl) {
        return rest.put(REG + "/services/default/" + service + "/instances/" + id, """
                {"address": "%s", "ports": [{"name": "http", "port": 8080}], "ttlSeconds": %d}""".formatted(address, ttl));
    }

    private static Reply getWithIndex(String service, String query) {
        Reply r = rest.get(REG + "/services/default/" + service + query);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r;
    }

    static void createService(String name, boolean withSelector) {
        Reply r = rest.post(SERVICES, """
                {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "%s"},
                 "spec": {%s"ports": [{"name": "http", "port": 80, "targetPort": 8080}]}}"""
                .formatted(name, withSelector ? "\"selector\": {\"app\": \"web\"}, " : ""));
        assertThat(r.status()).as("%s", r).isEqualTo(201);
    }

    private static JsonNode find(JsonNode services, String name) {
        for (JsonNode s : services) {
            if (s.path("name").asString().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no service " + name + " in " + services);
    }

}
