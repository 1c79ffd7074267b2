package io.drover.api.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.api.ApiException;
import io.drover.api.ApiException.Reason;
import io.drover.api.ResourceEvent;
import io.drover.model.ResourceKind;
import io.drover.model.codec.ResourceCodec;
import io.drover.model.meta.LabelSelector;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.meta.SelectorSpec;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.policy.NetworkPolicyPeer;
import io.drover.model.policy.NetworkPolicyRule;
import io.drover.model.policy.NetworkPolicySpec;
import io.drover.model.tenant.Namespace;
import io.drover.store.Watch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** NetworkPolicy in the registry: a namespaced kind like Pod, refused in a namespace that does not exist. */
class RegistryNetworkPolicyTest extends RegistryFixture {

    private static NetworkPolicy policy(String namespace, String name, Map<String, String> podLabels) {
        return NetworkPolicy.of(ObjectMeta.named(namespace, name), new NetworkPolicySpec(SelectorSpec.labels(podLabels),
                List.of("Ingress"), List.of(new NetworkPolicyRule(List.of(new NetworkPolicyPeer(SelectorSpec.EVERYTHING,
                        null, null)), null, null)), null));
    }

    @Test
    void aPolicyInAMissingNamespaceIsNotFoundNamingTheNamespace() {
        long before = store.revision();
        ApiException e = refusal(() -> registry.create(policy("shop", "allow-web", Map.of("app", "web"))));
        assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
        assertThat(e.getMessage()).isEqualTo("namespace \"shop\" not found; create it first (kind: Namespace, "
                + "metadata.name: shop) or choose another namespace");
        assertThat(store.revision()).isEqualTo(before);

        registry.create(namespace("shop"));
        assertThat(registry.create(policy("shop", "allow-web", Map.of("app", "web"))).namespace()).isEqualTo("shop");
    }

    @Test
    void aPolicyIsStoredUnderItsOwnKeysAndReadBackUnchanged() {
        registry.create(namespace("shop"));
        NetworkPolicy created = registry.create(policy("shop", "allow-web", Map.of("app", "web")));
        assertThat(created.metadata().uid()).isNotEmpty();
        assertThat(created.apiVersion()).isEqualTo("networking.k8s.io/v1");
        assertThat(store.get("/drover/registry/networkpolicies/shop/allow-web")).isPresent();

        NetworkPolicy got = registry.get(NetworkPolicy.class, "shop", "allow-web").orElseThrow();
        assertThat(got).isEqualTo(created);
        assertThat(got.spec()).isEqualTo(policy("shop", "allow-web", Map.of("app", "web")).spec());

        // "networks" and "networkpolicies" share a beginning; neither list captures the other.
        registry.create(network("blue", "10.10.0.0/16"));
        assertThat(registry.list(ResourceKind.NETWORK, null, null).items()).extracting(r -> r.name()).containsExactly("blue");
        assertThat(registry.list(ResourceKind.NETWORK_POLICY, null, null).items()).extracting(r -> r.name())
                .containsExactly("allow-web");
        String stored = new String(store.get("/drover/registry/networkpolicies/shop/allow-web").orElseThrow().value(),
                StandardCharsets.UTF_8);
        assertThat(stored).contains("\"apiVersion\":\"networking.k8s.io/v1\"").doesNotContain("resourceVersion");
    }

    @Test
    void listsByNamespaceAndLabels() {
        registry.create(namespace("shop"));
        registry.create(policy("default", "a", Map.of()).withMetadata(ObjectMeta.named("default", "a").withLabels(Map.of("team", "x"))));
        registry.create(policy("shop", "b", Map.of()));
        assertThat(registry.list(ResourceKind.NETWORK_POLICY, null, null).items()).extracting(r -> r.name())
                .containsExactlyInAnyOrder("a", "b");
        assertThat(registry.list(ResourceKind.NETWORK_POLICY, "shop", null).items()).extracting(r -> r.name())
                .containsExactly("b");
        assertThat(registry.list(ResourceKind.NETWORK_POLICY, null, LabelSelector.parse("team=x")).items())
                .extracting(r -> r.name()).containsExactly("a");
    }

    @Test
    void anInvalidPolicyIsRefusedNamingTheField() {
        NetworkPolicy bad = NetworkPolicy.of(ObjectMeta.named("default", "bad"),
                new NetworkPolicySpec(null, List.of("Inbound"), null, null));
        ApiException e = refusal(() -> registry.create(bad));
        assertThat(e.reason()).isEqualTo(Reason.INVALID);
        assertThat(fields(e)).containsExactly("spec.policyTypes[0]");
        assertThat(registry.get(ResourceKind.NETWORK_POLICY, "default", "bad")).isEmpty();
    }

    @Test
    void replacePatchAndDelete() {
        NetworkPolicy created = registry.create(policy("default", "p", Map.of("app", "web")));
        NetworkPolicy replaced = registry.replace(policy("default", "p", Map.of("app", "db")));
        assertThat(replaced.spec().podSelector().matchLabels()).containsExactly(Map.entry("app", "db"));
        assertThat(replaced.metadata().uid()).isEqualTo(created.metadata().uid());

        NetworkPolicy patched = (NetworkPolicy) registry.patch(ResourceKind.NETWORK_POLICY, "default", "p",
                ResourceCodec.json().readTree("{\"spec\":{\"policyTypes\":[\"Ingress\",\"Egress\"]}}"));
        assertThat(patched.spec().policyTypes()).containsExactly("Ingress", "Egress");
        assertThat(patched.spec().podSelector().matchLabels()).containsExactly(Map.entry("app", "db"));

        ApiException invalid = refusal(() -> registry.patch(ResourceKind.NETWORK_POLICY, "default", "p",
                ResourceCodec.json().readTree("{\"spec\":{\"podSelector\":{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"In\"}]}}}")));
        assertThat(fields(invalid)).containsExactly("spec.podSelector.matchExpressions[0].values");

        assertThat(registry.delete(ResourceKind.NETWORK_POLICY, "default", "p", null).name()).isEqualTo("p");
        assertThat(registry.get(ResourceKind.NETWORK_POLICY, "default", "p")).isEmpty();
    }

    @Test
    void aNamespaceHoldingPoliciesCannotBeDeletedUntilTheyAreGone() {
        registry.create(namespace("shop"));
        registry.create(policy("shop", "deny-all", Map.of()));
        ApiException e = refusal(() -> registry.delete(ResourceKind.NAMESPACE, null, "shop", null));
        assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
        assertThat(e.getMessage()).isEqualTo("namespace \"shop\" still holds 1 network policy (shop/deny-all); delete them first");

        registry.create(pod("shop", "web"));
        assertThat(refusal(() -> registry.delete(ResourceKind.NAMESPACE, null, "shop", null)).getMessage())
                .isEqualTo("namespace \"shop\" still holds 1 pod(s) (shop/web) and 1 network policy (shop/deny-all); "
                        + "delete them first");

        registry.delete(ResourceKind.POD, "shop", "web", null);
        registry.delete(ResourceKind.NETWORK_POLICY, "shop", "deny-all", null);
        registry.delete(ResourceKind.NAMESPACE, null, "shop", null);
        assertThat(registry.get(Namespace.class, null, "shop")).isEmpty();
    }

    @Test
    void watchesSeePolicies() throws Exception {
        Recorder recorder = new Recorder();
        try (Watch watch = registry.watch(ResourceKind.NETWORK_POLICY, "default", null, store.revision(), recorder)) {
            registry.create(policy("default", "p", Map.of()));
            registry.delete(ResourceKind.NETWORK_POLICY, "default", "p", null);
            await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.size() == 2);
        }
        assertThat(recorder.summary()).containsExactly("ADDED p", "DELETED p");
        assertThat(recorder.events.getFirst().object()).isInstanceOf(NetworkPolicy.class);
        assertThat(recorder.events.getFirst().type()).isEqualTo(ResourceEvent.Type.ADDED);
    }
}
