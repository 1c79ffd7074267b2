package io.drover.server;

import static io.drover.server.RestClient.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.server.RestClient.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Refusals as Kubernetes Status objects: code, reason, a message that says what to do, details and causes. */
class RestErrorsTest extends ServerFixture {

    /** Checks the Status envelope and returns it. */
    private static JsonNode status(Reply reply, int code, String reason) {
        assertThat(reply.status()).as("%s", reply).isEqualTo(code);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonNode body = reply.json();
        assertThat(body.path("kind").asString()).isEqualTo("Status");
        assertThat(body.path("apiVersion").asString()).isEqualTo("v1");
        assertThat(body.path("status").asString()).isEqualTo("Failure");
        assertThat(body.path("code").asInt()).isEqualTo(code);
        assertThat(body.path("reason").asString()).isEqualTo(reason);
        assertThat(body.path("message").asString()).isNotBlank();
        return body;
    }

    private static List<String> causeFields(JsonNode status) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : status.path("details").path("causes")) {
            out.add(c.path("field").asString());
            assertThat(c.path("message").asString()).isNotBlank();
        }
        return out;
    }

    @Test
    void malformedJsonIsABadRequestNamingLineAndColumn() {
        String body = "{\"apiVersion\": \"drover.io/v1\",\n \"kind\": \"Pod\",\n \"metadata\": {\"name\": \"x\"}}}\n";
        JsonNode s = status(rest.post(API + "/namespaces/default/pods", body), 400, "BadRequest");
        assertThat(s.path("message").asString()).containsPattern("line 3, column \\d+");
        assertThat(rest.get(API + "/namespaces/default/pods/x").status()).isEqualTo(404);
    }

    @Test
    void malformedYamlIsABadRequestNamingLineAndColumn() {
        String body = "apiVersion: drover.io/v1\nkind: Pod\nmetadata:\n  name: [x\n";
        JsonNode s = status(rest.send("POST", API + "/namespaces/default/pods", body, "application/yaml"), 400, "BadRequest");
        assertThat(s.path("message").asString()).containsPattern("request body:\\d+:\\d+");
    }

    @Test
    void anUnknownFieldIsABadRequestNamingTheField() {
        String body = "{\"apiVersion\":\"drover.io/v1\",\"kind\":\"Pod\",\n\"metadata\":{\"name\":\"x\"},\n\"spec\":{\"nod\":\"n1\"}}";
        JsonNode s = status(rest.post(API + "/namespaces/default/pods", body), 400, "BadRequest");
        assertThat(s.path("message").asString()).contains("spec.nod").contains("\"node\"");
        // In YAML, which keeps positions, the message also points at the line.
        String yaml = "apiVersion: drover.io/v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  nod: n1\n";
        JsonNode y = status(rest.send("POST", API + "/namespaces/default/pods", yaml, "application/yaml"), 400, "BadRequest");
        assertThat(y.path("message").asString()).contains("spec.nod").containsPattern("request body:5:\\d+");
        assertThat(rest.get(API + "/namespaces/default/pods/x").status()).isEqualTo(404);
    }

    @Test
    void malformedJsonInAPatchNamesLineAndColumn() {
        assertThat(rest.post(API + "/networks", network("badpatch", "10.70.0.0/16")).status()).isEqualTo(201);
        JsonNode s = status(rest.patch(API + "/networks/badpatch", "{\"metadata\":\n {\"labels\": {\"a\": }}}"), 400, "BadRequest");
        assertThat(s.path("message").asString()).contains("line 2").contains("column");
    }

    @Test
    void anUnknownResourceIsNotFoundListingTheServedOnes() {
        JsonNode s = status(rest.get(API + "/widgets"), 404, "NotFound");
        assertThat(s.path("message").asString()).contains("widgets").contains("pods").contains("networks").contains("namespaces");
        status(rest.get(API + "/namespaces/default/widgets/x"), 404, "NotFound");
    }

    @Test
    void aMissingObjectIsNotFoundWithDetails() {
        JsonNode s = status(rest.get(API + "/namespaces/default/pods/ghost"), 404, "NotFound");
        assertThat(s.path("message").asString()).contains("ghost");
        assertThat(s.path("details").path("kind").asString()).isEqualTo("pods");
        assertThat(s.path("details").path("name").asString()).isEqualTo("ghost");
        status(rest.delete(API + "/networks/ghost"), 404, "NotFound");
        status(rest.patch(API + "/networks/ghost", "{}"), 404, "NotFound");
        status(rest.put(API + "/networks/ghost", network("ghost", "10.71.0.0/16")), 404, "NotFound");
    }

    @Test
    void aPodInAMissingNamespaceIsNotFoundNamingIt() {
        JsonNode s = status(rest.post(API + "/namespaces/nowhere/pods", pod(null, "p", "", "")), 404, "NotFound");
        assertThat(s.path("message").asString()).contains("namespace \"nowhere\"");
    }

    @Test
    void aDuplicateIsAlreadyExists() {
        assertThat(rest.post(API + "/networks", network("dup", "10.72.0.0/16")).status()).isEqualTo(201);
        JsonNode s = status(rest.post(API + "/networks", network("dup", "10.73.0.0/16")), 409, "AlreadyExists");
        assertThat(s.path("message").asString()).contains("dup");
        assertThat(rest.get(API + "/networks/dup").json().path("spec").path("subnets").get(0).asString()).isEqualTo("10.72.0.0/16");
    }

    @Test
    void aStaleResourceVersionIsAConflictWithDetails() {
        JsonNode v1 = rest.post(API + "/namespaces/default/pods", pod(null, "stale", "", "")).json();
        assertThat(rest.patch(API + "/namespaces/default/pods/stale", "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}").status()).isEqualTo(200);
        JsonNode s = status(rest.put(API + "/namespaces/default/pods/stale", v1.toString()), 409, "Conflict");
        assertThat(s.path("details").path("kind").asString()).isEqualTo("pods");
        assertThat(s.path("details").path("name").asString()).isEqualTo("stale");
        assertThat(s.path("message").asString()).contains(v1.path("metadata").path("resourceVersion").asString());
    }

    @Test
    void invalidFieldsAreUnprocessableWithCauses() {
        String spec = "{\"ports\":[{\"name\":\"http\",\"port\":70000},{\"name\":\"http\",\"port\":81}]}";
        JsonNode s = status(rest.post(API + "/namespaces/default/pods", pod(null, "badports", "", spec)), 422, "Invalid");
        assertThat(causeFields(s)).contains("spec.ports[0].port", "spec.ports[1].name");
        assertThat(s.path("details").path("kind").asString()).isEqualTo("pods");
        assertThat(rest.get(API + "/namespaces/default/pods/badports").status()).isEqualTo(404);
    }

    @Test
    void anOverlappingNetworkIsInvalidNamingTheOther() {
        assertThat(rest.post(API + "/networks", network("ovla", "10.80.0.0/16")).status()).isEqualTo(201);
        JsonNode s = status(rest.post(API + "/networks", network("ovlb", "10.80.5.0/24")), 422, "Invalid");
        assertThat(causeFields(s)).containsExactly("spec.subnets[0]");
        assertThat(s.path("message").asString()).contains("ovla");
    }

    @Test
    void aPatchWithAnotherContentTypeIsUnsupportedMediaType() {
        assertThat(rest.post(API + "/networks", network("ctype", "10.74.0.0/16")).status()).isEqualTo(201);
        JsonNode s = status(rest.send("PATCH", API + "/networks/ctype", "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}", "text/plain"),
                415, "UnsupportedMediaType");
        assertThat(s.path("message").asString()).contains("application/merge-patch+json");
        status(rest.send("PATCH", API + "/networks/ctype", "[{\"op\":\"add\"}]", "application/json-patch+json"), 415, "UnsupportedMediaType");
        assertThat(rest.get(API + "/networks/ctype").json().path("metadata").path("labels").has("a")).isFalse();
    }

    @Test
    void wrongMethodsAreMethodNotAllowed() {
        status(rest.put(API + "/networks", network("m", "10.75.0.0/16")), 405, "MethodNotAllowed");
        status(rest.delete(API + "/namespaces/default/pods"), 405, "MethodNotAllowed");
        status(rest.send("PATCH", API + "/networks", "{}", RestClient.MERGE_PATCH), 405, "MethodNotAllowed");
        status(rest.post(API + "/networks/m", network("m", "10.75.0.0/16")), 405, "MethodNotAllowed");
        status(rest.send("OPTIONS", API + "/networks", null, null), 405, "MethodNotAllowed");
        assertThat(rest.get(API + "/networks/m").status()).isEqualTo(404);
    }

    @Test
    void aBodyNamingAnotherNamespaceThanThePathIsABadRequest() {
        createNamespace("mismatch");
        JsonNode s = status(rest.post(API + "/namespaces/default/pods", pod("mismatch", "p", "", "")), 400, "BadRequest");
        assertThat(s.path("message").asString()).contains("mismatch").contains("default");
        assertThat(rest.get(API + "/namespaces/mismatch/pods/p").status()).isEqualTo(404);
        assertThat(rest.get(API + "/namespaces/default/pods/p").status()).isEqualTo(404);
    }

    @Test
    void aBodyOfAnotherKindOrNameThanThePathIsABadRequest() {
        status(rest.post(API + "/namespaces/default/pods", network("kindx", "10.76.0.0/16")), 400, "BadRequest");
        assertThat(rest.post(API + "/networks", network("namex", "10.77.0.0/16")).status()).isEqualTo(201);
        JsonNode s = status(rest.put(API + "/networks/namex", network("namey", "10.77.0.0/16")), 400, "BadRequest");
        assertThat(s.path("message").asString()).contains("namey").contains("namex");
    }

    @Test
    void aClusterScopedKindUnderANamespaceIsABadRequest() {
        JsonNode s = status(rest.get(API + "/namespaces/default/networks"), 400, "BadRequest");
        assertThat(s.path("message").asString()).contains("cluster-scoped");
    }

    @Test
    void aBadLabelSelectorIsABadRequest() {
        JsonNode s = status(rest.get(API + "/pods?labelSelector=" + query("app in web")), 400, "BadRequest");
        assertThat(s.path("message").asString()).contains("parentheses");
    }

    @Test
    void aBodyWithTwoObjectsIsABadRequest() {
        String two = network("two1", "10.79.0.0/24") + "---\n" + network("two2", "10.79.1.0/24");
        JsonNode s = status(rest.send("POST", API + "/networks", two, "application/yaml"), 400, "BadRequest");
        assertThat(s.path("message").asString()).contains("found 2");
        assertThat(rest.get(API + "/networks/two1").status()).isEqualTo(404);
    }

    @Test
    void aStatusWriteWithoutResourceVersionIsInvalid() {
        JsonNode created = rest.post(API + "/namespaces/default/pods", pod(null, "nover", "", "")).json();
        tools.jackson.databind.node.ObjectNode body = (tools.jackson.databind.node.ObjectNode) created.deepCopy();
        ((tools.jackson.databind.node.ObjectNode) body.path("metadata")).remove("resourceVersion");
        body.putObject("status").put("phase", "Pending");
        JsonNode s = status(rest.put(API + "/namespaces/default/pods/nover/status", body.toString()), 422, "Invalid");
        assertThat(causeFields(s)).containsExactly("metadata.resourceVersion");
    }

    @Test
    void anEmptyBodyIsABadRequest() {
        status(rest.send("POST", API + "/networks", null, RestClient.JSON), 400, "BadRequest");
    }

    @Test
    void deletesThatWouldBreakReferencesAreConflicts() {
        createNamespace("busy");
        assertThat(rest.post(API + "/namespaces/busy/pods", pod(null, "p", "", "")).status()).isEqualTo(201);
        JsonNode s = status(rest.delete(API + "/namespaces/busy"), 409, "Conflict");
        assertThat(s.path("message").asString()).contains("busy/p");
        status(rest.delete(API + "/namespaces/default"), 409, "Conflict");
        assertThat(rest.get(API + "/namespaces/busy").status()).isEqualTo(200);
        assertThat(rest.delete(API + "/namespaces/busy/pods/p").status()).isEqualTo(200);
        assertThat(rest.delete(API + "/namespaces/busy").status()).isEqualTo(200);
        assertThat(rest.get(API + "/namespaces/busy").status()).isEqualTo(404);
    }

    @Test
    void deleteAndPatchOfTheStatusSubresourceAreNotAllowed() {
        assertThat(rest.post(API + "/networks", network("keepme", "10.78.0.0/16")).status()).isEqualTo(201);
        status(rest.delete(API + "/networks/keepme/status"), 405, "MethodNotAllowed");
        // Nor does a PATCH of the status answer 200 while changing nothing (or the labels instead).
        status(rest.patch(API + "/networks/keepme/status", "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}"), 405, "MethodNotAllowed");
        assertThat(rest.get(API + "/networks/keepme").json().path("metadata").path("labels").has("a")).isFalse();
        assertThat(rest.get(API + "/networks/keepme").status()).isEqualTo(200);
    }
}
