package io.drover.policy.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.net.IpAddresses;
import io.drover.model.pod.PodPort;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.tenant.Namespace;
import io.drover.policy.NamespacedName;
import io.drover.policy.conformance.CaseAction.AddNamespaceLabels;
import io.drover.policy.conformance.CaseAction.AddPodLabels;
import io.drover.policy.conformance.CaseAction.CreatePolicy;
import io.drover.policy.conformance.CaseAction.UpdatePolicy;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConformanceModelTest {

    private static final NamespacedName Y_B = NamespacedName.parse("y/b");

    @Test
    void theModelHasNinePodsLabelledAndServingSixPortsEach() {
        ConformanceModel model = ConformanceModel.synthetic();
        assertThat(ConformanceModel.podNames()).extracting(NamespacedName::toString)
                .containsExactly("x/a", "x/b", "x/c", "y/a", "y/b", "y/c", "z/a", "z/b", "z/c");
        assertThat(model.namespaces()).extracting(Namespace::name).containsExactly("x", "y", "z");
        assertThat(model.namespaces().get(1).metadata().labels())
                .isEqualTo(Map.of("ns", "y", Namespace.NAME_LABEL, "y"));
        assertThat(model.pod(Y_B).metadata().labels()).isEqualTo(Map.of("pod", "b"));
        assertThat(model.pod(Y_B).spec().ports()).extracting(PodPort::name).containsExactly(
                "serve-80-tcp", "serve-80-udp", "serve-80-sctp", "serve-81-tcp", "serve-81-udp", "serve-81-sctp");
        assertThat(model.pod(Y_B).spec().ports().get(4)).isEqualTo(new PodPort("serve-81-udp", 81, "UDP", null, null));
        assertThat(IpAddresses.format(model.address(Y_B))).isEqualTo("10.0.2.2");
    }

    @Test
    void addressesComeFromTheLabAndMustCoverEveryPod() {
        Map<NamespacedName, InetAddress> addresses = new HashMap<>();
        ConformanceModel.podNames().forEach(p -> addresses.put(p, IpAddresses.parse("fd00::" + (addresses.size() + 1))));
        assertThat(IpAddresses.format(ConformanceModel.withAddresses(addresses).address(Y_B))).isEqualTo("fd00::5");
        addresses.remove(Y_B);
        assertThatThrownBy(() -> ConformanceModel.withAddresses(addresses)).hasMessageContaining("no address for pod y/b");
    }

    @Test
    void placeholdersBecomeTheModelsAddresses() {
        Map<NamespacedName, InetAddress> addresses = new HashMap<>();
        ConformanceModel.podNames().forEach(p -> addresses.put(p, IpAddresses.parse("192.168.7." + (addresses.size() + 1))));
        ConformanceModel model = ConformanceModel.withAddresses(addresses);
        assertThat(Placeholders.substitute("cidr: {{podIP:y/b}}/32, except: [{{ cidr4:x/a }}]", model))
                .isEqualTo("cidr: 192.168.7.5/32, except: [192.0.0.0/4]");
        assertThatThrownBy(() -> Placeholders.substitute("{{podIp:y/b}}", model)).hasMessageContaining("unknown placeholder {{podIp:y/b}}");
        assertThatThrownBy(() -> Placeholders.substitute("{{podIP:q/b}}", model)).hasMessageContaining("no pod q/b");
    }

    @Test
    void actionsChangeTheStateStepByStep() {
        PolicyTemplate template = new PolicyTemplate("t", """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: p, namespace: x}
                spec: {podSelector: {matchLabels: {app: web}}}
                """);
        CaseState state = CaseState.initial(ConformanceModel.synthetic())
                .apply(new CreatePolicy(template))
                .apply(new AddPodLabels(NamespacedName.parse("x/a"), Map.of("app", "web")))
                .apply(new AddNamespaceLabels("z", Map.of("ns", "zz")));
        assertThat(state.policies()).containsOnlyKeys(NamespacedName.parse("x/p"));
        assertThat(state.model().pod(NamespacedName.parse("x/a")).metadata().labels()).isEqualTo(Map.of("pod", "a", "app", "web"));
        assertThat(state.model().namespaces().get(2).metadata().labels()).containsEntry("ns", "zz");
        assertThat(state.snapshot().evaluate(io.drover.policy.Endpoint.parse("y/a"), io.drover.policy.Endpoint.parse("x/a"), "TCP", 80)
                .allowed()).isFalse();
        assertThat(state.apply(new UpdatePolicy(template)).policies()).hasSize(1);
        assertThatThrownBy(() -> state.apply(new CreatePolicy(template))).isInstanceOf(ConformanceFormatException.class)
                .hasMessageContaining("exists already");
        assertThatThrownBy(() -> CaseState.initial(ConformanceModel.synthetic()).apply(new UpdatePolicy(template)))
                .hasMessageContaining("no policy x/p to update");
        assertThatThrownBy(() -> state.apply(new AddNamespaceLabels("w", Map.of("a", "b")))).hasMessageContaining("no namespace w");
    }

    @Test
    void aPolicyTemplateMustHoldOneNetworkPolicy() {
        ConformanceModel model = ConformanceModel.synthetic();
        assertThatThrownBy(() -> new PolicyTemplate("c.yaml steps[0]", "apiVersion: drover.io/v1\nkind: Namespace\nmetadata: {name: q}\n").render(model))
                .hasMessageContaining("expected a NetworkPolicy, found a Namespace");
        assertThatThrownBy(() -> new PolicyTemplate("c.yaml steps[0]", "kind: NetworkPolicy\napiVersion: networking.k8s.io/v1\nmetadata: {name: q}\nspec: {podSelectr: {}}\n").render(model))
                .isInstanceOf(ConformanceFormatException.class)
                .hasMessageContaining("podSelectr");
        NetworkPolicy policy = new PolicyTemplate("t", """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: p, namespace: x}
                spec:
                  podSelector: {}
                  egress: [{to: [{ipBlock: {cidr: "{{podIP:y/b}}/32"}}]}]
                """).render(model);
        assertThat(policy.spec().egressRules().getFirst().peers().getFirst().ipBlock().cidr()).isEqualTo("10.0.2.2/32");
    }

    @Test
    void aCaseWithPlaceholdersAndLabelActionsRunsAgainstTheEngine() {
        String policyHeader = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: %s, namespace: %s}
                spec:
                """;
        String allDots = """
                from\\to x/a x/b x/c y/a y/b y/c z/a z/b z/c
                x/a       -   .   .   .   .   .   .   .   .
                x/b       .   -   .   .   .   .   .   .   .
                x/c       .   .   -   .   .   .   .   .   .
                y/a       .   .   .   -   .   .   .   .   .
                y/b       .   .   .   .   -   .   .   .   .
                y/c       .   .   .   .   .   -   .   .   .
                z/a       .   .   .   .   .   .   -   .   .
                z/b       .   .   .   .   .   .   .   -   .
                z/c       .   .   .   .   .   .   .   .   -
                """;
        String text = """
                id: T02
                steps:
                - step: 1
                  actions:
                  - createPolicy: |
                %s
                          podSelector: {matchLabels: {pod: a}}
                          policyTypes: [Egress]
                          egress: [{to: [{ipBlock: {cidr: "{{cidr4:y/b}}", except: ["{{podIP:y/b}}/32"]}}]}]
                  probes:
                  - protocol: TCP
                    port: 80
                    matrix: |
                %s
                - step: 2
                  actions:
                  - addPodLabels: {pod: y/b, labels: {role: db}}
                  - createPolicy: |
                %s
                          podSelector: {matchLabels: {role: db}}
                          ingress: [{from: [{podSelector: {}}]}]
                  probes:
                  - protocol: UDP
                    port: 81
                    matrix: |
                %s
                - step: 3
                  actions:
                  - addNamespaceLabels: {namespace: z, labels: {trusted: "yes"}}
                  - updatePolicy: |
                %s
                          podSelector: {matchLabels: {role: db}}
                          ingress: [{from: [{podSelector: {}}, {namespaceSelector: {matchLabels: {trusted: "yes"}}}]}]
                  probes:
                  - protocol: SCTP
                    port: 80
                    matrix: |
                %s
                - step: 4
                  actions:
                  - deleteAllPolicies: true
                  probes:
                  - protocol: TCP
                    port: 81
                    matrix: |
                %s
                """.formatted(
                policyHeader.formatted("egress", "x").indent(8).stripTrailing(),
                column(allDots, 4, List.of(0)).indent(6).stripTrailing(),
                policyHeader.formatted("db", "y").indent(8).stripTrailing(),
                column(allDots, 4, List.of(0, 1, 2, 6, 7, 8)).indent(6).stripTrailing(),
                policyHeader.formatted("db", "y").indent(8).stripTrailing(),
                column(allDots, 4, List.of(0, 1, 2)).indent(6).stripTrailing(),
                allDots.indent(6).stripTrailing());
        ConformanceCase c = ConformanceCaseReader.read("T02.yaml", text);
        List<ProbeOutcome> outcomes = ModelConformance.run(c, ConformanceModel.synthetic());
        assertThat(outcomes).hasSize(4);
        assertThat(outcomes).allSatisfy(o -> assertThat(o.passed()).as(o.describe()).isTrue());

        ConformanceModel blockedEverywhere = ConformanceModel.synthetic();
        ProbeOutcome wrong = ProbeOutcome.of(1, c.steps().getFirst().probes().getFirst(), ModelConformance.observe(
                blockedEverywhere.snapshot(List.of()), c.steps().getFirst().probes().getFirst()));
        assertThat(wrong.passed()).isFalse();
        assertThat(wrong.describe()).startsWith("step 1 80/TCP: 1 cell(s) differ: x/a -> y/b: expected X, observed .\nexpected:\n");
    }

    /** The matrix with the cells of one server column blocked for the given client rows. */
    private static String column(String matrix, int server, List<Integer> blockedClients) {
        List<String> lines = matrix.lines().toList();
        StringBuilder result = new StringBuilder(lines.getFirst()).append('\n');
        for (int row = 0; row < lines.size() - 1; row++) {
            String line = lines.get(row + 1);
            if (blockedClients.contains(row)) {
                int at = "from\\to".length() + 4 * (server + 1) - 1;
                line = line.substring(0, at) + "X" + line.substring(at + 1);
            }
            result.append(line).append('\n');
        }
        return result.toString();
    }
}
