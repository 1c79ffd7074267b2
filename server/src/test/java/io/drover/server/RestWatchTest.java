package io.drover.server;

import static io.drover.server.RestClient.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.server.RestClient.WatchStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** watch=true: newline-delimited JSON events, from a resourceVersion, filtered, ended by timeoutSeconds. */
class RestWatchTest extends ServerFixture {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static String event(JsonNode e) {
        return e.path("type").asString() + " " + e.path("object").path("metadata").path("name").asString();
    }

    private static String version(RestClient.Reply r) {
        return r.json().path("metadata").path("resourceVersion").asString();
    }

    @Test
    void aWatchStreamsChangesAfterTheGivenResourceVersionInOrder() throws Exception {
        createNamespace("wa");
        String pods = API + "/namespaces/wa/pods";
        assertThat(rest.post(pods, pod(null, "before", "", "")).status()).isEqualTo(201);
        String listed = rest.get(pods).json().path("metadata").path("resourceVersion").asString();
        // Written after the list, before the watch: must be replayed.
        RestClient.Reply a = rest.post(pods, pod(null, "a", "", ""));
        assertThat(a.status()).isEqualTo(201);

        try (WatchStream w = rest.watch(pods + "?watch=true&resourceVersion=" + listed + "&timeoutSeconds=20")) {
            assertThat(w.status).isEqualTo(200);
            JsonNode first = w.next(WAIT);
            assertThat(event(first)).isEqualTo("ADDED a");
            assertThat(first.path("object").path("metadata").path("resourceVersion").asString()).isEqualTo(version(a));
            assertThat(first.path("object").path("kind").asString()).isEqualTo("Pod");

            assertThat(rest.patch(pods + "/a", "{\"metadata\":{\"labels\":{\"v\":\"2\"}}}").status()).isEqualTo(200);
            JsonNode modified = w.next(WAIT);
            assertThat(event(modified)).isEqualTo("MODIFIED a");
            assertThat(modified.path("object").path("metadata").path("labels").path("v").asString()).isEqualTo("2");

            assertThat(rest.delete(pods + "/a").status()).isEqualTo(200);
            assertThat(event(w.next(WAIT))).isEqualTo("DELETED a");
            assertThat(rest.post(pods, pod(null, "b", "", "")).status()).isEqualTo(201);
            assertThat(event(w.next(WAIT))).isEqualTo("ADDED b");
        }
    }

    @Test
    void aWatchWithASelectorSeesObjectsEnterAndLeave() throws Exception {
        createNamespace("wsel");
        String pods = API + "/namespaces/wsel/pods";
        String from = rest.get(pods).json().path("metadata").path("resourceVersion").asString();
        try (WatchStream w = rest.watch(pods + "?watch=1&labelSelector=" + query("app=web") + "&resourceVersion=" + from + "&timeoutSeconds=20")) {
            assertThat(rest.post(pods, pod(null, "x", "{\"app\":\"db\"}", "")).status()).isEqualTo(201);
            assertThat(rest.patch(pods + "/x", "{\"metadata\":{\"labels\":{\"app\":\"web\"}}}").status()).isEqualTo(200);
            assertThat(rest.patch(pods + "/x", "{\"metadata\":{\"labels\":{\"app\":\"db\"}}}").status()).isEqualTo(200);
            assertThat(rest.post(pods, pod(null, "y", "{\"app\":\"web\"}", "")).status()).isEqualTo(201);
            assertThat(event(w.next(WAIT))).isEqualTo("ADDED x");
            assertThat(event(w.next(WAIT))).isEqualTo("DELETED x");
            assertThat(event(w.next(WAIT))).isEqualTo("ADDED y");
        }
    }

    @Test
    void aWatchAcrossNamespacesAndOfOneNamespace() throws Exception {
        createNamespace("wx1");
        createNamespace("wx2");
        String from = rest.get(API + "/pods").json().path("metadata").path("resourceVersion").asString();
        try (WatchStream all = rest.watch(API + "/pods?watch=true&resourceVersion=" + from + "&timeoutSeconds=20");
                WatchStream one = rest.watch(API + "/namespaces/wx2/pods?watch=true&resourceVersion=" + from + "&timeoutSeconds=20")) {
            assertThat(rest.post(API + "/namespaces/wx1/pods", pod(null, "p1", "", "")).status()).isEqualTo(201);
            assertThat(rest.post(API + "/namespaces/wx2/pods", pod(null, "p2", "", "")).status()).isEqualTo(201);
            assertThat(event(all.next(WAIT))).isEqualTo("ADDED p1");
            assertThat(event(all.next(WAIT))).isEqualTo("ADDED p2");
            JsonNode only = one.next(WAIT);
            assertThat(event(only)).isEqualTo("ADDED p2");
            assertThat(only.path("object").path("metadata").path("namespace").asString()).isEqualTo("wx2");
        }
    }

    @Test
    void aWatchOfAQuietCollectionAnswersAtOnceNotAtTheFirstEvent() throws Exception {
        createNamespace("wq");
        // Nothing happens in this namespace: the headers must still come now, or clients wait (and time out).
        try (WatchStream w = rest.watch(API + "/namespaces/wq/pods?watch=true&timeoutSeconds=60", Duration.ofSeconds(5))) {
            assertThat(w.status).isEqualTo(200);
            assertThat(rest.post(API + "/namespaces/wq/pods", pod(null, "late", "", "")).status()).isEqualTo(201);
            assertThat(event(w.next(WAIT))).isEqualTo("ADDED late");
        }
    }

    @Test
    void timeoutSecondsEndsTheStream() throws Exception {
        long start = System.nanoTime();
        try (WatchStream w = rest.watch(API + "/networks?watch=true&timeoutSeconds=1")) {
            assertThat(w.status).isEqualTo(200);
            assertThat(w.awaitEnd(Duration.ofSeconds(8))).as("the stream ended").isTrue();
            assertThat(w.next(WAIT)).isNull();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void aWatchFromACompactedVersionEndsWithAnExpiredError() throws Exception {
        createNamespace("wc");
        String pods = API + "/namespaces/wc/pods";
        String old = version(rest.post(pods, pod(null, "c1", "", "")));
        assertThat(rest.post(pods, pod(null, "c2", "", "")).status()).isEqualTo(201);
        server.store().compact(server.store().revision());
        try (WatchStream w = rest.watch(pods + "?watch=true&resourceVersion=" + old + "&timeoutSeconds=20")) {
            JsonNode error = w.next(WAIT);
            assertThat(error.path("type").asString()).isEqualTo("ERROR");
            assertThat(error.path("object").path("kind").asString()).isEqualTo("Status");
            assertThat(error.path("object").path("code").asInt()).isEqualTo(410);
            assertThat(error.path("object").path("reason").asString()).isEqualTo("Expired");
            assertThat(w.next(WAIT)).as("the stream ends after the error").isNull();
        }
    }

    @Test
    void aBadWatchParameterIsABadRequest() {
        RestClient.Reply r = rest.get(API + "/pods?watch=true&resourceVersion=abc");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("message").asString()).contains("resourceVersion");
        assertThat(rest.get(API + "/pods?watch=true&timeoutSeconds=soon").status()).isEqualTo(400);
    }
}
