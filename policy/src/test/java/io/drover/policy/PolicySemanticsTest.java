package io.drover.policy;

import static io.drover.policy.TestCluster.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The corners of Kubernetes' NetworkPolicy semantics, one connection at a time. */
class PolicySemanticsTest {

    private static final String OUTSIDE = "192.168.9.9";

    private static TestCluster cluster() {
        return new TestCluster()
                .namespace("x", "ns", "x")
                .namespace("y", "ns", "y")
                .namespace("z", "ns", "z")
                .pod("x/a", "10.0.1.1")
                .pod("x/b", "10.0.1.2")
                .pod("y/a", "10.0.2.1")
                .pod("y/b", "10.0.2.2")
                .pod("z/a", "10.0.3.1");
    }

    private static String policy(String namespace, String name, String spec) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: %s, namespace: %s}
                spec:
                %s""".formatted(name, namespace, spec.indent(2));
    }

    @Test
    void withoutPoliciesEverythingIsAllowed() {
        TestCluster c = cluster();
        assertThat(c.allowed("x/a", "y/b", 80)).isTrue();
        assertThat(c.allowed(OUTSIDE, "y/b", "UDP", 53)).isTrue();
        assertThat(c.allowed("y/b", OUTSIDE, "SCTP", 9)).isTrue();
    }

    @Test
    void policiesAddUp() {
        TestCluster c = cluster()
                .policy(policy("y", "from-x-a", """
                        podSelector: {matchLabels: {pod: b}}
                        ingress: [{from: [{namespaceSelector: {matchLabels: {ns: x}}, podSelector: {matchLabels: {pod: a}}}]}]
                        """))
                .policy(policy("y", "from-z", """
                        podSelector: {}
                        ingress: [{from: [{namespaceSelector: {matchLabels: {ns: z}}}]}]
                        """));
        assertThat(c.allowed("x/a", "y/b", 80)).as("first policy").isTrue();
        assertThat(c.allowed("z/a", "y/b", 80)).as("second policy").isTrue();
        assertThat(c.allowed("x/b", "y/b", 80)).as("neither").isFalse();
        assertThat(c.allowed("x/a", "y/a", 80)).as("y/a is selected by the second only").isFalse();
    }

    @Test
    void bothEndsMustAllowSoADenyOnEitherSideWins() {
        TestCluster c = cluster()
                .policy(policy("x", "deny-egress", "podSelector: {}\npolicyTypes: [Egress]\n"))
                .policy(policy("y", "allow-all-in", "podSelector: {}\ningress: [{}]\n"));
        assertThat(c.allowed("x/a", "y/b", 80)).as("client's egress denies").isFalse();
        assertThat(c.allowed("z/a", "y/b", 80)).isTrue();

        TestCluster d = cluster()
                .policy(policy("x", "allow-all-out", "podSelector: {}\npolicyTypes: [Egress]\negress: [{}]\n"))
                .policy(policy("y", "deny-in", "podSelector: {}\n"));
        assertThat(d.allowed("x/a", "y/b", 80)).as("server's ingress denies").isFalse();
        assertThat(d.allowed("x/a", "z/a", 80)).isTrue();
    }

    @Test
    void withoutPolicyTypesEgressRulesIsolateBothDirections() {
        TestCluster c = cluster().policy(policy("x", "egress-only-rules", """
                podSelector: {matchLabels: {pod: a}}
                egress: [{to: [{namespaceSelector: {matchLabels: {ns: y}}}]}]
                """));
        PolicySnapshot s = c.snapshot();
        NamespacedName a = NamespacedName.parse("x/a");
        assertThat(s.policiesSelecting(a, Direction.INGRESS)).as("ingress is always implied").hasSize(1);
        assertThat(s.policiesSelecting(a, Direction.EGRESS)).as("egress, because it has egress rules").hasSize(1);
        assertThat(c.allowed("x/b", "x/a", 80)).as("no ingress rules: nothing comes in").isFalse();
        assertThat(c.allowed("x/a", "y/a", 80)).isTrue();
        assertThat(c.allowed("x/a", "z/a", 80)).isFalse();
    }

    @Test
    void withoutPolicyTypesOrEgressRulesEgressStaysOpen() {
        TestCluster c = cluster().policy(policy("x", "deny-in", "podSelector: {}\n"));
        assertThat(c.allowed("x/a", "y/a", 80)).isTrue();
        assertThat(c.allowed("y/a", "x/a", 80)).isFalse();
    }

    @Test
    void anEgressOnlyPolicyLeavesIngressOpenWhateverIngressRulesItHas() {
        TestCluster c = cluster().policy(policy("x", "egress-only", """
                podSelector: {}
                policyTypes: [Egress]
                ingress: [{from: [{podSelector: {matchLabels: {pod: nothing}}}]}]
                """));
        assertThat(c.allowed("y/a", "x/a", 80)).isTrue();
        assertThat(c.allowed("x/a", "y/a", 80)).isFalse();
    }

    @Test
    void selectorsInOnePeerAreAndedWhileTwoPeersAreOred() {
        TestCluster and = cluster().policy(policy("x", "and", """
                podSelector: {}
                ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}, podSelector: {matchLabels: {pod: a}}}]}]
                """));
        assertThat(and.allowed("y/a", "x/a", 80)).isTrue();
        assertThat(and.allowed("y/b", "x/a", 80)).as("in y but not pod a").isFalse();
        assertThat(and.allowed("z/a", "x/a", 80)).as("pod a but not in y").isFalse();

        TestCluster or = cluster().policy(policy("x", "or", """
                podSelector: {}
                ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}, {podSelector: {matchLabels: {pod: a}}}]}]
                """));
        assertThat(or.allowed("y/b", "x/b", 80)).as("any pod of y").isTrue();
        assertThat(or.allowed("x/a", "x/b", 80)).as("pod a of the policy's own namespace").isTrue();
        assertThat(or.allowed("z/a", "x/b", 80)).as("a podSelector alone stays in the policy's namespace").isFalse();
    }

    @Test
    void emptyNamespaceSelectorMeansEveryPodOfEveryNamespaceButNoOtherAddress() {
        for (String peer : List.of("{namespaceSelector: {}}", "{namespaceSelector: {}, podSelector: {}}")) {
            TestCluster c = cluster().policy(policy("x", "all-pods", "podSelector: {}\ningress: [{from: [" + peer + "]}]\n"));
            assertThat(c.allowed("z/a", "x/a", 80)).as(peer).isTrue();
            assertThat(c.allowed("x/b", "x/a", 80)).as(peer).isTrue();
            assertThat(c.allowed(OUTSIDE, "x/a", 80)).as(peer).isFalse();
        }
        TestCluster own = cluster().policy(policy("x", "own", "podSelector: {}\ningress: [{from: [{podSelector: {}}]}]\n"));
        assertThat(own.allowed("x/b", "x/a", 80)).isTrue();
        assertThat(own.allowed("y/a", "x/a", 80)).as("podSelector {} alone: the policy's namespace only").isFalse();
    }

    @Test
    void aRuleWithoutPeersAllowsAddressesOutsidePodsToo() {
        TestCluster c = cluster().policy(policy("x", "port-80", "podSelector: {}\ningress: [{ports: [{port: 80}]}]\n"));
        assertThat(c.allowed(OUTSIDE, "x/a", 80)).isTrue();
        assertThat(c.allowed("y/a", "x/a", 80)).isTrue();
        assertThat(c.allowed(OUTSIDE, "x/a", 81)).isFalse();
    }

    @Test
    void ipBlockExceptionsApplyToPodsAndOtherAddressesAlike() {
        TestCluster c = cluster().policy(policy("x", "block", """
                podSelector: {}
                policyTypes: [Egress]
                egress: [{to: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.0.2.0/24]}}]}]
                """));
        assertThat(c.allowed("x/a", "z/a", 80)).as("a pod in the block").isTrue();
        assertThat(c.allowed("x/a", "y/a", 80)).as("a pod in the exception").isFalse();
        assertThat(c.allowed("x/a", "10.0.7.7", 80)).as("an address in the block").isTrue();
        assertThat(c.allowed("x/a", "10.0.2.200", 80)).as("an address in the exception").isFalse();
        assertThat(c.allowed("x/a", OUTSIDE, 80)).as("outside the block").isFalse();
    }

    @Test
    void ipBlocksWorkForIpv6() {
        TestCluster c = new TestCluster().namespace("x")
                .pod("x/a", List.of("10.0.1.1", "fd00::1"), List.of())
                .pod("x/b", List.of("fd00::2"), List.of())
                .policy(policy("x", "v6", """
                        podSelector: {matchLabels: {pod: a}}
                        ingress: [{from: [{ipBlock: {cidr: "fd00::/64", except: ["fd00::2/128"]}}]}]
                        """));
        assertThat(c.allowed("fd00::9", "x/a", 80)).isTrue();
        assertThat(c.allowed("x/b", "x/a", 80)).isFalse();
        assertThat(c.allowed("10.0.1.9", "x/a", 80)).isFalse();
    }

    @Test
    void endPortMakesARangeOfItsProtocol() {
        TestCluster c = cluster().policy(policy("x", "range", """
                podSelector: {}
                ingress: [{ports: [{port: 8000, endPort: 8100}]}]
                """));
        assertThat(c.allowed("y/a", "x/a", 8000)).isTrue();
        assertThat(c.allowed("y/a", "x/a", 8050)).isTrue();
        assertThat(c.allowed("y/a", "x/a", 8100)).isTrue();
        assertThat(c.allowed("y/a", "x/a", 7999)).isFalse();
        assertThat(c.allowed("y/a", "x/a", 8101)).isFalse();
        assertThat(c.allowed("y/a", "x/a", "UDP", 8050)).as("TCP by default").isFalse();
    }

    @Test
    void aPortWithoutNumberAllowsEveryPortOfItsProtocolAndNoPortsAllowEveryProtocol() {
        TestCluster udp = cluster().policy(policy("x", "udp", "podSelector: {}\ningress: [{ports: [{protocol: UDP}]}]\n"));
        assertThat(udp.allowed("y/a", "x/a", "UDP", 1)).isTrue();
        assertThat(udp.allowed("y/a", "x/a", "udp", 65535)).as("protocols in any case").isTrue();
        assertThat(udp.allowed("y/a", "x/a", "TCP", 53)).isFalse();

        TestCluster any = cluster().policy(policy("x", "any", "podSelector: {}\ningress: [{from: [{namespaceSelector: {}}]}]\n"));
        assertThat(any.allowed("y/a", "x/a", "SCTP", 9)).isTrue();
        assertThat(any.allowed("y/a", "x/a", "UDP", 53)).isTrue();
    }

    @Test
    void namedPortsResolveAgainstTheDestinationPodByNameAndProtocol() {
        TestCluster c = new TestCluster().namespace("x")
                .pod("x/a", List.of("10.0.1.1"), List.of())
                .pod("x/b", List.of("10.0.1.2"), List.of(port("web", 8080, "TCP")))
                .pod("x/c", List.of("10.0.1.3"), List.of(port("web", 9090, "TCP")))
                .pod("x/d", List.of("10.0.1.4"), List.of(port("web", 8080, "UDP")))
                .policy(policy("x", "web-in", "podSelector: {}\ningress: [{ports: [{port: web}]}]\n"));
        assertThat(c.allowed("x/a", "x/b", 8080)).isTrue();
        assertThat(c.allowed("x/a", "x/b", 9090)).isFalse();
        assertThat(c.allowed("x/a", "x/c", 9090)).as("the same name, another number").isTrue();
        assertThat(c.allowed("x/a", "x/c", 8080)).isFalse();
        assertThat(c.allowed("x/a", "x/d", "TCP", 8080)).as("x/d names only a UDP port web").isFalse();
        assertThat(c.allowed("x/a", "x/d", "UDP", 8080)).as("the policy port is TCP").isFalse();

        TestCluster udp = new TestCluster().namespace("x")
                .pod("x/a", List.of("10.0.1.1"), List.of())
                .pod("x/d", List.of("10.0.1.4"), List.of(port("web", 8080, "UDP")))
                .policy(policy("x", "web-udp", "podSelector: {}\ningress: [{ports: [{port: web, protocol: UDP}]}]\n"));
        assertThat(udp.allowed("x/a", "x/d", "UDP", 8080)).isTrue();
    }

    @Test
    void egressNamedPortsResolveAgainstEachPeerPodAndNeverMatchOtherAddresses() {
        TestCluster c = new TestCluster().namespace("x")
                .pod("x/a", List.of("10.0.1.1"), List.of(port("web", 7070, "TCP")))
                .pod("x/b", List.of("10.0.1.2"), List.of(port("web", 8080, "TCP")))
                .pod("x/c", List.of("10.0.1.3"), List.of(port("web", 9090, "TCP")))
                .policy(policy("x", "web-out", """
                        podSelector: {matchLabels: {pod: a}}
                        policyTypes: [Egress]
                        egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}], ports: [{port: web}]}]
                        """));
        assertThat(c.allowed("x/a", "x/b", 8080)).isTrue();
        assertThat(c.allowed("x/a", "x/c", 9090)).isTrue();
        assertThat(c.allowed("x/a", "x/c", 8080)).isFalse();
        assertThat(c.allowed("x/a", "x/b", 7070)).as("not the client's own port of that name").isFalse();
        assertThat(c.allowed("x/a", OUTSIDE, 8080)).as("an address outside pods has no port names").isFalse();
    }

    @Test
    void aPodMayAlwaysReachItself() {
        TestCluster c = cluster().policy(policy("x", "deny-all", "podSelector: {}\npolicyTypes: [Ingress, Egress]\n"));
        Verdict self = c.evaluate("x/a", "x/a", "TCP", 80);
        assertThat(self.allowed()).isTrue();
        assertThat(self.loopback()).isTrue();
        assertThat(c.allowed("10.0.1.1", "x/a", 80)).as("by its address too").isTrue();
        assertThat(c.allowed("x/a", "x/b", 80)).isFalse();
    }

    @Test
    void anAddressOfAPodStandsForThatPod() {
        TestCluster c = cluster().policy(policy("x", "from-y", """
                podSelector: {}
                ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}]}]
                """));
        assertThat(c.allowed("10.0.2.1", "x/a", 80)).isTrue();
        assertThat(c.allowed("10.0.2.1", "10.0.1.1", 80)).isTrue();
        assertThat(c.allowed("10.0.3.1", "10.0.1.1", 80)).isFalse();
        assertThat(c.evaluate("10.0.2.1", "x/a", "TCP", 80).render()).startsWith("y/a (10.0.2.1) -> x/a 80/TCP");
    }

    @Test
    void aPolicySelectsOnlyPodsOfItsOwnNamespace() {
        TestCluster c = cluster().policy(policy("x", "deny-in", "podSelector: {}\n"));
        assertThat(c.allowed("x/a", "y/a", 80)).isTrue();
        assertThat(c.snapshot().policiesSelecting(NamespacedName.parse("y/a"), Direction.INGRESS)).isEmpty();
    }

    @Test
    void namespacesCanBeSelectedByTheirNameLabelEvenWhenTheObjectLacksIt() {
        TestCluster c = new TestCluster().namespace("x").namespace("y")
                .pod("x/a", "10.0.1.1").pod("y/a", "10.0.2.1")
                .policy(policy("x", "from-y", """
                        podSelector: {}
                        ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}]}]
                        """));
        assertThat(c.allowed("y/a", "x/a", 80)).isTrue();
    }

    @Test
    void matchExpressionsSelectAsKubernetesDoes() {
        TestCluster c = cluster().policy(policy("x", "not-y", """
                podSelector: {}
                ingress:
                - from:
                  - namespaceSelector: {matchExpressions: [{key: ns, operator: NotIn, values: [y]}]}
                    podSelector: {matchExpressions: [{key: pod, operator: Exists}]}
                """));
        assertThat(c.allowed("z/a", "x/a", 80)).isTrue();
        assertThat(c.allowed("y/a", "x/a", 80)).isFalse();
    }

    @Test
    void explanationsNameThePoliciesAndTheRuleThatDecided() {
        TestCluster c = cluster()
                .policy(policy("y", "deny-all", "podSelector: {}\n"))
                .policy(policy("y", "allow-81", """
                        podSelector: {matchLabels: {pod: b}}
                        ingress:
                        - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: x}}}]
                          ports: [{port: 81}]
                        """));
        assertThat(c.evaluate("x/a", "y/b", "TCP", 81).render()).isEqualTo("""
                x/a -> y/b 81/TCP: allowed
                  egress of x/a: not isolated (no egress policy selects it)
                  ingress of y/b: isolated by y/allow-81, y/deny-all; allowed by y/allow-81 ingress[0] \
                (from namespaceSelector kubernetes.io/metadata.name=x; port 81/TCP)
                """);
        assertThat(c.evaluate("x/a", "y/b", "TCP", 80).render()).isEqualTo("""
                x/a -> y/b 80/TCP: blocked by ingress
                  egress of x/a: not isolated (no egress policy selects it)
                  ingress of y/b: isolated by y/allow-81, y/deny-all; no rule allows it
                """);
        assertThat(c.evaluate("y/b", OUTSIDE, "UDP", 53).render()).isEqualTo("""
                y/b -> 192.168.9.9 53/UDP: allowed
                  egress of y/b: not isolated (no egress policy selects it)
                  ingress of 192.168.9.9: not a pod, so no policy applies
                """);
    }

    @Test
    void explanationsOfRulesWithoutPeersOrPorts() {
        TestCluster c = cluster().policy(policy("x", "open", "podSelector: {}\npolicyTypes: [Egress]\negress: [{}]\n"));
        Verdict verdict = c.evaluate("x/a", "y/a", "SCTP", 5);
        assertThat(verdict.egress()).isInstanceOfSatisfying(DirectionVerdict.Isolated.class, isolated -> {
            assertThat(isolated.isolatedBy()).containsExactly(NamespacedName.parse("x/open"));
            assertThat(isolated.allowedBy()).singleElement().hasToString("x/open egress[0] (to any peer; any port and protocol)");
        });
    }

    @Test
    void aPodTheSnapshotLacksIsAnError() {
        assertThatThrownBy(() -> cluster().allowed("x/nope", "x/a", 80))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x/nope");
    }

    @Test
    void twoPodsOfOneNameAreAnError() {
        assertThatThrownBy(() -> cluster().pod("x/a", "10.0.1.9").snapshot())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x/a");
    }
}
