package io.drover.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.firewall.FirewallPeer;
import io.drover.model.firewall.FirewallPolicy;
import io.drover.model.firewall.FirewallPolicySpec;
import io.drover.model.firewall.FirewallRule;
import io.drover.model.firewall.FirewallService;
import io.drover.model.firewall.FirewallSettings;
import io.drover.model.firewall.FirewallSettingsSpec;
import io.drover.model.firewall.SecurityGroup;
import io.drover.model.firewall.SecurityGroupSpec;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.meta.SelectorSpec;
import io.drover.model.meta.SelectorSpec.Expression;
import io.drover.model.policy.IpBlock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The firewall kinds' field rules, each error naming its field and saying what to write. */
class FirewallValidationTest {

    private static final FirewallRule DROP = rule("r", "Drop");

    private static FirewallRule rule(String name, String action) {
        return new FirewallRule(name, action, null, null, null, null, null);
    }

    private static List<FieldError> policy(String tier, Integer priority, FirewallRule... rules) {
        return Validators.validate(FirewallPolicy.of(ObjectMeta.named("p"),
                new FirewallPolicySpec(tier, priority, null, List.of(rules))));
    }

    private static List<FieldError> sources(FirewallPeer... peers) {
        return policy(null, 1, new FirewallRule("r", "Allow", null, Arrays.asList(peers), null, null, null));
    }

    private static List<FieldError> services(FirewallService... services) {
        return policy(null, 1, new FirewallRule("r", "Allow", null, null, null, Arrays.asList(services), null));
    }

    private static List<FieldError> group(String name, FirewallPeer... members) {
        return Validators.validate(SecurityGroup.of(ObjectMeta.named(name), new SecurityGroupSpec(Arrays.asList(members))));
    }

    @Test
    void aFullPolicyIsValid() {
        FirewallPolicySpec spec = new FirewallPolicySpec("emergency", 10000,
                List.of(FirewallPeer.group("web"), FirewallPeer.pods(null, SelectorSpec.labels(Map.of("env", "prod")))),
                List.of(new FirewallRule("a", "Allow", "In",
                                List.of(FirewallPeer.block(new IpBlock("fd00::/48", List.of("fd00:0:0:1::/64"))),
                                        FirewallPeer.inNamespaces(null, List.of("shop", "ops"))),
                                List.of(FirewallPeer.group("db")),
                                List.of(new FirewallService("UDP", 53, null), new FirewallService("ICMP", null, null),
                                        new FirewallService(null, 1000, 2000), new FirewallService("SCTP", null, null)),
                                true),
                        rule("b", "Pass"), rule("c", "Reject"), new FirewallRule("d", "Drop", "Out", List.of(), List.of(),
                                List.of(), false)));
        assertThat(Validators.validate(FirewallPolicy.of(ObjectMeta.named("everything"), spec))).isEmpty();
        assertThat(policy(null, 1)).as("no rules, default tier").isEmpty();
    }

    @Test
    void tierAndPriority() {
        assertThat(policy("Security", 1, DROP)).containsExactly(new FieldError("spec.tier",
                "'Security' is not a tier; tiers are written in lower case: security"));
        assertThat(policy("platform", 1, DROP)).containsExactly(new FieldError("spec.tier",
                "'platform' is not a tier; use emergency, security, application or baseline (evaluated in that order; "
                        + "baseline after NetworkPolicy), or omit it for application"));
        assertThat(policy(null, null, DROP)).containsExactly(new FieldError("spec.priority",
                "is required: the policy's place within its tier, from 1 to 10000, lower first; e.g. priority: 100"));
        assertThat(policy(null, 0, DROP)).containsExactly(new FieldError("spec.priority",
                "must be between 1 and 10000 (lower first); it is 0"));
        assertThat(policy(null, 10001, DROP)).extracting(FieldError::field).containsExactly("spec.priority");
    }

    @Test
    void rulesNeedAUniqueNameAndAnAction() {
        assertThat(policy(null, 1, rule(null, "Drop"), rule("Bad_Name", "Drop"), rule("x", null), rule("x", "deny"),
                rule("y", "allow"), new FirewallRule("z", "Drop", "inout", null, null, null, null)))
                .containsExactly(
                        new FieldError("spec.rules[0].name", "is required: explanations, counters and logs name the rule by "
                                + "it, e.g. name: allow-http"),
                        new FieldError("spec.rules[1].name", "'Bad_Name' must consist of lower case alphanumeric "
                                + "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name' "
                                + "or '123-abc')"),
                        new FieldError("spec.rules[2].action", "is required: Allow, Drop, Reject or Pass (hand the decision "
                                + "to NetworkPolicy)"),
                        new FieldError("spec.rules[3].action", "'deny' is not an action; use Allow, Drop, Reject or Pass"),
                        new FieldError("spec.rules[3].name", "'x' is already the name of spec.rules[2]; counters and logs "
                                + "tell rules apart by name: give each rule of a policy its own"),
                        new FieldError("spec.rules[4].action", "'allow' is not an action; actions are capitalized: Allow"),
                        new FieldError("spec.rules[5].direction", "'inout' is not a direction; write InOut"));
    }

    @Test
    void aPeerIsOneOfThreeForms() {
        assertThat(sources(new FirewallPeer(null, null, null, null, null))).containsExactly(new FieldError(
                "spec.rules[0].sources[0]", "selects nothing: give it a group, pods (podSelector, namespaceSelector or "
                        + "namespaces) or an ipBlock; write podSelector: {} for every pod of every namespace"));
        assertThat(sources(new FirewallPeer("web", SelectorSpec.EVERYTHING, null, null, new IpBlock("10.0.0.0/8", null))))
                .containsExactly(new FieldError("spec.rules[0].sources[0]", "combines group and pods (podSelector) and "
                        + "ipBlock; an entry is one of them: put each in an entry of its own (a new '- ' item), which then adds up"));
        assertThat(sources(new FirewallPeer(null, null, SelectorSpec.EVERYTHING, List.of("a"), null)))
                .containsExactly(new FieldError("spec.rules[0].sources[0].namespaces", "cannot be combined with "
                        + "namespaceSelector; use one: namespaces lists namespaces by name, namespaceSelector matches their labels"));
        assertThat(sources(FirewallPeer.inNamespaces(null, List.of("a", "B", "a")), FirewallPeer.inNamespaces(null, List.of())))
                .extracting(FieldError::field).containsExactly("spec.rules[0].sources[0].namespaces[1]",
                        "spec.rules[0].sources[0].namespaces[2]", "spec.rules[0].sources[1].namespaces");
        assertThat(sources(FirewallPeer.group("Web Tier"), FirewallPeer.group(""))).extracting(FieldError::field)
                .containsExactly("spec.rules[0].sources[0].group", "spec.rules[0].sources[1].group");
    }

    @Test
    void selectorsAndBlocksFollowNetworkPolicysRules() {
        assertThat(sources(FirewallPeer.pods(new SelectorSpec(null, List.of(new Expression("tier", "in", List.of("web")))), null)))
                .containsExactly(new FieldError("spec.rules[0].sources[0].podSelector.matchExpressions[0].operator",
                        "'in' is not an operator; operators are written as Kubernetes spells them: In"));
        assertThat(sources(FirewallPeer.block(new IpBlock("10.0.0.0/16", List.of("10.1.0.0/24"))),
                FirewallPeer.block(new IpBlock("10.0.0.0/33", null))))
                .containsExactly(
                        new FieldError("spec.rules[0].sources[0].ipBlock.except[0]", "10.1.0.0/24 is outside the block "
                                + "10.0.0.0/16; an except must lie inside cidr: remove it, or correct it to a part of 10.0.0.0/16"),
                        new FieldError("spec.rules[0].sources[1].ipBlock.cidr", "'10.0.0.0/33' has prefix length 33, "
                                + "outside 0-32"));
    }

    @Test
    void services() {
        assertThat(services(new FirewallService("tcp", 80, null), new FirewallService("GRE", null, null),
                new FirewallService("ICMP", 8, null), new FirewallService(null, 0, null), new FirewallService(null, null, 90),
                new FirewallService("UDP", 100, 90)))
                .containsExactly(
                        new FieldError("spec.rules[0].services[0].protocol", "'tcp' must be upper case: TCP"),
                        new FieldError("spec.rules[0].services[1].protocol", "'GRE' is not a protocol; use TCP, UDP, SCTP "
                                + "or ICMP (or omit it for TCP)"),
                        new FieldError("spec.rules[0].services[2].port", "ICMP has no ports; remove port, or use TCP, UDP or SCTP"),
                        new FieldError("spec.rules[0].services[3].port", "must be between 1 and 65535; it is 0"),
                        new FieldError("spec.rules[0].services[4].endPort", "needs port: endPort ends the range that port "
                                + "starts; set port, or remove endPort"),
                        new FieldError("spec.rules[0].services[5].endPort", "must be at least port (100); it is 90"));
    }

    @Test
    void groups() {
        assertThat(group("web", FirewallPeer.pods(SelectorSpec.labels(Map.of("tier", "web")), null),
                FirewallPeer.group("partners"))).isEmpty();
        assertThat(group("web")).as("a group may start empty").isEmpty();
        assertThat(group("web", FirewallPeer.group("web"))).containsExactly(new FieldError("spec.members[0].group",
                "names the group itself; a group cannot contain itself: remove this member"));
        assertThat(Validators.validate(SecurityGroup.of(ObjectMeta.named("shop", "web"), null)))
                .containsExactly(new FieldError("metadata.namespace", "must not be set: a SecurityGroup is cluster-scoped "
                        + "and belongs to no namespace; remove metadata.namespace"));
    }

    @Test
    void settings() {
        assertThat(Validators.validate(FirewallSettings.of(new FirewallSettingsSpec("Drop", true)))).isEmpty();
        assertThat(Validators.validate(FirewallSettings.of(new FirewallSettingsSpec("Pass", null)))).containsExactly(
                new FieldError("spec.defaultAction", "cannot be Pass: the default action is the bottom, with nothing below "
                        + "to pass to; use Allow, Drop (zero trust) or Reject"));
        assertThat(Validators.validate(FirewallSettings.of(new FirewallSettingsSpec("deny", null)))).containsExactly(
                new FieldError("spec.defaultAction", "'deny' is not an action; use Allow, Drop (zero trust) or Reject"));
        assertThat(Validators.validate(FirewallSettings.of(new FirewallSettingsSpec("drop", null)))).containsExactly(
                new FieldError("spec.defaultAction", "'drop' is not an action; actions are capitalized: Drop"));
        assertThat(Validators.validate(new FirewallSettings(null, null, ObjectMeta.named("cluster"), null)))
                .containsExactly(new FieldError("metadata.name", "'cluster': the cluster has one FirewallSettings, named "
                        + "default; write metadata.name: default"));
    }
}
