package io.drover.agent.rules;

import static io.drover.agent.rules.RulesFixtures.network;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.desired.PolicyCalculator;
import io.drover.model.codec.ManifestReader;
import io.drover.model.net.IpAddresses;
import io.drover.model.pod.Pod;
import io.drover.model.policy.NetworkPolicy;
import io.drover.policy.NamespacedName;
import io.drover.policy.PortRange;
import io.drover.policy.PortSet;
import io.drover.policy.conformance.ConformanceModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The NetworkPolicy part of the table, rendered without a kernel, on the conformance model's nine pods. */
class PolicyRulesTest {

    private static final String NODE = "node-1";

    private static final NetworkPolicy ALLOW_FROM_Y = policy("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: allow-from-y, namespace: x}
            spec:
              podSelector: {matchLabels: {pod: a}}
              ingress:
              - from:
                - namespaceSelector: {matchLabels: {ns: y}}
                ports:
                - {port: 80, protocol: TCP}
                - {port: 81, protocol: UDP}
            """);

    private static final NetworkPolicy DENY_EGRESS = policy("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny-egress, namespace: z}
            spec:
              podSelector: {}
              policyTypes: [Egress]
            """);

    /** x/a, x/b and x/c on this node; the other six on another node. */
    private static ConformanceModel model() {
        Map<NamespacedName, java.net.InetAddress> addresses = new HashMap<>();
        int host = 2;
        for (NamespacedName pod : ConformanceModel.podNames()) {
            addresses.put(pod, IpAddresses.parse("10.77.0." + host++));
        }
        ConformanceModel m = ConformanceModel.withAddresses(addresses);
        List<Pod> pods = m.pods().stream()
                .map(p -> Pod.of(p.metadata(), p.spec().withNode(p.namespace().equals("x") ? NODE : "node-2"))
                        .withStatus(p.status()))
                .toList();
        return new ConformanceModel(m.namespaces(), pods);
    }

    private static PolicyRules rules(ConformanceModel m, NetworkPolicy... policies) {
        return PolicyCalculator.compute(NODE, m.namespaces(), m.pods(), List.of(policies));
    }

    @Test
    void onlyTheSelectedLocalPodGetsAChainAndItsAddressADispatchEntry() {
        PolicyRules rules = rules(model(), ALLOW_FROM_Y, DENY_EGRESS);

        // z's pods are isolated too, but they run on another node: that node's agent enforces their egress.
        assertThat(rules.chains()).extracting(PolicyRules.PodChain::name).containsExactly("pod.x.a.in");
        assertThat(rules.elements().of(DroverTable.POD_INGRESS4)).containsExactly(
                SetElement.mapping("10.77.0.2", "jump pod.x.a.in", "pod x/a"));
        assertThat(rules.elements().of(DroverTable.POD_EGRESS4)).isEmpty();
        assertThat(rules.sets()).extracting(PolicyRules.PeerSet::name).containsExactly("np.x.allow-from-y.in0.v4");
        assertThat(rules.elements().of("np.x.allow-from-y.in0.v4")).extracting(SetElement::key)
                .containsExactly("10.77.0.5", "10.77.0.6/31");
    }

    @Test
    void theChainLetsThePodItselfAndEachAllowedProtocolThroughThenDropsAndCounts() {
        PolicyRules rules = rules(model(), ALLOW_FROM_Y);

        assertThat(rules.chains().getFirst().rules()).extracting(DroverTable.Rule::text).containsExactly(
                "ip saddr { 10.77.0.2 } return",
                "ip saddr @np.x.allow-from-y.in0.v4 meta l4proto tcp th dport 80 return",
                "ip saddr @np.x.allow-from-y.in0.v4 meta l4proto udp th dport 81 return",
                "counter drop");
    }

    @Test
    void aPeerThatComesAndGoesChangesSetElementsOnlyNeverARule() {
        ConformanceModel before = model();
        ConformanceModel after = before.withNamespaceLabels("z", Map.of("ns", "y"));
        NodeRules applied = new NodeRules(List.of(network("np", false, "10.77.0.0/24")), List.of(), rules(before, ALLOW_FROM_Y));
        NodeRules wanted = new NodeRules(applied.networks(), applied.ports(), rules(after, ALLOW_FROM_Y));

        String update = wanted.updateScript(applied);

        assertThat(update).contains("add element inet drover np.x.allow-from-y.in0.v4 { 10.77.0.8/31, 10.77.0.10 }")
                .doesNotContain("add rule", "chain", "add set");
    }

    @Test
    void aPodThatBecomesIsolatedGetsItsChainBeforeItsDispatchEntryAndLosesThemInTheOtherOrder() {
        ConformanceModel m = model();
        NodeRules open = new NodeRules(List.of(network("np", false, "10.77.0.0/24")), List.of());
        NodeRules isolated = new NodeRules(open.networks(), open.ports(), rules(m, ALLOW_FROM_Y));

        String in = isolated.updateScript(open);
        assertThat(in.indexOf("add set inet drover np.x.allow-from-y.in0.v4"))
                .isLessThan(in.indexOf("add chain inet drover pod.x.a.in"));
        assertThat(in.indexOf("add chain inet drover pod.x.a.in"))
                .isLessThan(in.indexOf("add rule inet drover pod.x.a.in"));
        assertThat(in.indexOf("add rule inet drover pod.x.a.in"))
                .isLessThan(in.indexOf("add element inet drover pod_ingress4"));

        String out = open.updateScript(isolated);
        assertThat(out.indexOf("delete element inet drover pod_ingress4"))
                .isLessThan(out.indexOf("delete chain inet drover pod.x.a.in"));
        assertThat(out.indexOf("flush chain inet drover pod.x.a.in"))
                .isLessThan(out.indexOf("delete set inet drover np.x.allow-from-y.in0.v4"));
        assertThat(out).doesNotContain("delete element inet drover np.x");
    }

    @Test
    void theSameInputInAnyOrderGivesEqualRules() {
        ConformanceModel m = model();
        PolicyRules one = PolicyCalculator.compute(NODE, m.namespaces(), m.pods(), List.of(ALLOW_FROM_Y, DENY_EGRESS));
        PolicyRules two = PolicyCalculator.compute(NODE, m.namespaces().reversed(), m.pods().reversed(),
                List.of(DENY_EGRESS, ALLOW_FROM_Y));
        assertThat(one).isEqualTo(two);
        assertThat(new NodeRules(List.of(), List.of(), one).updateScript(new NodeRules(List.of(), List.of(), two))).isEmpty();
    }

    @Test
    void portsRenderOneMatchPerProtocolAndEveryPortOfAProtocolAsTheProtocolAlone() {
        PortSet ports = PortSet.of(List.of(PortRange.single("TCP", 80), new PortRange("TCP", 8000, 8080),
                PortRange.every("SCTP")));
        assertThat(PolicyRules.portMatches(ports)).containsExactly(" meta l4proto sctp",
                " meta l4proto tcp th dport { 80, 8000-8080 }");
        assertThat(PolicyRules.portMatches(PortSet.of(List.of()))).isEmpty();
    }

    @Test
    void namesTooLongForNftBecomeDigests() {
        String longName = "n".repeat(253);
        String chain = PolicyRules.chainName("x/" + longName, io.drover.policy.Direction.INGRESS);
        assertThat(chain).startsWith("pod.h").endsWith(".in").hasSizeLessThanOrEqualTo(PolicyRules.MAX_NAME);
        assertThat(PolicyRules.chainName("x/a", io.drover.policy.Direction.EGRESS)).isEqualTo("pod.x.a.out");
    }

    private static NetworkPolicy policy(String yaml) {
        return (NetworkPolicy) ManifestReader.readSingle("test.yaml", yaml).resource();
    }
}
