package io.drover.policy;

import static io.drover.policy.TestCluster.port;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-pod form the data plane programs: selectors, ipBlocks and named ports resolved to prefixes and ranges. */
class PolicyCompilerTest {

    private static TestCluster cluster() {
        return new TestCluster()
                .namespace("x", "ns", "x")
                .namespace("y", "ns", "y")
                .pod("x/a", List.of("10.0.1.1"), List.of(port("web", 8080, "TCP")))
                .pod("x/b", List.of("10.0.1.2", "fd00::2"), List.of(port("web", 8080, "TCP")))
                .pod("x/c", List.of("10.0.1.3"), List.of(port("web", 9090, "TCP")))
                .pod("y/a", List.of("10.0.2.1"), List.of(port("web", 8080, "UDP")))
                .pod("y/b", List.of("10.0.2.2"), List.of());
    }

    private static String policy(String namespace, String name, String spec) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: %s, namespace: %s}
                spec:
                %s""".formatted(name, namespace, spec.indent(2));
    }

    private static PodPolicy compile(TestCluster cluster, String pod) {
        return cluster.snapshot().compile(NamespacedName.parse(pod));
    }

    private static List<Cidr> cidrs(String... texts) {
        return Arrays.stream(texts).map(Cidr::parse).toList();
    }

    private static RuleRef rule(String policy, Direction direction, int index) {
        return new RuleRef(NamespacedName.parse(policy), direction, index);
    }

    @Test
    void aPodNoPolicySelectsIsNotIsolated() {
        PodPolicy compiled = compile(cluster(), "x/a");
        assertThat(compiled.ingress()).isEqualTo(DirectionPolicy.NOT_ISOLATED);
        assertThat(compiled.egress()).isEqualTo(DirectionPolicy.NOT_ISOLATED);
        assertThat(compiled.ingress().allows(IpAddresses.parse("192.0.2.1"), "UDP", 1)).isTrue();
    }

    @Test
    void denyAllIsIsolationWithoutEntries() {
        PodPolicy compiled = compile(cluster().policy(policy("x", "deny", "podSelector: {}\npolicyTypes: [Ingress, Egress]\n")), "x/a");
        assertThat(compiled.ingress()).isEqualTo(new DirectionPolicy(true, List.of()));
        assertThat(compiled.egress()).isEqualTo(new DirectionPolicy(true, List.of()));
    }

    @Test
    void podPeersBecomeTheirAddressesMergedWhereTheyAdjoin() {
        TestCluster c = cluster().policy(policy("y", "from-x", """
                podSelector: {matchLabels: {pod: b}}
                ingress: [{from: [{namespaceSelector: {matchLabels: {ns: x}}}], ports: [{port: 80}, {port: 81}, {protocol: UDP}]}]
                """));
        PodPolicy compiled = compile(c, "y/b");
        assertThat(compiled.ingress().isolated()).isTrue();
        assertThat(compiled.ingress().allowed()).containsExactly(new AllowEntry(rule("y/from-x", Direction.INGRESS, 0),
                cidrs("10.0.1.1/32", "10.0.1.2/31", "fd00::2/128"),
                new PortSet.Ranges(List.of(new PortRange("TCP", 80, 81), PortRange.every("UDP")))));
        assertThat(compiled.egress().isolated()).isFalse();
    }

    @Test
    void ipBlocksBecomeTheBlockLessItsExceptions() {
        TestCluster c = cluster().policy(policy("x", "block", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Egress]
                egress: [{to: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.0.2.0/24]}}, {ipBlock: {cidr: 172.16.0.0/12}}]}]
                """));
        assertThat(compile(c, "x/a").egress().allowed()).singleElement().satisfies(entry -> {
            assertThat(entry.peers()).containsExactlyElementsOf(cidrs("10.0.0.0/23", "10.0.3.0/24", "10.0.4.0/22",
                    "10.0.8.0/21", "10.0.16.0/20", "10.0.32.0/19", "10.0.64.0/18", "10.0.128.0/17", "172.16.0.0/12"));
            assertThat(entry.ports()).isEqualTo(PortSet.any());
        });
    }

    @Test
    void aRuleWithoutPeersAllowsEveryAddressOfBothFamilies() {
        TestCluster c = cluster().policy(policy("x", "web", "podSelector: {}\ningress: [{ports: [{port: 443}]}]\n"));
        assertThat(compile(c, "x/a").ingress().allowed()).singleElement().satisfies(entry -> {
            assertThat(entry.peers()).containsExactlyElementsOf(cidrs("0.0.0.0/0", "::/0"));
            assertThat(entry.ports()).isEqualTo(PortSet.of(List.of(PortRange.single("TCP", 443))));
        });
    }

    @Test
    void endPortGivesARangeAndOverlappingRangesMerge() {
        TestCluster c = cluster().policy(policy("x", "ranges", """
                podSelector: {}
                ingress: [{ports: [{port: 8000, endPort: 8100}, {port: 8050, endPort: 8200}, {port: 8201}, {port: 53, protocol: UDP}]}]
                """));
        assertThat(compile(c, "x/a").ingress().allowed()).singleElement().satisfies(entry -> assertThat(entry.ports())
                .isEqualTo(new PortSet.Ranges(List.of(new PortRange("TCP", 8000, 8201), PortRange.single("UDP", 53)))));
    }

    @Test
    void ingressNamedPortsResolveAgainstTheSelectedPod() {
        TestCluster c = cluster().policy(policy("x", "web", "podSelector: {}\ningress: [{ports: [{port: web}]}]\n"));
        assertThat(compile(c, "x/a").ingress().allowed()).singleElement()
                .satisfies(entry -> assertThat(entry.ports()).isEqualTo(PortSet.of(List.of(PortRange.single("TCP", 8080)))));
        assertThat(compile(c, "x/c").ingress().allowed()).singleElement()
                .satisfies(entry -> assertThat(entry.ports()).isEqualTo(PortSet.of(List.of(PortRange.single("TCP", 9090)))));
        TestCluster y = cluster().policy(policy("y", "web", "podSelector: {}\ningress: [{ports: [{port: web}]}]\n"));
        assertThat(compile(y, "y/a").ingress()).as("y/a's web is UDP: the rule allows nothing")
                .isEqualTo(new DirectionPolicy(true, List.of()));
    }

    @Test
    void egressNamedPortsGiveOneEntryPerResolutionAmongPeerPods() {
        TestCluster c = cluster().policy(policy("y", "web-out", """
                podSelector: {matchLabels: {pod: b}}
                policyTypes: [Egress]
                egress: [{ports: [{port: web}, {port: 53, protocol: UDP}]}]
                """));
        RuleRef ref = rule("y/web-out", Direction.EGRESS, 0);
        assertThat(compile(c, "y/b").egress().allowed()).containsExactly(
                new AllowEntry(ref, cidrs("0.0.0.0/0", "::/0"), PortSet.of(List.of(PortRange.single("UDP", 53)))),
                new AllowEntry(ref, cidrs("10.0.1.1/32", "10.0.1.2/32", "fd00::2/128"),
                        PortSet.of(List.of(PortRange.single("TCP", 8080)))),
                new AllowEntry(ref, cidrs("10.0.1.3/32"), PortSet.of(List.of(PortRange.single("TCP", 9090)))));
    }

    @Test
    void egressNamedPortsToAnIpBlockReachOnlyThePodsInsideIt() {
        TestCluster c = cluster().policy(policy("y", "web-block", """
                podSelector: {matchLabels: {pod: b}}
                policyTypes: [Egress]
                egress: [{to: [{ipBlock: {cidr: 10.0.1.0/24, except: [10.0.1.1/32]}}], ports: [{port: web}]}]
                """));
        assertThat(compile(c, "y/b").egress().allowed()).containsExactly(
                new AllowEntry(rule("y/web-block", Direction.EGRESS, 0), cidrs("10.0.1.2/32"),
                        PortSet.of(List.of(PortRange.single("TCP", 8080)))),
                new AllowEntry(rule("y/web-block", Direction.EGRESS, 0), cidrs("10.0.1.3/32"),
                        PortSet.of(List.of(PortRange.single("TCP", 9090)))));
    }

    @Test
    void entriesComeFromEverySelectingPolicyInNameOrder() {
        TestCluster c = cluster()
                .policy(policy("x", "second", "podSelector: {}\ningress: [{from: [{podSelector: {matchLabels: {pod: c}}}]}]\n"))
                .policy(policy("x", "first", "podSelector: {matchLabels: {pod: a}}\ningress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}]}]\n"));
        PodPolicy compiled = compile(c, "x/a");
        assertThat(compiled.ingress().allowed()).extracting(AllowEntry::rule)
                .containsExactly(rule("x/first", Direction.INGRESS, 0), rule("x/second", Direction.INGRESS, 0));
        assertThat(compiled.ingress().allows(IpAddresses.parse("10.0.2.2"), "SCTP", 1)).isTrue();
        assertThat(compiled.ingress().allows(IpAddresses.parse("10.0.1.3"), "TCP", 1)).isTrue();
        assertThat(compiled.ingress().allows(IpAddresses.parse("10.0.1.2"), "TCP", 1)).isFalse();
    }
}
