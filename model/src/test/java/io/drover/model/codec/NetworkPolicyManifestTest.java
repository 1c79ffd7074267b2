package io.drover.model.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.ResourceKind;
import io.drover.model.meta.SelectorSpec;
import io.drover.model.meta.SelectorSpec.Expression;
import io.drover.model.policy.IpBlock;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.policy.NetworkPolicyPeer;
import io.drover.model.policy.NetworkPolicyPort;
import io.drover.model.policy.NetworkPolicyRule;
import io.drover.model.policy.PortReference;
import io.drover.model.validation.Validators;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kubernetes' NetworkPolicy read as written for Kubernetes: its apiVersion, int-or-string ports, from and to. */
class NetworkPolicyManifestTest {

    /** The shared example: a policy from the Kubernetes network policy test suite's shapes. */
    static final String EXAMPLE = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: allow-client-a-via-ns-selector, namespace: x}
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

    private static ManifestException error(String text) {
        return (ManifestException) assertThatThrownBy(() -> ManifestReader.read("np.yaml", text))
                .isInstanceOf(ManifestException.class).actual();
    }

    private static NetworkPolicy read(String text) {
        return (NetworkPolicy) ManifestReader.readSingle("np.yaml", text).resource();
    }

    @Test
    void theSharedExampleDecodesValidatesAndRoundTrips() {
        NetworkPolicy policy = read(EXAMPLE);
        assertThat(Validators.validate(policy)).isEmpty();
        assertThat(policy.resourceKind()).isEqualTo(ResourceKind.NETWORK_POLICY);
        assertThat(policy.apiVersion()).isEqualTo("networking.k8s.io/v1");
        assertThat(policy.namespace()).isEqualTo("x");
        assertThat(policy.spec().podSelector()).isEqualTo(SelectorSpec.labels(Map.of("pod", "a")));
        assertThat(policy.spec().policyTypes()).containsExactly("Ingress");
        NetworkPolicyRule rule = policy.spec().ingressRules().getFirst();
        assertThat(rule.from()).containsExactly(
                new NetworkPolicyPeer(new SelectorSpec(null, List.of(new Expression("pod", "In", List.of("b", "c")))),
                        SelectorSpec.labels(Map.of("kubernetes.io/metadata.name", "y")), null),
                new NetworkPolicyPeer(null, null, new IpBlock("10.0.0.0/8", List.of("10.1.0.0/16"))));
        assertThat(rule.ports()).containsExactly(
                new NetworkPolicyPort("TCP", PortReference.number(81), null),
                new NetworkPolicyPort("UDP", PortReference.named("serve-80-udp"), null),
                new NetworkPolicyPort(null, PortReference.number(1000), 2000));

        // What get -o json|yaml prints reads back as the same policy.
        String json = ResourceCodec.toJsonString(policy);
        assertThat(json).contains("\"port\":81").contains("\"port\":\"serve-80-udp\"").contains("\"from\":[")
                .doesNotContain("\"to\"");
        assertThat(ManifestReader.readSingle("get.json", json).resource()).isEqualTo(policy);
        assertThat(ManifestReader.readSingle("get.yaml", ResourceCodec.toYaml(policy)).resource()).isEqualTo(policy);
        assertThat(ResourceCodec.<NetworkPolicy>fromJson(ResourceCodec.toJson(policy), ResourceKind.NETWORK_POLICY))
                .isEqualTo(policy);
    }

    @Test
    void emptySelectorsAndRulesSurviveTheRoundTrip() {
        // podSelector: {} selects every pod, ingress: [{}] allows everything: neither may vanish on the way.
        NetworkPolicy policy = read("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: allow-all, namespace: x}
                spec:
                  podSelector: {}
                  ingress:
                  - {}
                  - from: [{podSelector: {}}]
                  egress: []
                """);
        assertThat(Validators.validate(policy)).isEmpty();
        assertThat(policy.spec().egress()).isEmpty();
        String json = ResourceCodec.toJsonString(policy);
        assertThat(json).contains("\"podSelector\":{}").contains("\"ingress\":[{},{\"from\":[{\"podSelector\":{}}]}]")
                .contains("\"egress\":[]");
        assertThat(ManifestReader.readSingle("get.json", json).resource()).isEqualTo(policy);
    }

    @Test
    void portIsANumberOrAName() {
        String template = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: p, namespace: x}
                spec:
                  egress:
                  - ports:
                    - port: %s
                """;
        assertThat(read(template.formatted("80")).spec().egressRules().getFirst().portList().getFirst().port())
                .isEqualTo(PortReference.number(80));
        assertThat(read(template.formatted("serve-80-tcp")).spec().egressRules().getFirst().portList().getFirst().port())
                .isEqualTo(PortReference.named("serve-80-tcp"));
        // Quoted digits are a number, as Kubernetes' int-or-string reads them.
        assertThat(read(template.formatted("\"8080\"")).spec().egressRules().getFirst().portList().getFirst().port())
                .isEqualTo(PortReference.number(8080));
    }

    @Test
    void portOfAnotherTypeIsAnErrorAtItsField() {
        String template = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: p, namespace: x}
                spec:
                  ingress:
                  - ports:
                    - port: %s
                """;
        assertThat(error(template.formatted("80.5"))).hasMessage("np.yaml:7:13: spec.ingress[0].ports[0].port must be "
                + "a port number or the name of a port (got the number 80.5); a port is a whole number, e.g. 80");
        assertThat(error(template.formatted("[80]"))).hasMessage("np.yaml:7:13: spec.ingress[0].ports[0].port must be "
                + "a port number or the name of a port (got a list); write a port number (80) or the name of a pod's port (http)");
        assertThat(error(template.formatted("true")).problems()).extracting(ManifestException.Problem::fieldPath)
                .containsExactly("spec.ingress[0].ports[0].port");
        assertThat(error(template.formatted("99999999999"))).hasMessage("np.yaml:7:13: spec.ingress[0].ports[0].port is "
                + "too large (got the number 99999999999); ports are 1-65535");
    }

    @Test
    void fromAndToAreKnownFieldsAndOthersAreNot() {
        NetworkPolicy policy = read("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: p, namespace: x}
                spec:
                  ingress:
                  - to: [{podSelector: {}}]
                  egress:
                  - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
                """);
        // Decoded, so that validation can say which one to write rather than "unknown field".
        assertThat(Validators.validate(policy)).extracting(e -> e.field()).containsExactly("spec.ingress[0].to");
        assertThat(error("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: p, namespace: x}
                spec:
                  ingress:
                  - form: [{podSelector: {}}]
                """)).hasMessage("np.yaml:6:5: unknown field \"spec.ingress[0].form\" in NetworkPolicy; known fields "
                + "are: from, to, ports; did you mean \"from\"?");
        assertThat(error("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: p, namespace: x}
                spec:
                  podSelector: {matchLabel: {app: web}}
                """)).hasMessage("np.yaml:5:17: unknown field \"spec.podSelector.matchLabel\" in NetworkPolicy; known "
                + "fields are: matchLabels, matchExpressions; did you mean \"matchLabels\"?");
    }

    @Test
    void aWrongApiVersionNamesTheRightOne() {
        assertThat(error("apiVersion: drover.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: x}\n"))
                .hasMessage("np.yaml:1:13: apiVersion \"drover.io/v1\" does not go with kind NetworkPolicy; write "
                        + "\"apiVersion: networking.k8s.io/v1\"");
        assertThat(error("apiVersion: networking.k8s.io/v1\nkind: Pod\nmetadata: {name: p, namespace: x}\n"))
                .hasMessage("np.yaml:1:13: apiVersion \"networking.k8s.io/v1\" does not go with kind Pod; write "
                        + "\"apiVersion: drover.io/v1\"");
        assertThat(error("kind: NetworkPolicy\nmetadata: {name: p, namespace: x}\n"))
                .hasMessage("np.yaml:1:1: missing apiVersion; add \"apiVersion: networking.k8s.io/v1\"");
    }

    @Test
    void policiesMixWithDroverKindsInOneFileAndInAList() {
        String text = """
                apiVersion: drover.io/v1
                kind: Namespace
                metadata: {name: x}
                ---
                apiVersion: v1
                kind: List
                items:
                - apiVersion: networking.k8s.io/v1
                  kind: NetworkPolicy
                  metadata: {name: deny-all, namespace: x}
                  spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
                """ + "---\n" + EXAMPLE;
        assertThat(ManifestReader.read("all.yaml", text)).extracting(m -> m.resource().kind() + "/" + m.resource().name())
                .containsExactly("Namespace/x", "NetworkPolicy/deny-all", "NetworkPolicy/allow-client-a-via-ns-selector");
    }

    @Test
    void validationErrorsPointAtTheirLines() {
        Manifest manifest = ManifestReader.readSingle("np.yaml", EXAMPLE.replace("except: [10.1.0.0/16]", "except: [11.0.0.0/16]"));
        var errors = Validators.validate(manifest.resource());
        assertThat(errors).extracting(e -> e.field()).containsExactly("spec.ingress[0].from[1].ipBlock.except[0]");
        assertThat(manifest.locateNearest(errors.getFirst().field()).line()).isEqualTo(11);
    }
}
