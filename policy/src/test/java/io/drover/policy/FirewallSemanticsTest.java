package io.drover.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.firewall.RuleAction;
import io.drover.model.firewall.Tier;
import io.drover.model.net.Cidr;
import io.drover.policy.FirewallMatch.Role;
import io.drover.policy.FirewallVerdict.DecidedBy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The distributed firewall's semantics: tiers in order, first match decides, Pass hands down to NetworkPolicy,
 * baseline and the default action below it, applied-to scopes, groups that follow pods.
 */
class FirewallSemanticsTest {

    private static final String OUTSIDE = "192.168.9.9";

    /** Two namespaces; web pods in both, an app pod, a db pod. */
    private static TestCluster cluster() {
        return new TestCluster()
                .namespace("x", "env", "prod")
                .namespace("y", "env", "dev")
                .pod("x/web-1", "10.0.1.1", "tier", "web")
                .pod("x/web-2", "10.0.1.2", "tier", "web")
                .pod("y/web-3", "10.0.2.3", "tier", "web")
                .pod("x/app-1", "10.0.1.10", "tier", "app")
                .pod("x/db-1", "10.0.1.20", "tier", "db")
                .group("web-tier", "members: [{podSelector: {matchLabels: {tier: web}}}]")
                .group("db-tier", "members: [{podSelector: {matchLabels: {tier: db}}}]");
    }

    private static final String ISOLATE_WEB = """
            tier: security
            priority: 10
            rules:
            - name: web-to-web
              action: Drop
              sources: [{group: web-tier}]
              destinations: [{group: web-tier}]
            """;

    private static final List<String> WEB = List.of("x/web-1", "x/web-2", "y/web-3");

    @Test
    void seedScenarioWebTierToWebTierDropIsolatesEveryWebPodFromEveryOther() {
        TestCluster c = cluster().firewall("isolate-web", ISOLATE_WEB);
        for (String from : WEB) {
            for (String to : WEB) {
                for (String protocol : List.of("TCP", "UDP", "SCTP", "ICMP")) {
                    assertThat(c.allowed(from, to, protocol, 80)).as(from + " -> " + to + " " + protocol).isEqualTo(from.equals(to));
                }
            }
            assertThat(c.allowed(from, "x/app-1", 80)).as(from + " -> app").isTrue();
            assertThat(c.allowed("x/app-1", from, 80)).as("app -> " + from).isTrue();
            assertThat(c.allowed(from, OUTSIDE, 443)).as(from + " -> outside").isTrue();
        }
        // By address too: the data plane sees addresses.
        assertThat(c.allowed("10.0.1.1", "10.0.2.3", "TCP", 80)).isFalse();

        // Every web pod's chains hold the rule, whatever node it runs on: web peers dropped both ways.
        PolicySnapshot snapshot = c.snapshot();
        for (String pod : WEB) {
            PodFirewall compiled = snapshot.compileFirewall(NamespacedName.parse(pod));
            for (FirewallChain chain : List.of(compiled.egress(), compiled.ingress())) {
                assertThat(chain.tiers()).singleElement().satisfies(entry -> {
                    assertThat(entry.rule()).hasToString("isolate-web/web-to-web");
                    assertThat(entry.action()).isEqualTo(RuleAction.DROP);
                    assertThat(entry.peers()).extracting(Cidr::toString)
                            .containsExactly("10.0.1.1/32", "10.0.1.2/32", "10.0.2.3/32");
                    assertThat(entry.services()).isEqualTo(PortSet.any());
                });
            }
        }
        assertThat(snapshot.compileFirewall(NamespacedName.parse("x/app-1")).egress().tiers()).isEmpty();
    }

    @Test
    void explainListsTheDecidingRuleAtEachEnd() {
        TestCluster c = cluster().firewall("isolate-web", ISOLATE_WEB);
        assertThat(c.evaluate("x/web-1", "y/web-3", "TCP", 80).render()).isEqualTo("""
                x/web-1 -> y/web-3 80/TCP: blocked by egress and ingress
                  egress of x/web-1: dropped by firewall rule isolate-web/web-to-web (tier security, priority 10)
                    decides: isolate-web/web-to-web Drop (tier security, priority 10; from group web-tier; to group web-tier; any service)
                  ingress of y/web-3: dropped by firewall rule isolate-web/web-to-web (tier security, priority 10)
                    decides: isolate-web/web-to-web Drop (tier security, priority 10; from group web-tier; to group web-tier; any service)
                """);
        assertThat(c.evaluate("x/web-1", "x/app-1", "TCP", 80).render()).isEqualTo("""
                x/web-1 -> x/app-1 80/TCP: allowed
                  egress of x/web-1: no tier rule before NetworkPolicy decides; not isolated (no egress policy selects it); default action Allow
                  ingress of x/app-1: no tier rule before NetworkPolicy decides; not isolated (no ingress policy selects it); default action Allow
                """);
    }

    @Test
    void tiersGoInOrderThenPriorityThenRuleOrder() {
        TestCluster c = cluster()
                .firewall("isolate-web", ISOLATE_WEB)
                // Emergency comes first, whatever the priorities.
                .firewall("incident", """
                        tier: emergency
                        priority: 9000
                        rules:
                        - {name: let-web-1-in, action: Allow, sources: [{podSelector: {matchLabels: {pod: web-2}}}], destinations: [{podSelector: {matchLabels: {pod: web-1}}}]}
                        """);
        assertThat(c.allowed("x/web-2", "x/web-1", 80)).isTrue();
        assertThat(c.allowed("x/web-1", "x/web-2", 80)).isFalse();

        Verdict verdict = c.evaluate("x/web-2", "x/web-1", "TCP", 80);
        assertThat(verdict.ingressFirewall().matches()).extracting(m -> m.rule().toString() + " " + m.role())
                .containsExactly("incident/let-web-1-in decides", "isolate-web/web-to-web not reached");

        // Within a tier, lower priority first; within a policy, the order written.
        TestCluster priorities = cluster()
                .firewall("late", "tier: security\npriority: 20\nrules: [{name: allow-all, action: Allow}]\n")
                .firewall("early", """
                        tier: security
                        priority: 5
                        rules:
                        - {name: allow-80, action: Allow, services: [{port: 80}]}
                        - {name: drop-rest, action: Drop}
                        - {name: never, action: Allow}
                        """);
        assertThat(priorities.allowed("x/web-1", "x/app-1", 80)).isTrue();
        Verdict dropped = priorities.evaluate("x/web-1", "x/app-1", "TCP", 81);
        assertThat(dropped.allowed()).isFalse();
        assertThat(dropped.egressFirewall().matches()).extracting(m -> m.rule().rule() + " " + m.role())
                .containsExactly("drop-rest decides", "never not reached", "allow-all not reached");
        assertThat(priorities.snapshot().firewall().policies()).extracting(p -> p.name()).containsExactly("early", "late");
    }

    @Test
    void allowInATierSkipsNetworkPolicyAtThatEnd() {
        TestCluster c = cluster()
                .policy(policy("x", "deny-all", "podSelector: {}\npolicyTypes: [Ingress]\n"))
                .firewall("ops", """
                        tier: security
                        priority: 1
                        rules: [{name: monitoring, action: Allow, sources: [{podSelector: {matchLabels: {tier: app}}}], services: [{port: 9100}]}]
                        """);
        assertThat(c.allowed("x/app-1", "x/db-1", 9100)).isTrue();
        assertThat(c.allowed("x/app-1", "x/db-1", 5432)).as("NetworkPolicy still isolates the rest").isFalse();
        Verdict verdict = c.evaluate("x/app-1", "x/db-1", "TCP", 9100);
        assertThat(verdict.ingressFirewall().decidedBy()).isEqualTo(DecidedBy.FIREWALL_RULE);
        assertThat(verdict.ingress().allows()).as("what NetworkPolicy alone would say").isFalse();
    }

    @Test
    void passHandsTheDecisionToNetworkPolicySkippingTheRemainingTiers() {
        TestCluster c = cluster()
                .firewall("delegate", """
                        tier: security
                        priority: 1
                        rules: [{name: db-is-the-teams-call, action: Pass, destinations: [{group: db-tier}]}]
                        """)
                .firewall("drop-all", "tier: application\npriority: 1\nrules: [{name: everything, action: Drop}]\n")
                .policy(policy("x", "db-from-app", """
                        podSelector: {matchLabels: {tier: db}}
                        ingress: [{from: [{podSelector: {matchLabels: {tier: app}}}]}]
                        """));
        // At the db's ingress: passed, then NetworkPolicy decides. The rule passes at the client's egress too (any
        // source, the db as destination), where no NetworkPolicy isolates: the default action.
        Verdict fromApp = c.evaluate("x/app-1", "x/db-1", "TCP", 5432);
        assertThat(fromApp.ingressFirewall().decidedBy()).isEqualTo(DecidedBy.NETWORK_POLICY);
        assertThat(fromApp.ingressFirewall().allows()).isTrue();
        assertThat(fromApp.ingressFirewall().passedBy()).extracting(m -> m.rule().toString())
                .containsExactly("delegate/db-is-the-teams-call");
        assertThat(fromApp.ingressFirewall().matches()).extracting(m -> m.rule().toString() + " " + m.role())
                .containsExactly("delegate/db-is-the-teams-call passes", "drop-all/everything not reached");
        assertThat(fromApp.egressFirewall().decidedBy()).isEqualTo(DecidedBy.DEFAULT_ACTION);
        assertThat(fromApp.allowed()).isTrue();
        // Elsewhere, nothing passes: drop-all decides at both ends.
        assertThat(c.evaluate("x/web-1", "x/app-1", "TCP", 80).egressFirewall().decidingRule())
                .map(m -> m.rule().toString()).contains("drop-all/everything");
        assertThat(fromApp.ingressFirewall().describe()).isEqualTo("ingress of x/db-1: passed to NetworkPolicy by "
                + "firewall rule delegate/db-is-the-teams-call (tier security, priority 1); isolated by x/db-from-app; "
                + "allowed by x/db-from-app ingress[0] (from podSelector tier=app; any port and protocol)");
        assertThat(c.evaluate("x/web-1", "x/db-1", "TCP", 5432).ingressFirewall().allows())
                .as("NetworkPolicy does not allow web").isFalse();

        // Passed and not isolated by NetworkPolicy: the default action decides.
        TestCluster open = cluster().firewall("delegate", "tier: security\npriority: 1\nrules: [{name: p, action: Pass}]\n")
                .firewall("drop-all", "tier: application\npriority: 1\nrules: [{name: everything, action: Drop}]\n");
        Verdict passed = open.evaluate("x/app-1", "x/web-1", "TCP", 80);
        assertThat(passed.allowed()).isTrue();
        assertThat(passed.egressFirewall().decidedBy()).isEqualTo(DecidedBy.DEFAULT_ACTION);
    }

    @Test
    void rejectAndDropBothBlockButEndDifferently() {
        TestCluster c = cluster().firewall("guard", """
                tier: security
                priority: 1
                rules:
                - {name: refuse-ssh, action: Reject, services: [{port: 22}]}
                - {name: drop-telnet, action: Drop, services: [{port: 23}]}
                """);
        Verdict ssh = c.evaluate("x/app-1", "x/db-1", "TCP", 22);
        Verdict telnet = c.evaluate("x/app-1", "x/db-1", "TCP", 23);
        assertThat(ssh.allowed()).isFalse();
        assertThat(telnet.allowed()).isFalse();
        assertThat(ssh.outcome()).isEqualTo(RuleAction.REJECT);
        assertThat(telnet.outcome()).isEqualTo(RuleAction.DROP);
        assertThat(c.evaluate("x/app-1", "x/db-1", "TCP", 80).outcome()).isEqualTo(RuleAction.ALLOW);
        assertThat(ssh.render()).startsWith("x/app-1 -> x/db-1 22/TCP: blocked by egress and ingress (rejected: the "
                + "client is refused at once)\n  egress of x/app-1: rejected by firewall rule guard/refuse-ssh");
    }

    @Test
    void appliedToLimitsWhereRulesAreEnforced() {
        TestCluster c = cluster().firewall("protect-db", """
                tier: security
                priority: 1
                appliedTo: [{group: db-tier}]
                rules: [{name: only-app, action: Drop, sources: [{podSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [app]}]}}]}]
                """);
        Verdict fromWeb = c.evaluate("x/web-1", "x/db-1", "TCP", 5432);
        assertThat(fromWeb.egressFirewall().allows()).as("web is outside the scope: its egress does not enforce the rule").isTrue();
        assertThat(fromWeb.ingressFirewall().allows()).isFalse();
        assertThat(fromWeb.allowed()).isFalse();
        assertThat(c.allowed("x/app-1", "x/db-1", 5432)).isTrue();
        assertThat(c.allowed("x/web-1", "x/app-1", 80)).as("nothing enforced between web and app").isTrue();
        assertThat(c.snapshot().compileFirewall(NamespacedName.parse("x/web-1")).egress().tiers()).isEmpty();

        // Direction In: only at the destination, so the db's own egress is free; InOut (default) both.
        TestCluster in = cluster().firewall("db-in", """
                tier: security
                priority: 1
                appliedTo: [{group: db-tier}]
                rules: [{name: nothing, action: Drop, direction: In}]
                """);
        assertThat(in.allowed("x/db-1", "x/web-1", 80)).isTrue();
        assertThat(in.allowed("x/web-1", "x/db-1", 80)).isFalse();
        TestCluster out = cluster().firewall("db-out", """
                tier: security
                priority: 1
                appliedTo: [{group: db-tier}]
                rules: [{name: nothing, action: Drop, direction: Out}]
                """);
        assertThat(out.allowed("x/db-1", "x/web-1", 80)).isFalse();
        assertThat(out.allowed("x/web-1", "x/db-1", 80)).isTrue();
        assertThat(out.allowed("x/db-1", OUTSIDE, 80)).isFalse();
    }

    @Test
    void theDefaultActionAppliesWhereNothingDecidedAndNetworkPolicyDoesNotIsolate() {
        TestCluster zeroTrust = cluster().defaultAction("Drop")
                .policy(policy("x", "app-to-db", """
                        podSelector: {matchLabels: {tier: db}}
                        ingress: [{from: [{podSelector: {matchLabels: {tier: app}}}]}]
                        """))
                .firewall("app-out", """
                        tier: application
                        priority: 1
                        rules: [{name: app-to-db, action: Allow, direction: Out, sources: [{podSelector: {matchLabels: {tier: app}}}], destinations: [{group: db-tier}]}]
                        """);
        assertThat(zeroTrust.allowed("x/web-1", "x/app-1", 80)).isFalse();
        assertThat(zeroTrust.allowed(OUTSIDE, "x/web-1", "TCP", 80)).isFalse();
        assertThat(zeroTrust.allowed("x/web-1", OUTSIDE, "UDP", 53)).isFalse();
        // app's egress by the firewall rule, db's ingress by NetworkPolicy.
        Verdict appToDb = zeroTrust.evaluate("x/app-1", "x/db-1", "TCP", 5432);
        assertThat(appToDb.allowed()).isTrue();
        assertThat(appToDb.egressFirewall().decidedBy()).isEqualTo(DecidedBy.FIREWALL_RULE);
        assertThat(appToDb.ingressFirewall().decidedBy()).isEqualTo(DecidedBy.NETWORK_POLICY);
        assertThat(zeroTrust.evaluate("x/web-1", "x/app-1", "TCP", 80).egressFirewall().describe()).isEqualTo(
                "egress of x/web-1: no tier rule before NetworkPolicy decides; not isolated (no egress policy selects it); "
                        + "default action Drop");
        // A pod to itself is never blocked.
        assertThat(zeroTrust.allowed("x/web-1", "x/web-1", 80)).isTrue();

        // Without settings: Allow, plain Kubernetes behaviour.
        assertThat(cluster().allowed("x/web-1", "x/app-1", 80)).isTrue();
        assertThat(cluster().defaultAction("Reject").evaluate("x/web-1", "x/app-1", "TCP", 80).outcome())
                .isEqualTo(RuleAction.REJECT);
    }

    @Test
    void baselineComesAfterNetworkPolicyAndOnlyForPodsItDoesNotIsolate() {
        TestCluster c = cluster()
                .policy(policy("x", "db-from-web", """
                        podSelector: {matchLabels: {tier: db}}
                        ingress: [{from: [{podSelector: {matchLabels: {tier: web}}}]}]
                        """))
                .firewall("namespace-isolation", """
                        tier: baseline
                        priority: 1
                        rules:
                        - {name: same-namespace, action: Allow, sources: [{namespaces: [x]}], destinations: [{namespaces: [x]}]}
                        - {name: across-namespaces, action: Drop}
                        """);
        assertThat(c.allowed("x/web-1", "x/db-1", 5432)).as("NetworkPolicy allows; baseline is not reached").isTrue();
        assertThat(c.allowed("x/app-1", "x/db-1", 5432)).as("NetworkPolicy isolates and does not allow").isFalse();
        assertThat(c.allowed("x/web-1", "x/app-1", 80)).isTrue();
        Verdict across = c.evaluate("y/web-3", "x/app-1", "TCP", 80);
        assertThat(across.allowed()).isFalse();
        assertThat(across.egressFirewall().decidingRule()).map(m -> m.rule().tier()).contains(Tier.BASELINE);
        assertThat(across.egressFirewall().describe()).isEqualTo("egress of y/web-3: no tier rule before NetworkPolicy "
                + "decides; not isolated (no egress policy selects it); dropped by firewall rule "
                + "namespace-isolation/across-namespaces (tier baseline, priority 1)");
        // y/web-3 to x/db-1: the db's ingress is isolated by NetworkPolicy (which allows web), baseline not reached there.
        Verdict toDb = c.evaluate("y/web-3", "x/db-1", "TCP", 5432);
        assertThat(toDb.ingressFirewall().matches()).extracting(m -> m.rule().rule() + " " + m.role())
                .containsExactly("across-namespaces not reached");
        assertThat(toDb.egressFirewall().allows()).isFalse();
    }

    @Test
    void aGroupThatDoesNotExistHasNoMembers() {
        TestCluster c = cluster().firewall("dangling", """
                tier: security
                priority: 1
                rules: [{name: r, action: Drop, sources: [{group: nobody}]}]
                """);
        assertThat(c.allowed("x/web-1", "x/app-1", 80)).isTrue();
        assertThat(c.snapshot().groupMembers("nobody")).isEmpty();
        assertThat(c.snapshot().compileFirewall(NamespacedName.parse("x/app-1")).ingress().tiers())
                .as("no peer address: no entry").isEmpty();
    }

    @Test
    void prioritiesThatTieGoByNameSoTheOutcomeNeverDependsOnOrder() {
        // The server refuses a second policy with a tier's priority; the engine stays deterministic anyway.
        TestCluster c = cluster()
                .firewall("b-allow", "tier: security\npriority: 7\nrules: [{name: r, action: Allow}]\n")
                .firewall("a-drop", "tier: security\npriority: 7\nrules: [{name: r, action: Drop}]\n");
        assertThat(c.allowed("x/web-1", "x/app-1", 80)).isFalse();
    }

    @Test
    void aPolicyForANamespaceThatDoesNotExistYetTakesEffectWhenItAppears() {
        TestCluster c = cluster()
                .group("future-pods", "members: [{namespaces: [z]}]")
                .firewall("quarantine", """
                        tier: emergency
                        priority: 1
                        appliedTo: [{group: future-pods}]
                        rules: [{name: all, action: Drop}]
                        """);
        assertThat(c.snapshot().groupMembers("future-pods")).hasValueSatisfying(m -> assertThat(m.pods()).isEmpty());
        assertThat(c.allowed("x/web-1", "x/app-1", 80)).isTrue();

        c.namespace("z").pod("z/new", "10.0.3.1");
        assertThat(c.allowed("x/web-1", "z/new", 80)).isFalse();
        assertThat(c.allowed("z/new", "x/web-1", 80)).isFalse();
        assertThat(c.allowed("x/web-1", "x/app-1", 80)).isTrue();
    }

    @Test
    void membershipFollowsPodsAsTheyComeAndGo() {
        TestCluster c = cluster().firewall("isolate-web", ISOLATE_WEB);
        NamespacedName web1 = NamespacedName.parse("x/web-1");
        assertThat(c.snapshot().compileFirewall(web1).egress().tiers().getFirst().peers()).extracting(Cidr::toString)
                .containsExactly("10.0.1.1/32", "10.0.1.2/32", "10.0.2.3/32");

        c.pod("y/web-4", "10.0.2.4", "tier", "web");
        assertThat(c.allowed("x/web-1", "y/web-4", 80)).isFalse();
        assertThat(c.snapshot().compileFirewall(web1).egress().tiers().getFirst().peers()).extracting(Cidr::toString)
                .containsExactly("10.0.1.1/32", "10.0.1.2/32", "10.0.2.3/32", "10.0.2.4/32");

        c.without("x/web-2");
        assertThat(c.snapshot().compileFirewall(web1).egress().tiers().getFirst().peers()).extracting(Cidr::toString)
                .containsExactly("10.0.1.1/32", "10.0.2.3/32", "10.0.2.4/32");
        // A pod relabelled out of the tier leaves the group: its former address is a plain peer again.
        c.without("y/web-3").pod("y/web-3", "10.0.2.3", "tier", "app");
        assertThat(c.allowed("x/web-1", "y/web-3", 80)).isTrue();
        assertThat(c.snapshot().groupMembers("web-tier")).hasValueSatisfying(m -> assertThat(m.pods())
                .extracting(NamespacedName::toString).containsExactly("x/web-1", "y/web-4"));
    }

    @Test
    void groupsNestAndHoldAddressBlocks() {
        TestCluster c = cluster()
                .group("partners", "members: [{ipBlock: {cidr: 192.168.0.0/16, except: [192.168.9.0/24]}}]")
                .group("outside-world", "members: [{group: partners}, {group: web-tier}]")
                .group("loop-a", "members: [{group: loop-b}, {namespaces: [y]}]")
                .group("loop-b", "members: [{group: loop-a}, {podSelector: {matchLabels: {tier: db}}}]")
                .firewall("partners-in", """
                        tier: security
                        priority: 1
                        rules: [{name: no-partners, action: Drop, direction: In, sources: [{group: outside-world}], destinations: [{group: db-tier}]}]
                        """);
        PolicySnapshot snapshot = c.snapshot();
        assertThat(snapshot.groupMembers("outside-world")).hasValueSatisfying(m -> {
            assertThat(m.pods()).extracting(NamespacedName::toString).containsExactly("x/web-1", "x/web-2", "y/web-3");
            assertThat(m.blocks()).extracting(Cidr::toString).contains("192.168.0.0/21", "192.168.10.0/23")
                    .doesNotContain("192.168.9.0/24");
        });
        // A cycle ends: each group counts every group it reaches, once.
        assertThat(snapshot.groupMembers("loop-a")).hasValueSatisfying(m -> assertThat(m.pods())
                .extracting(NamespacedName::toString).containsExactly("x/db-1", "y/web-3"));
        assertThat(snapshot.groupMembers("loop-b").orElseThrow().pods()).isEqualTo(snapshot.groupMembers("loop-a").orElseThrow().pods());

        assertThat(c.allowed("192.168.1.1", "x/db-1", "TCP", 5432)).isFalse();
        assertThat(c.allowed(OUTSIDE, "x/db-1", "TCP", 5432)).as("in the except").isTrue();
        assertThat(c.allowed("x/web-2", "x/db-1", 5432)).isFalse();
        assertThat(c.allowed("x/app-1", "x/db-1", 5432)).isTrue();
    }

    @Test
    void aPodInABlockIsAMemberByThatAddressOnly() {
        TestCluster c = new TestCluster().namespace("x")
                .pod("x/multi", List.of("10.0.1.1", "10.9.0.1"), List.of())
                .pod("x/other", "10.0.1.2")
                .firewall("by-address", """
                        tier: security
                        priority: 1
                        rules: [{name: r, action: Drop, direction: Out, sources: [{ipBlock: {cidr: 10.9.0.0/16}}]}]
                        """);
        PodFirewall compiled = c.snapshot().compileFirewall(NamespacedName.parse("x/multi"));
        assertThat(compiled.egress().tiers()).singleElement().satisfies(e ->
                assertThat(e.local()).extracting(Cidr::toString).containsExactly("10.9.0.1/32"));
        assertThat(c.allowed("10.9.0.1", "x/other", "TCP", 80)).isFalse();
        assertThat(c.allowed("10.0.1.1", "x/other", "TCP", 80)).isTrue();
    }

    @Test
    void servicesMatchProtocolsPortRangesAndIcmp() {
        TestCluster c = cluster().firewall("svc", """
                tier: security
                priority: 1
                rules:
                - {name: ping, action: Drop, services: [{protocol: ICMP}]}
                - {name: range, action: Drop, services: [{port: 8000, endPort: 8080}, {protocol: UDP}]}
                """);
        assertThat(c.allowed("x/web-1", "x/app-1", "ICMP", 0)).isFalse();
        assertThat(c.allowed("x/web-1", "x/app-1", 8080)).isFalse();
        assertThat(c.allowed("x/web-1", "x/app-1", 8081)).isTrue();
        assertThat(c.allowed("x/web-1", "x/app-1", "UDP", 53)).isFalse();
        assertThat(c.allowed("x/web-1", "x/app-1", "SCTP", 8000)).isTrue();
        assertThat(c.evaluate("x/web-1", "x/app-1", "icmp", 99).render()).startsWith("x/web-1 -> x/app-1 ICMP: blocked");
    }

    @Test
    void ruleIdsAreStableAndShort() {
        FirewallRuleRef ref = new FirewallRuleRef(Tier.SECURITY, 10, "isolate-web", 0, "web-to-web");
        FirewallRuleRef moved = new FirewallRuleRef(Tier.EMERGENCY, 1, "isolate-web", 3, "web-to-web");
        assertThat(ref.id()).matches("fw-[0-9a-f]{12}").isEqualTo(moved.id());
        assertThat(new FirewallRuleRef(Tier.SECURITY, 10, "isolate-web", 0, "other").id()).isNotEqualTo(ref.id());
        assertThat(ref.describe()).isEqualTo("isolate-web/web-to-web (tier security, priority 10)");
    }

    @Test
    void withoutAFirewallExplanationsAreNetworkPolicysAlone() {
        TestCluster c = cluster().policy(policy("x", "deny", "podSelector: {matchLabels: {tier: db}}\n"));
        Verdict verdict = c.evaluate("x/web-1", "x/db-1", "TCP", 80);
        assertThat(verdict.render()).isEqualTo("""
                x/web-1 -> x/db-1 80/TCP: blocked by ingress
                  egress of x/web-1: not isolated (no egress policy selects it)
                  ingress of x/db-1: isolated by x/deny; no rule allows it
                """);
        assertThat(verdict.ingressFirewall().decidedBy()).isEqualTo(DecidedBy.NETWORK_POLICY);
        assertThat(verdict.ingressFirewall().configured()).isFalse();
        assertThat(c.snapshot().compileFirewall(NamespacedName.parse("x/db-1")).ingress().networkPolicyOnly()).isTrue();
    }

    @Test
    void notReachedRulesAreStillListedSoExplainShowsEverythingThatSelectsThePair() {
        TestCluster c = cluster().firewall("isolate-web", ISOLATE_WEB)
                .firewall("web-http", """
                        tier: application
                        priority: 100
                        rules: [{name: http, action: Allow, destinations: [{group: web-tier}], services: [{port: 80}], logging: true}]
                        """);
        Verdict verdict = c.evaluate("x/web-1", "x/web-2", "TCP", 80);
        assertThat(verdict.ingressFirewall().matches()).extracting(FirewallMatch::describe).containsExactly(
                "decides: isolate-web/web-to-web Drop (tier security, priority 10; from group web-tier; to group web-tier; any service)",
                "not reached: web-http/http Allow (tier application, priority 100; from any; to group web-tier; services 80/TCP; logged)");
        assertThat(verdict.egressFirewall().matches()).extracting(FirewallMatch::role).containsExactly(Role.DECIDES, Role.NOT_REACHED);
        assertThat(c.allowed("x/app-1", "x/web-2", 80)).isTrue();
    }

    private static String policy(String namespace, String name, String spec) {
        return "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: " + name + ", namespace: "
                + namespace + "}\nspec:\n" + spec.indent(2);
    }
}
