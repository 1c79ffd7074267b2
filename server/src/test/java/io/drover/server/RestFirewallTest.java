package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.api.client.DroverClient;
import io.drover.model.ResourceKind;
import io.drover.model.codec.ManifestReader;
import io.drover.model.firewall.FirewallPolicy;
import io.drover.server.RestClient.Reply;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The distributed firewall's kinds served as Drover's own, cluster-scoped: {@code /apis/drover.io/v1/securitygroups},
 * {@code /firewallpolicies}, {@code /firewallsettings}; refusals are Status objects naming each field.
 */
class RestFirewallTest extends ServerFixture {

    private static final String GROUPS = API + "/securitygroups";
    private static final String POLICIES = API + "/firewallpolicies";

    private static final String WEB_TIER = """
            apiVersion: drover.io/v1
            kind: SecurityGroup
            metadata: {name: rest-web-tier}
            spec:
              members: [{podSelector: {matchLabels: {tier: web}}}]
            """;

    private static final String ISOLATE_WEB = """
            apiVersion: drover.io/v1
            kind: FirewallPolicy
            metadata: {name: rest-isolate-web}
            spec:
              tier: security
              priority: 10
              rules:
              - name: web-to-web
                action: Drop
                sources: [{group: rest-web-tier}]
                destinations: [{group: rest-web-tier}]
                logging: true
            """;

    private static List<String> fields(JsonNode status) {
        List<String> fields = new ArrayList<>();
        status.path("details").path("causes").forEach(c -> fields.add(c.path("field").asString()));
        return fields;
    }

    @Test
    void theSeedScenarioInYamlAndItsLifecycle() {
        Reply unknownGroup = rest.send("POST", POLICIES, ISOLATE_WEB, "application/yaml");
        assertThat(unknownGroup.status()).as("%s", unknownGroup).isEqualTo(422);
        assertThat(fields(unknownGroup.json())).containsExactly("spec.rules[0].sources[0].group",
                "spec.rules[0].destinations[0].group");
        assertThat(unknownGroup.json().path("message").asString()).contains("security group \"rest-web-tier\" does not exist");
        assertThat(rest.get(POLICIES + "/rest-isolate-web").status()).isEqualTo(404);

        assertThat(rest.send("POST", GROUPS, WEB_TIER, "application/yaml").status()).isEqualTo(201);
        Reply created = rest.send("POST", POLICIES, ISOLATE_WEB, "application/yaml");
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.json().path("kind").asString()).isEqualTo("FirewallPolicy");
        assertThat(created.json().path("metadata").has("namespace")).isFalse();

        Reply list = rest.get(POLICIES);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().path("kind").asString()).isEqualTo("FirewallPolicyList");

        Reply inUse = rest.delete(GROUPS + "/rest-web-tier");
        assertThat(inUse.status()).isEqualTo(409);
        assertThat(inUse.json().path("message").asString()).contains("still used by firewall policy rest-isolate-web");

        Reply patched = rest.patch(POLICIES + "/rest-isolate-web", "{\"spec\":{\"priority\":20}}");
        assertThat(patched.status()).as("%s", patched).isEqualTo(200);
        assertThat(patched.json().path("spec").path("priority").asInt()).isEqualTo(20);

        assertThat(rest.delete(POLICIES + "/rest-isolate-web").status()).isEqualTo(200);
        assertThat(rest.delete(GROUPS + "/rest-web-tier").status()).isEqualTo(200);
    }

    @Test
    void aNamespacedPathIsRefusedForTheClusterScopedKinds() {
        Reply reply = rest.get(API + "/namespaces/default/firewallpolicies");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("message").asString()).contains("firewallpolicies are cluster-scoped");
    }

    @Test
    void duplicatePrioritiesAndBadFieldsAreUnprocessable() {
        String policy = """
                {"apiVersion":"drover.io/v1","kind":"FirewallPolicy","metadata":{"name":"%s"},
                 "spec":{"tier":"emergency","priority":5,"rules":[{"name":"r","action":"Drop"}]}}""";
        assertThat(rest.post(POLICIES, policy.formatted("rest-first")).status()).isEqualTo(201);
        Reply taken = rest.post(POLICIES, policy.formatted("rest-second"));
        assertThat(taken.status()).isEqualTo(422);
        assertThat(fields(taken.json())).containsExactly("spec.priority");
        assertThat(taken.json().path("message").asString()).contains("already firewall policy \"rest-first\"'s");

        Reply bad = rest.post(POLICIES, """
                {"apiVersion":"drover.io/v1","kind":"FirewallPolicy","metadata":{"name":"rest-bad"},
                 "spec":{"priority":1,"rules":[{"name":"r","action":"Allow",
                   "sources":[{"ipBlock":{"cidr":"10.0.0.0/16","except":["10.1.0.0/24"]}}],
                   "services":[{"port":70000}]}]}}""");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(fields(bad.json())).containsExactly("spec.rules[0].sources[0].ipBlock.except[0]", "spec.rules[0].services[0].port");
        assertThat(rest.delete(POLICIES + "/rest-first").status()).isEqualTo(200);
    }

    @Test
    void theClientServesTheKinds() {
        try (DroverClient client = new DroverClient(URI.create("http://127.0.0.1:" + server.port()))) {
            client.create(ManifestReader.readSingle("sg", WEB_TIER.replace("rest-web-tier", "client-web-tier")).resource());
            FirewallPolicy policy = (FirewallPolicy) ManifestReader.readSingle("fwp", ISOLATE_WEB
                    .replace("rest-", "client-")).resource();
            FirewallPolicy created = (FirewallPolicy) client.create(policy);
            assertThat(created.spec()).isEqualTo(policy.spec());
            assertThat(client.list(ResourceKind.FIREWALL_POLICY, null, null).items()).extracting(r -> r.name())
                    .contains("client-isolate-web");
            client.delete(ResourceKind.FIREWALL_POLICY, null, "client-isolate-web");
            client.delete(ResourceKind.SECURITY_GROUP, null, "client-web-tier");
            assertThat(client.find(ResourceKind.SECURITY_GROUP, null, "client-web-tier")).isEmpty();
        }
    }
}
