package io.drover.model.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.ResourceKind;
import io.drover.model.firewall.FirewallPeer;
import io.drover.model.firewall.FirewallPolicy;
import io.drover.model.firewall.FirewallRule;
import io.drover.model.firewall.FirewallService;
import io.drover.model.firewall.FirewallSettings;
import io.drover.model.firewall.RuleAction;
import io.drover.model.firewall.SecurityGroup;
import io.drover.model.firewall.Tier;
import io.drover.model.meta.SelectorSpec;
import io.drover.model.policy.IpBlock;
import io.drover.model.validation.Validators;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SecurityGroup, FirewallPolicy and FirewallSettings as users write them. */
class FirewallManifestTest {

    static final String GROUP = """
            apiVersion: drover.io/v1
            kind: SecurityGroup
            metadata: {name: web-tier}
            spec:
              members:
              - podSelector: {matchLabels: {tier: web}}
              - podSelector: {}
                namespaces: [legacy]
              - ipBlock: {cidr: 10.20.0.0/16, except: [10.20.5.0/24]}
              - group: partners
            """;

    static final String POLICY = """
            apiVersion: drover.io/v1
            kind: FirewallPolicy
            metadata: {name: isolate-web}
            spec:
              tier: security
              priority: 10
              appliedTo: [{group: web-tier}]
              rules:
              - name: web-to-web
                action: Drop
                sources: [{group: web-tier}]
                destinations: [{group: web-tier}]
                logging: true
              - name: ping
                action: Allow
                direction: In
                services: [{protocol: ICMP}, {port: 8000, endPort: 8080}]
            """;

    private static ManifestException error(String text) {
        return (ManifestException) assertThatThrownBy(() -> ManifestReader.read("fw.yaml", text))
                .isInstanceOf(ManifestException.class).actual();
    }

    @Test
    void aGroupDecodesValidatesAndRoundTrips() {
        SecurityGroup group = (SecurityGroup) ManifestReader.readSingle("sg.yaml", GROUP).resource();
        assertThat(Validators.validate(group)).isEmpty();
        assertThat(group.resourceKind()).isEqualTo(ResourceKind.SECURITY_GROUP);
        assertThat(group.namespace()).isNull();
        assertThat(group.spec().members()).containsExactly(
                FirewallPeer.pods(SelectorSpec.labels(Map.of("tier", "web")), null),
                FirewallPeer.inNamespaces(SelectorSpec.EVERYTHING, List.of("legacy")),
                FirewallPeer.block(new IpBlock("10.20.0.0/16", List.of("10.20.5.0/24"))),
                FirewallPeer.group("partners"));
        String json = ResourceCodec.toJsonString(group);
        assertThat(json).contains("{\"podSelector\":{},\"namespaces\":[\"legacy\"]}");
        assertThat(ManifestReader.readSingle("get.json", json).resource()).isEqualTo(group);
        assertThat(ManifestReader.readSingle("get.yaml", ResourceCodec.toYaml(group)).resource()).isEqualTo(group);
    }

    @Test
    void aPolicyDecodesValidatesAndRoundTrips() {
        FirewallPolicy policy = (FirewallPolicy) ManifestReader.readSingle("fwp.yaml", POLICY).resource();
        assertThat(Validators.validate(policy)).isEmpty();
        assertThat(policy.spec().effectiveTier()).isEqualTo(Tier.SECURITY);
        assertThat(policy.spec().priority()).isEqualTo(10);
        FirewallRule first = policy.spec().ruleList().getFirst();
        assertThat(RuleAction.find(first.action())).contains(RuleAction.DROP);
        assertThat(first.logged()).isTrue();
        assertThat(policy.spec().ruleList().get(1).serviceList()).containsExactly(
                new FirewallService("ICMP", null, null), new FirewallService(null, 8000, 8080));
        assertThat(ManifestReader.readSingle("get.json", ResourceCodec.toJsonString(policy)).resource()).isEqualTo(policy);
        assertThat(ResourceCodec.<FirewallPolicy>fromJson(ResourceCodec.toJson(policy), ResourceKind.FIREWALL_POLICY))
                .isEqualTo(policy);
    }

    @Test
    void settingsDefaultToAllow() {
        FirewallSettings settings = (FirewallSettings) ManifestReader.readSingle("s.yaml", """
                apiVersion: drover.io/v1
                kind: FirewallSettings
                metadata: {name: default}
                spec: {defaultAction: Drop, logging: true}
                """).resource();
        assertThat(Validators.validate(settings)).isEmpty();
        assertThat(settings.spec().effectiveDefaultAction()).isEqualTo(RuleAction.DROP);
        assertThat(FirewallSettings.of(null).spec().effectiveDefaultAction()).isEqualTo(RuleAction.ALLOW);
    }

    @Test
    void kindsAreFoundByShortNames() {
        assertThat(ResourceKind.find("sg")).contains(ResourceKind.SECURITY_GROUP);
        assertThat(ResourceKind.find("fwp")).contains(ResourceKind.FIREWALL_POLICY);
        assertThat(ResourceKind.find("FirewallPolicies")).contains(ResourceKind.FIREWALL_POLICY);
        assertThat(ResourceKind.find("firewallsettings")).contains(ResourceKind.FIREWALL_SETTINGS);
        assertThat(ResourceKind.SECURITY_GROUP.namespaced()).isFalse();
        assertThat(ResourceKind.FIREWALL_POLICY.apiVersion()).isEqualTo("drover.io/v1");
    }

    @Test
    void unknownFieldsAndWrongTypesPointAtTheirLines() {
        assertThat(error(POLICY.replace("sources:", "source:"))).hasMessage("fw.yaml:11:5: unknown field "
                + "\"spec.rules[0].source\" in FirewallPolicy; known fields are: name, action, direction, sources, "
                + "destinations, services, logging; did you mean \"sources\"?");
        assertThat(error(POLICY.replace("priority: 10", "priority: high")))
                .hasMessageStartingWith("fw.yaml:6:13: spec.priority must be a whole number");
        assertThat(error(POLICY.replace("logging: true", "logging: yes")))
                .hasMessageStartingWith("fw.yaml:13:14: spec.rules[0].logging must be true or false");
    }

    @Test
    void validationErrorsPointAtTheirLines() {
        Manifest manifest = ManifestReader.readSingle("sg.yaml", GROUP.replace("except: [10.20.5.0/24]", "except: [10.21.0.0/24]"));
        var errors = Validators.validate(manifest.resource());
        assertThat(errors).extracting(e -> e.field()).containsExactly("spec.members[2].ipBlock.except[0]");
        assertThat(errors.getFirst().message()).contains("outside the block 10.20.0.0/16");
        assertThat(manifest.locateNearest(errors.getFirst().field()).line()).isEqualTo(9);
    }

    @Test
    void theExampleReadsAndValidatesCleanly() throws IOException {
        Path example = Path.of("../examples/firewall-web-tier.yaml");
        List<Manifest> manifests = ManifestReader.read(example.toString(), Files.readString(example));
        assertThat(manifests).extracting(m -> m.resource().kind()).contains("SecurityGroup", "FirewallPolicy");
        for (Manifest m : manifests) {
            assertThat(Validators.validate(m.resource())).as(m.start().toString()).isEmpty();
        }
    }
}
