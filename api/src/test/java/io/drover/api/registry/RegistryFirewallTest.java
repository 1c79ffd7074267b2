package io.drover.api.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.api.ApiException;
import io.drover.api.ApiException.Cause;
import io.drover.api.ApiException.Reason;
import io.drover.model.ResourceKind;
import io.drover.model.firewall.FirewallPeer;
import io.drover.model.firewall.FirewallPolicy;
import io.drover.model.firewall.FirewallPolicySpec;
import io.drover.model.firewall.FirewallRule;
import io.drover.model.firewall.FirewallSettings;
import io.drover.model.firewall.FirewallSettingsSpec;
import io.drover.model.firewall.SecurityGroup;
import io.drover.model.firewall.SecurityGroupSpec;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.meta.SelectorSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The distributed firewall's kinds in the registry: cluster-scoped; the groups a policy or group names must exist,
 * a tier's priorities are unique, nested groups never loop, a group in use stays. Every refusal changes nothing.
 */
class RegistryFirewallTest extends RegistryFixture {

    private static SecurityGroup group(String name, FirewallPeer... members) {
        return SecurityGroup.of(ObjectMeta.named(name), new SecurityGroupSpec(Arrays.asList(members)));
    }

    private static SecurityGroup tier(String name, String label) {
        return group(name, FirewallPeer.pods(SelectorSpec.labels(Map.of("tier", label)), null));
    }

    private static FirewallPolicy policy(String name, String tier, int priority, FirewallRule... rules) {
        return FirewallPolicy.of(ObjectMeta.named(name), new FirewallPolicySpec(tier, priority, null, List.of(rules)));
    }

    private static FirewallRule drop(String name, String from, String to) {
        return new FirewallRule(name, "Drop", null, List.of(FirewallPeer.group(from)), List.of(FirewallPeer.group(to)),
                null, null);
    }

    @Test
    void theSeedScenarioIsStoredClusterWide() {
        registry.create(tier("web-tier", "web"));
        FirewallPolicy created = registry.create(policy("isolate-web", "security", 10, drop("web-to-web", "web-tier", "web-tier")));
        assertThat(created.metadata().uid()).isNotEmpty();
        assertThat(created.namespace()).isNull();
        assertThat(store.get("/drover/registry/firewallpolicies/isolate-web")).isPresent();
        assertThat(store.get("/drover/registry/securitygroups/web-tier")).isPresent();
        assertThat(registry.get(FirewallPolicy.class, null, "isolate-web")).contains(created);
        assertThat(registry.list(ResourceKind.FIREWALL_POLICY, null, null).items()).extracting(r -> r.name())
                .containsExactly("isolate-web");
        assertThat(registry.create(FirewallSettings.of(new FirewallSettingsSpec("Drop", null))).spec().defaultAction())
                .isEqualTo("Drop");
    }

    @Test
    void aPolicyNamingUnknownGroupsIsRefusedNamingEachAndChangesNothing() {
        registry.create(tier("web-tier", "web"));
        long before = store.revision();
        FirewallPolicy bad = FirewallPolicy.of(ObjectMeta.named("p"), new FirewallPolicySpec("security", 1,
                List.of(FirewallPeer.group("db-tier")), List.of(drop("r", "web-tier", "app-tier"))));
        ApiException e = refusal(() -> registry.create(bad));
        assertThat(e.reason()).isEqualTo(Reason.INVALID);
        assertThat(e.causes()).containsExactly(
                new Cause("spec.appliedTo[0].group", "security group \"db-tier\" does not exist; create it first (kind: "
                        + "SecurityGroup, metadata.name: db-tier), or name one listed by 'drover get securitygroups'"),
                new Cause("spec.rules[0].destinations[0].group", "security group \"app-tier\" does not exist; create it "
                        + "first (kind: SecurityGroup, metadata.name: app-tier), or name one listed by 'drover get securitygroups'"));
        assertThat(e.getMessage()).startsWith("FirewallPolicy \"p\" is invalid: spec.appliedTo[0].group: security group \"db-tier\"");
        assertThat(store.revision()).isEqualTo(before);
        assertThat(registry.get(FirewallPolicy.class, null, "p")).isEmpty();

        registry.create(tier("db-tier", "db"));
        registry.create(tier("app-tier", "app"));
        assertThat(registry.create(bad).name()).isEqualTo("p");
    }

    @Test
    void twoPoliciesOfATierCannotShareAPriority() {
        registry.create(tier("web-tier", "web"));
        registry.create(policy("first", "security", 10, drop("r", "web-tier", "web-tier")));
        registry.create(policy("eleven", "security", 11, drop("r", "web-tier", "web-tier")));
        long before = store.revision();
        ApiException e = refusal(() -> registry.create(policy("second", "security", 10, drop("r", "web-tier", "web-tier"))));
        assertThat(e.reason()).isEqualTo(Reason.INVALID);
        assertThat(e.causes()).containsExactly(new Cause("spec.priority", "priority 10 of tier security is already "
                + "firewall policy \"first\"'s; policies of a tier go in priority order, so two cannot share one: choose "
                + "another priority, e.g. 12 (free), or change \"first\"'s"));
        assertThat(store.revision()).isEqualTo(before);

        // Another tier, or the same policy written again, is fine.
        registry.create(policy("second", "application", 10, drop("r", "web-tier", "web-tier")));
        FirewallPolicy first = registry.get(FirewallPolicy.class, null, "first").orElseThrow();
        registry.replace(first.withMetadata(first.metadata().withLabels(Map.of("team", "sec"))));
        // Moving into a taken priority by replace is refused too.
        FirewallPolicy eleven = registry.get(FirewallPolicy.class, null, "eleven").orElseThrow();
        FirewallPolicy moved = new FirewallPolicy(null, null, eleven.metadata(), new FirewallPolicySpec("security", 10,
                null, eleven.spec().rules()));
        assertThat(refusal(() -> registry.replace(moved)).causes()).extracting(Cause::field).containsExactly("spec.priority");
    }

    @Test
    void nestedGroupsMustExistAndNeverContainThemselves() {
        ApiException missing = refusal(() -> registry.create(group("all", FirewallPeer.group("web-tier"))));
        assertThat(missing.causes()).extracting(Cause::field).containsExactly("spec.members[0].group");

        registry.create(tier("web-tier", "web"));
        registry.create(group("frontends", FirewallPeer.group("web-tier")));
        registry.create(group("all", FirewallPeer.group("frontends")));
        long before = store.revision();
        SecurityGroup web = registry.get(SecurityGroup.class, null, "web-tier").orElseThrow();
        SecurityGroup looping = new SecurityGroup(null, null, web.metadata(), new SecurityGroupSpec(List.of(
                FirewallPeer.pods(SelectorSpec.labels(Map.of("tier", "web")), null), FirewallPeer.group("all"))));
        ApiException e = refusal(() -> registry.replace(looping));
        assertThat(e.reason()).isEqualTo(Reason.INVALID);
        assertThat(e.causes()).containsExactly(new Cause("spec.members[1].group", "group \"all\" contains \"web-tier\" "
                + "(web-tier -> all -> frontends -> web-tier), so \"web-tier\" would contain itself; a group cannot: remove "
                + "this member, or the nesting on the way"));
        assertThat(store.revision()).isEqualTo(before);
    }

    @Test
    void aGroupInUseCannotBeDeleted() {
        registry.create(tier("web-tier", "web"));
        registry.create(group("all", FirewallPeer.group("web-tier")));
        registry.create(policy("isolate-web", "security", 10, drop("web-to-web", "web-tier", "web-tier")));
        ApiException e = refusal(() -> registry.delete(ResourceKind.SECURITY_GROUP, null, "web-tier", null));
        assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
        assertThat(e.getMessage()).isEqualTo("security group \"web-tier\" is still used by firewall policy isolate-web "
                + "(spec.rules[0].sources[0].group, spec.rules[0].destinations[0].group), security group all "
                + "(spec.members[0].group); remove those references first (deleting it would change what their rules match)");
        assertThat(registry.get(SecurityGroup.class, null, "web-tier")).isPresent();

        registry.delete(ResourceKind.FIREWALL_POLICY, null, "isolate-web", null);
        registry.delete(ResourceKind.SECURITY_GROUP, null, "all", null);
        registry.delete(ResourceKind.SECURITY_GROUP, null, "web-tier", null);
        assertThat(registry.list(ResourceKind.SECURITY_GROUP, null, null).items()).isEmpty();
    }

    @Test
    void invalidFieldsAreRefusedWithEveryError() {
        long before = store.revision();
        FirewallPolicy bad = FirewallPolicy.of(ObjectMeta.named("p"), new FirewallPolicySpec("Security", null, null,
                List.of(new FirewallRule("r", "deny", null, null, null, null, null))));
        ApiException e = refusal(() -> registry.create(bad));
        assertThat(e.reason()).isEqualTo(Reason.INVALID);
        assertThat(e.causes()).extracting(Cause::field).containsExactly("spec.tier", "spec.priority", "spec.rules[0].action");
        assertThat(refusal(() -> registry.create(new FirewallSettings(null, null, ObjectMeta.named("cluster"), null)))
                .causes()).extracting(Cause::field).containsExactly("metadata.name");
        assertThat(store.revision()).isEqualTo(before);
    }

    @Test
    void aPolicyMayNameNamespacesThatDoNotExistYet() {
        FirewallPolicy policy = FirewallPolicy.of(ObjectMeta.named("future"), new FirewallPolicySpec("emergency", 1,
                List.of(FirewallPeer.inNamespaces(null, List.of("not-yet"))),
                List.of(new FirewallRule("all", "Drop", null, null, null, null, null))));
        assertThat(registry.create(policy).name()).isEqualTo("future");
    }
}
