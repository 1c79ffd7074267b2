package io.drover.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.desired.PolicyCalculator;
import io.drover.agent.rules.PolicyRules.PodChain;
import io.drover.model.codec.ManifestReader;
import io.drover.model.pod.Pod;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.tenant.Namespace;
import io.drover.policy.Firewall;
import io.drover.policy.NamespacedName;
import io.drover.policy.conformance.ConformanceModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A calculator keeps what it rendered for pods whose policy did not change. Whatever it reuses, each calculation must
 * equal one made from nothing: these tests walk a cluster through changes of every kind and compare at each step.
 */
class PolicyCalculatorTest {

    private static final String NODE = "node-1";

    private static final NetworkPolicy X_FROM_Y = policy("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: from-y, namespace: x}
            spec:
              podSelector: {matchLabels: {pod: a}}
              ingress:
              - from: [{namespaceSelector: {matchLabels: {ns: y}}}]
                ports: [{port: 80, protocol: TCP}]
            """);
    private static final NetworkPolicy Y_DENY_EGRESS = policy("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny-egress, namespace: y}
            spec:
              podSelector: {}
              policyTypes: [Egress]
            """);
    private static final NetworkPolicy Z_FROM_B = policy("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: from-b, namespace: z}
            spec:
              podSelector: {matchExpressions: [{key: pod, operator: In, values: [b, c]}]}
              ingress:
              - from: [{namespaceSelector: {}, podSelector: {matchLabels: {pod: b}}}]
            """);

    /** Every pod of the model on this node, so that every namespace has pods here. */
    private static ConformanceModel model() {
        ConformanceModel m = ConformanceModel.synthetic();
        return new ConformanceModel(m.namespaces(), m.pods().stream()
                .map(p -> Pod.of(p.metadata(), p.spec().withNode(NODE)).withStatus(p.status()))
                .toList());
    }

    /** One state of the cluster as an agent's mirrors hand it out. */
    private record State(List<Namespace> namespaces, List<Pod> pods, List<NetworkPolicy> policies) {
        State(ConformanceModel m, NetworkPolicy... policies) {
            this(m.namespaces(), m.pods(), List.of(policies));
        }

        /** From nothing: fresh copies, so not even the policy engine's memory of the last pods is used. */
        PolicyRules fromNothing() {
            return PolicyCalculator.compute(NODE, new ArrayList<>(namespaces), new ArrayList<>(pods),
                    new ArrayList<>(policies), Firewall.NONE);
        }
    }

    @Test
    void everyCalculationEqualsOneFromNothingThroughChangesOfEveryKind() {
        ConformanceModel m = model();
        NetworkPolicy xFromYOnPort81 = policy("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: from-y, namespace: x}
                spec:
                  podSelector: {matchLabels: {pod: a}}
                  ingress:
                  - from: [{namespaceSelector: {matchLabels: {ns: y}}}]
                    ports: [{port: 81, protocol: TCP}]
                """);
        ConformanceModel zLabelled = m.withNamespaceLabels("z", Map.of("ns", "y"));
        ConformanceModel xcRelabelled = zLabelled.withPodLabels(new NamespacedName("x", "c"), Map.of("pod", "a"));
        ConformanceModel withoutYb = new ConformanceModel(xcRelabelled.namespaces(), xcRelabelled.pods().stream()
                .filter(p -> !NamespacedName.of(p).equals(new NamespacedName("y", "b"))).toList());
        List<State> states = List.of(
                new State(m, X_FROM_Y),
                new State(m, X_FROM_Y, Y_DENY_EGRESS),
                new State(m, X_FROM_Y, Y_DENY_EGRESS, Z_FROM_B),
                new State(m, xFromYOnPort81, Y_DENY_EGRESS, Z_FROM_B), // a policy's port changes
                new State(zLabelled, xFromYOnPort81, Y_DENY_EGRESS, Z_FROM_B), // z now counts as a peer of x/a
                new State(xcRelabelled, xFromYOnPort81, Y_DENY_EGRESS, Z_FROM_B), // x/c is selected too
                new State(withoutYb, xFromYOnPort81, Y_DENY_EGRESS, Z_FROM_B), // a peer pod and a selected pod go
                new State(withoutYb, xFromYOnPort81, Z_FROM_B), // y is not isolated any more
                new State(withoutYb),
                new State(m, X_FROM_Y, Z_FROM_B));

        PolicyCalculator calculator = new PolicyCalculator();
        for (State state : states) {
            PolicyRules calculated = calculator.calculate(NODE, state.namespaces(), state.pods(), state.policies(),
                    Firewall.NONE);
            assertThat(calculated).as("after %s", state.policies()).isEqualTo(state.fromNothing());
        }
    }

    @Test
    void aPolicyChangeRendersOnlyThePodsOfItsNamespaceAgain() {
        ConformanceModel m = model();
        NetworkPolicy zFromC = policy("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: from-b, namespace: z}
                spec:
                  podSelector: {matchExpressions: [{key: pod, operator: In, values: [b, c]}]}
                  ingress:
                  - from: [{namespaceSelector: {}, podSelector: {matchLabels: {pod: c}}}]
                """);
        PolicyCalculator calculator = new PolicyCalculator();
        Map<String, PodChain> before = chains(calculator.calculate(NODE, m.namespaces(), m.pods(),
                List.of(X_FROM_Y, Y_DENY_EGRESS, Z_FROM_B), Firewall.NONE));
        Map<String, PodChain> after = chains(calculator.calculate(NODE, m.namespaces(), m.pods(),
                List.of(X_FROM_Y, Y_DENY_EGRESS, zFromC), Firewall.NONE));

        assertThat(after.keySet()).isEqualTo(before.keySet());
        after.forEach((name, chain) -> {
            if (name.startsWith("pod.z.")) {
                assertThat(chain).as(name).isNotSameAs(before.get(name));
            } else {
                assertThat(chain).as(name).isSameAs(before.get(name));
            }
        });
    }

    private static Map<String, PodChain> chains(PolicyRules rules) {
        return rules.chains().stream().collect(Collectors.toMap(PodChain::name, Function.identity()));
    }

    private static NetworkPolicy policy(String yaml) {
        return (NetworkPolicy) ManifestReader.readSingle("test.yaml", yaml).resource();
    }
}
