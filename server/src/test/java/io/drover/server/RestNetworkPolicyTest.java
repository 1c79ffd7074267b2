package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.api.client.DroverClient;
import io.drover.model.ResourceKind;
import io.drover.model.codec.ManifestReader;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.policy.PortReference;
import io.drover.server.RestClient.Reply;
import io.drover.server.RestClient.WatchStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Kubernetes' NetworkPolicy served where Kubernetes serves it, {@code /apis/networking.k8s.io/v1}, with the same
 * verbs as Drover's kinds; Drover's own paths stay where they were.
 */
class RestNetworkPolicyTest extends ServerFixture {

    static final String NETWORKING = "/apis/networking.k8s.io/v1";

    private static final String EXAMPLE = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: allow-client-a-via-ns-selector, namespace: npx}
            spec:
              podSelector: {matchLabels: {pod: a}}
              policyTypes: [Ingress]
              ingress:
              - from:
                - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}
                  podSelector: {matchExpressions: [{key: pod, operator: In, values: [b, c]}]}
                - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
                ports:
                - {port: 81, protocol: TCP}
                - {port: serve-80-udp, protocol: UDP}
                - {port: 1000, endPort: 2000}
            """;

    private static String policy(String namespace, String name, String spec) {
        String ns = namespace == null ? "" : ",\"namespace\":\"" + namespace + "\"";
        return """
                {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"%s"%s},"spec":%s}
                """.formatted(name, ns, spec);
    }

    private static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : list.get("items")) {
            out.add(item.path("metadata").path("namespace").asString() + "/" + item.path("metadata").path("name").asString());
        }
        return out;
    }

    @Test
    void aPolicysWholeLifecycleInYamlAsWrittenForKubernetes() {
        createNamespace("npx");
        String collection = NETWORKING + "/namespaces/npx/networkpolicies";
        Reply created = rest.send("POST", collection, EXAMPLE, "application/yaml");
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        JsonNode body = created.json();
        assertThat(body.path("apiVersion").asString()).isEqualTo("networking.k8s.io/v1");
        assertThat(body.path("kind").asString()).isEqualTo("NetworkPolicy");
        assertThat(body.path("metadata").path("uid").asString()).isNotEmpty();
        JsonNode ports = body.path("spec").path("ingress").get(0).path("ports");
        assertThat(ports.get(0).path("port").isInt()).isTrue();
        assertThat(ports.get(1).path("port").asString()).isEqualTo("serve-80-udp");
        // What the server returns is the policy that was sent, plus the server's metadata.
        NetworkPolicy sent = (NetworkPolicy) ManifestReader.readSingle("example", EXAMPLE).resource();
        NetworkPolicy returned = (NetworkPolicy) ManifestReader.fromTree("reply", body).resource();
        assertThat(returned.spec()).isEqualTo(sent.spec());

        Reply got = rest.get(collection + "/allow-client-a-via-ns-selector");
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json()).isEqualTo(body);

        Reply list = rest.get(collection);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().path("apiVersion").asString()).isEqualTo("networking.k8s.io/v1");
        assertThat(list.json().path("kind").asString()).isEqualTo("NetworkPolicyList");
        assertThat(names(list.json())).containsExactly("npx/allow-client-a-via-ns-selector");
        assertThat(names(rest.get(NETWORKING + "/networkpolicies").json())).contains("npx/allow-client-a-via-ns-selector");

        Reply patched = rest.patch(collection + "/allow-client-a-via-ns-selector",
                "{\"spec\":{\"policyTypes\":[\"Ingress\",\"Egress\"]}}");
        assertThat(patched.status()).as("%s", patched).isEqualTo(200);
        assertThat(patched.json().path("spec").path("policyTypes").toString()).isEqualTo("[\"Ingress\",\"Egress\"]");

        Reply deleted = rest.delete(collection + "/allow-client-a-via-ns-selector");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().path("metadata").path("name").asString()).isEqualTo("allow-client-a-via-ns-selector");
        assertThat(rest.get(collection + "/allow-client-a-via-ns-selector").status()).isEqualTo(404);
    }

    @Test
    void replaceNeedsTheNameOfThePath() {
        String collection = NETWORKING + "/namespaces/default/networkpolicies";
        assertThat(rest.post(collection, policy(null, "np-replace", "{\"podSelector\":{}}")).status()).isEqualTo(201);
        Reply replaced = rest.put(collection + "/np-replace", policy(null, "np-replace", "{\"podSelector\":{\"matchLabels\":{\"app\":\"db\"}}}"));
        assertThat(replaced.status()).as("%s", replaced).isEqualTo(200);
        assertThat(replaced.json().path("metadata").path("namespace").asString()).isEqualTo("default");
        assertThat(replaced.json().path("spec").path("podSelector").path("matchLabels").path("app").asString()).isEqualTo("db");
        assertThat(rest.put(collection + "/other", policy(null, "np-replace", "{}")).status()).isEqualTo(400);
        assertThat(rest.delete(collection + "/np-replace").status()).isEqualTo(200);
    }

    @Test
    void anInvalidPolicyIsUnprocessableNamingTheField() {
        String spec = "{\"ingress\":[{\"from\":[{\"ipBlock\":{\"cidr\":\"10.0.0.0/16\",\"except\":[\"10.1.0.0/24\"]}}],"
                + "\"ports\":[{\"port\":70000}]}]}";
        Reply reply = rest.post(NETWORKING + "/namespaces/default/networkpolicies", policy(null, "np-bad", spec));
        assertThat(reply.status()).as("%s", reply).isEqualTo(422);
        JsonNode status = reply.json();
        assertThat(status.path("reason").asString()).isEqualTo("Invalid");
        assertThat(status.path("details").path("kind").asString()).isEqualTo("networkpolicies");
        List<String> fields = new ArrayList<>();
        status.path("details").path("causes").forEach(c -> fields.add(c.path("field").asString()));
        assertThat(fields).containsExactly("spec.ingress[0].from[0].ipBlock.except[0]", "spec.ingress[0].ports[0].port");
        assertThat(status.path("message").asString()).contains("10.1.0.0/24 is outside the block 10.0.0.0/16");
        assertThat(rest.get(NETWORKING + "/namespaces/default/networkpolicies/np-bad").status()).isEqualTo(404);
    }

    @Test
    void aPolicyInAMissingNamespaceIsNotFound() {
        Reply reply = rest.post(NETWORKING + "/namespaces/np-nowhere/networkpolicies", policy(null, "p", "{}"));
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().path("message").asString()).contains("namespace \"np-nowhere\" not found");
    }

    @Test
    void eachKindIsServedUnderItsOwnGroupOnly() {
        Reply wrongGroup = rest.get(API + "/namespaces/default/networkpolicies");
        assertThat(wrongGroup.status()).isEqualTo(404);
        assertThat(wrongGroup.json().path("message").asString()).isEqualTo("the server has no resource \"networkpolicies\" "
                + "in drover.io/v1; networkpolicies are served at /apis/networking.k8s.io/v1/namespaces/NS/networkpolicies");
        assertThat(rest.get(NETWORKING + "/namespaces/default/pods").status()).isEqualTo(404);
        Reply unknownGroup = rest.get("/apis/apps/v1/deployments");
        assertThat(unknownGroup.status()).isEqualTo(404);
        assertThat(unknownGroup.json().path("message").asString()).contains("/apis/drover.io/v1")
                .contains("/apis/networking.k8s.io/v1");
        // A body of the wrong kind for the path is refused, whichever group it is sent to.
        assertThat(rest.post(NETWORKING + "/namespaces/default/networkpolicies", pod(null, "p", "", "")).status()).isEqualTo(400);
        // Drover's paths are unchanged.
        assertThat(rest.get(API + "/namespaces/default").status()).isEqualTo(200);
        assertThat(rest.get(API + "/namespaces/default/pods").status()).isEqualTo(200);
    }

    @Test
    void aWatchStreamsPolicyChanges() throws Exception {
        String collection = NETWORKING + "/namespaces/default/networkpolicies";
        String from = rest.get(collection).json().path("metadata").path("resourceVersion").asString();
        try (WatchStream w = rest.watch(collection + "?watch=true&resourceVersion=" + from + "&timeoutSeconds=20")) {
            assertThat(w.status).isEqualTo(200);
            assertThat(rest.post(collection, policy(null, "np-watch", "{}")).status()).isEqualTo(201);
            JsonNode added = w.next(Duration.ofSeconds(10));
            assertThat(added.path("type").asString()).isEqualTo("ADDED");
            assertThat(added.path("object").path("kind").asString()).isEqualTo("NetworkPolicy");
            assertThat(rest.delete(collection + "/np-watch").status()).isEqualTo(200);
            assertThat(w.next(Duration.ofSeconds(10)).path("type").asString()).isEqualTo("DELETED");
        }
    }

    @Test
    void theClientUsesThePolicysGroup() {
        try (DroverClient client = new DroverClient(URI.create("http://127.0.0.1:" + server.port()))) {
            NetworkPolicy policy = (NetworkPolicy) ManifestReader.readSingle("example", EXAMPLE.replace("npx", "default"))
                    .resource();
            NetworkPolicy created = (NetworkPolicy) client.create(policy);
            assertThat(created.spec()).isEqualTo(policy.spec());
            assertThat(created.spec().ingressRules().getFirst().portList().get(1).port())
                    .isEqualTo(PortReference.named("serve-80-udp"));
            assertThat(client.list(ResourceKind.NETWORK_POLICY, "default", null).items()).extracting(r -> r.name())
                    .contains("allow-client-a-via-ns-selector");
            assertThat(client.get(ResourceKind.NETWORK_POLICY, "default", "allow-client-a-via-ns-selector")).isEqualTo(created);
            client.delete(ResourceKind.NETWORK_POLICY, "default", "allow-client-a-via-ns-selector");
            assertThat(client.find(ResourceKind.NETWORK_POLICY, "default", "allow-client-a-via-ns-selector")).isEmpty();
        }
    }
}
