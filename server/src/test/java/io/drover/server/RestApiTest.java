package io.drover.server;

import static io.drover.server.RestClient.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.server.RestClient.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The REST verbs on both path shapes, with the status codes and bodies a client sees. */
class RestApiTest extends ServerFixture {

    private static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : list.get("items")) {
            out.add(item.path("metadata").path("namespace").asString("") + "/" + item.path("metadata").path("name").asString());
        }
        return out;
    }

    @Test
    void healthzAndVersion() {
        Reply health = rest.get("/healthz");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok");
        Reply version = rest.get("/version");
        assertThat(version.status()).isEqualTo(200);
        assertThat(version.contentType()).startsWith("application/json");
        assertThat(version.json().path("version").asString()).isEqualTo(Version.VERSION);
        assertThat(version.json().path("apiVersion").asString()).isEqualTo("drover.io/v1");
    }

    @Test
    void theDefaultNamespaceAndTenantAreServed() {
        assertThat(rest.get(API + "/namespaces/default").status()).isEqualTo(200);
        assertThat(rest.get(API + "/tenants/default").status()).isEqualTo(200);
    }

    @Test
    void aClusterScopedObjectsWholeLifecycle() {
        Reply created = rest.post(API + "/networks", network("life", "10.50.0.0/16"));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.contentType()).startsWith("application/json");
        JsonNode net = created.json();
        assertThat(net.path("kind").asString()).isEqualTo("Network");
        assertThat(net.path("metadata").path("uid").asString()).isNotEmpty();
        String v1 = net.path("metadata").path("resourceVersion").asString();
        assertThat(v1).isNotEmpty();

        Reply got = rest.get(API + "/networks/life");
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json()).isEqualTo(net);

        Reply list = rest.get(API + "/networks");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().path("kind").asString()).isEqualTo("NetworkList");
        assertThat(list.json().path("metadata").path("resourceVersion").asString()).isNotEmpty();
        assertThat(names(list.json())).contains("/life");

        ObjectNode changed = (ObjectNode) net.deepCopy();
        ((ObjectNode) changed.path("spec")).put("mtu", 1400);
        Reply replaced = rest.put(API + "/networks/life", changed.toString());
        assertThat(replaced.status()).as("%s", replaced).isEqualTo(200);
        assertThat(replaced.json().path("spec").path("mtu").asInt()).isEqualTo(1400);
        String v2 = replaced.json().path("metadata").path("resourceVersion").asString();
        assertThat(Long.parseLong(v2)).isGreaterThan(Long.parseLong(v1));

        Reply patched = rest.patch(API + "/networks/life", "{\"metadata\":{\"labels\":{\"env\":\"prod\"}}}");
        assertThat(patched.status()).as("%s", patched).isEqualTo(200);
        assertThat(patched.json().path("metadata").path("labels").path("env").asString()).isEqualTo("prod");
        assertThat(patched.json().path("spec").path("mtu").asInt()).isEqualTo(1400);

        Reply deleted = rest.delete(API + "/networks/life");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().path("metadata").path("name").asString()).isEqualTo("life");
        assertThat(rest.get(API + "/networks/life").status()).isEqualTo(404);
    }

    @Test
    void aNamespacedObjectsWholeLifecycle() {
        createNamespace("crud");
        String pods = API + "/namespaces/crud/pods";
        Reply created = rest.post(pods, pod(null, "web", "{\"app\":\"web\"}", "{\"ports\":[{\"name\":\"http\",\"port\":80}]}"));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.json().path("metadata").path("namespace").asString()).isEqualTo("crud");

        assertThat(rest.get(pods + "/web").json().path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(80);
        assertThat(rest.get(API + "/namespaces/default/pods/web").status()).as("not in another namespace").isEqualTo(404);

        ObjectNode body = (ObjectNode) created.json().deepCopy();
        ((ObjectNode) body.path("metadata")).putObject("labels").put("app", "web").put("v", "2");
        Reply replaced = rest.put(pods + "/web", body.toString());
        assertThat(replaced.status()).as("%s", replaced).isEqualTo(200);
        assertThat(replaced.json().path("metadata").path("labels").path("v").asString()).isEqualTo("2");

        Reply patched = rest.patch(pods + "/web", "{\"metadata\":{\"labels\":{\"v\":null}}}");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().path("metadata").path("labels").has("v")).isFalse();
        assertThat(patched.json().path("metadata").path("labels").path("app").asString()).isEqualTo("web");

        assertThat(rest.delete(pods + "/web").status()).isEqualTo(200);
        assertThat(rest.get(pods + "/web").status()).isEqualTo(404);
    }

    @Test
    void aPodPostedWithoutNamespaceLandsInDefault() {
        Reply created = rest.post(API + "/pods", pod(null, "nons", "", ""));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.json().path("metadata").path("namespace").asString()).isEqualTo("default");
        assertThat(rest.get(API + "/namespaces/default/pods/nons").status()).isEqualTo(200);
        assertThat(rest.delete(API + "/namespaces/default/pods/nons").status()).isEqualTo(200);
    }

    @Test
    void theStatusSubresourceReplacesOnlyTheStatus() {
        createNamespace("stat");
        String path = API + "/namespaces/stat/pods/s1";
        JsonNode created = rest.post(API + "/namespaces/stat/pods", pod(null, "s1", "", "")).json();
        ObjectNode withStatus = (ObjectNode) created.deepCopy();
        withStatus.putObject("status").put("phase", "Pending").put("message", "waiting for a node");
        ((ObjectNode) withStatus.path("metadata")).putObject("labels").put("ignored", "yes");

        Reply status = rest.put(path + "/status", withStatus.toString());
        assertThat(status.status()).as("%s", status).isEqualTo(200);
        assertThat(status.json().path("status").path("phase").asString()).isEqualTo("Pending");
        assertThat(status.json().path("metadata").path("labels").has("ignored")).isFalse();

        // A PUT of the object itself keeps the status.
        ObjectNode plain = (ObjectNode) status.json().deepCopy();
        plain.remove("status");
        Reply replaced = rest.put(path, plain.toString());
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(rest.get(path).json().path("status").path("message").asString()).isEqualTo("waiting for a node");

        // A status write needs the current resourceVersion.
        Reply stale = rest.put(path + "/status", withStatus.toString());
        assertThat(stale.status()).isEqualTo(409);
        assertThat(rest.get(path + "/status").json().path("status").path("phase").asString()).isEqualTo("Pending");
    }

    @Test
    void listsFilterByLabelSelectorAndSpanNamespaces() {
        createNamespace("lista");
        createNamespace("listb");
        assertThat(rest.post(API + "/namespaces/lista/pods", pod(null, "web-1", "{\"app\":\"web\",\"tier\":\"fe\"}", "")).status()).isEqualTo(201);
        assertThat(rest.post(API + "/namespaces/lista/pods", pod(null, "db-1", "{\"app\":\"db\"}", "")).status()).isEqualTo(201);
        assertThat(rest.post(API + "/namespaces/listb/pods", pod(null, "web-2", "{\"app\":\"web\"}", "")).status()).isEqualTo(201);

        assertThat(names(rest.get(API + "/namespaces/lista/pods").json())).containsExactlyInAnyOrder("lista/web-1", "lista/db-1");
        assertThat(names(rest.get(API + "/pods").json())).contains("lista/web-1", "lista/db-1", "listb/web-2");
        assertThat(names(rest.get(API + "/pods?labelSelector=" + query("app=web")).json()))
                .containsExactlyInAnyOrder("lista/web-1", "listb/web-2");
        assertThat(names(rest.get(API + "/namespaces/listb/pods?labelSelector=" + query("app=web")).json()))
                .containsExactly("listb/web-2");
        assertThat(names(rest.get(API + "/pods?labelSelector=" + query("app in (web,db),!tier")).json()))
                .containsExactlyInAnyOrder("lista/db-1", "listb/web-2");
        JsonNode list = rest.get(API + "/namespaces/lista/pods").json();
        assertThat(list.path("kind").asString()).isEqualTo("PodList");
        assertThat(list.path("apiVersion").asString()).isEqualTo("drover.io/v1");
    }

    @Test
    void aYamlBodyIsAccepted() {
        String yaml = """
                apiVersion: drover.io/v1
                kind: Network
                metadata:
                  name: yamlnet
                  labels: {from: yaml}
                spec:
                  subnets: ["10.60.0.0/16"]
                  natOutgoing: true
                """;
        Reply created = rest.send("POST", API + "/networks", yaml, "application/yaml");
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.contentType()).startsWith("application/json");
        assertThat(created.json().path("spec").path("natOutgoing").asBoolean()).isTrue();
        assertThat(created.json().path("metadata").path("labels").path("from").asString()).isEqualTo("yaml");
    }

    @Test
    void aMergePatchWithACharsetIsAccepted() {
        assertThat(rest.post(API + "/networks", network("charset", "10.61.0.0/16")).status()).isEqualTo(201);
        Reply patched = rest.send("PATCH", API + "/networks/charset", "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}",
                "application/merge-patch+json; charset=utf-8");
        assertThat(patched.status()).as("%s", patched).isEqualTo(200);
        assertThat(patched.json().path("metadata").path("labels").path("a").asString()).isEqualTo("b");
    }

    @Test
    void deleteHonoursAResourceVersionPrecondition() {
        createNamespace("delpre");
        String path = API + "/namespaces/delpre/pods/p";
        String v1 = rest.post(API + "/namespaces/delpre/pods", pod(null, "p", "", "")).json().path("metadata").path("resourceVersion").asString();
        String v2 = rest.patch(path, "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}").json().path("metadata").path("resourceVersion").asString();

        Reply stale = rest.delete(path + "?resourceVersion=" + v1);
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.json().path("reason").asString()).isEqualTo("Conflict");
        assertThat(rest.get(path).status()).isEqualTo(200);

        assertThat(rest.delete(path + "?resourceVersion=" + v2).status()).isEqualTo(200);
        assertThat(rest.get(path).status()).isEqualTo(404);
    }

    @Test
    void aPutWithoutResourceVersionIsLastWriterWinsAndAStaleOneIsAConflict() {
        createNamespace("lww");
        String path = API + "/namespaces/lww/pods/p";
        JsonNode v1 = rest.post(API + "/namespaces/lww/pods", pod(null, "p", "{\"v\":\"1\"}", "")).json();
        assertThat(rest.patch(path, "{\"metadata\":{\"labels\":{\"v\":\"2\"}}}").status()).isEqualTo(200);

        ObjectNode stale = (ObjectNode) v1.deepCopy();
        ((ObjectNode) stale.path("metadata")).putObject("labels").put("v", "3");
        Reply conflict = rest.put(path, stale.toString());
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(rest.get(path).json().path("metadata").path("labels").path("v").asString()).isEqualTo("2");

        ((ObjectNode) stale.path("metadata")).remove("resourceVersion");
        Reply blind = rest.put(path, stale.toString());
        assertThat(blind.status()).as("%s", blind).isEqualTo(200);
        assertThat(rest.get(path).json().path("metadata").path("labels").path("v").asString()).isEqualTo("3");
    }
}
