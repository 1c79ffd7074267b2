package io.drover.policy.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.policy.NamespacedName;
import io.drover.policy.conformance.CaseAction.AddNamespaceLabels;
import io.drover.policy.conformance.CaseAction.AddPodLabels;
import io.drover.policy.conformance.CaseAction.CreatePolicy;
import io.drover.policy.conformance.CaseAction.DeleteAllPolicies;
import io.drover.policy.conformance.CaseAction.UpdatePolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConformanceCaseReaderTest {

    private static final String POLICY = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: p, namespace: x}
            spec: {podSelector: {}}
            """;

    private static final String CASE = """
            id: T01
            name: every-action
            source: {repo: somewhere, commit: abc}
            note: a note
            steps:
            - step: 1
              actions:
              - createPolicy: |
            %s
              - addNamespaceLabels: {namespace: y, labels: {team: blue, tier: 1}}
              - addPodLabels: {pod: x/b, labels: {app: web}}
              probes:
              - protocol: tcp
                port: 80
                upstream: ignored
                matrix: |
                  from\\to x/a x/b
                  x/a       -   X
                  x/b       X   -
            - actions:
              - updatePolicy: |
            %s
              - deleteAllPolicies: true
              probes:
              - {protocol: UDP, port: 81, matrix: "from\\\\to x/a\\nx/a -\\n"}
            """.formatted(POLICY.indent(6).stripTrailing(), POLICY.indent(6).stripTrailing());

    @Test
    void readsEveryPartOfACase() {
        ConformanceCase c = ConformanceCaseReader.read("T01.yaml", CASE);
        assertThat(c.title()).isEqualTo("T01 every-action");
        assertThat(c.note()).isEqualTo("a note");
        assertThat(c.steps()).hasSize(2);
        CaseStep first = c.steps().getFirst();
        assertThat(first.number()).isEqualTo(1);
        assertThat(first.actions()).hasSize(3);
        assertThat(first.actions().get(0)).isInstanceOfSatisfying(CreatePolicy.class, create -> {
            assertThat(create.policy().text()).isEqualTo(POLICY);
            assertThat(create.policy().sourceName()).isEqualTo("T01.yaml steps[0].actions[0].createPolicy");
        });
        assertThat(first.actions().get(1)).isEqualTo(new AddNamespaceLabels("y", Map.of("team", "blue", "tier", "1")));
        assertThat(first.actions().get(2)).isEqualTo(new AddPodLabels(NamespacedName.parse("x/b"), Map.of("app", "web")));
        assertThat(first.probes()).singleElement().satisfies(probe -> {
            assertThat(probe.protocol()).isEqualTo("TCP");
            assertThat(probe.port()).isEqualTo(80);
            assertThat(probe.expected().at(NamespacedName.parse("x/a"), NamespacedName.parse("x/b")))
                    .isEqualTo(Reachability.BLOCKED);
        });
        CaseStep second = c.steps().get(1);
        assertThat(second.number()).as("numbered by position when 'step' is omitted").isEqualTo(2);
        assertThat(second.actions().get(0)).isInstanceOf(UpdatePolicy.class);
        assertThat(second.actions().get(1)).isInstanceOf(DeleteAllPolicies.class);
        assertThat(second.probes().getFirst().expected().clients()).containsExactly(NamespacedName.parse("x/a"));
    }

    @Test
    void refusesWhatTheFormatDoesNotHave() {
        assertThatThrownBy(() -> ConformanceCaseReader.read("c.yaml", "id: A\nsteps: []\nstep: []\n"))
                .isInstanceOf(ConformanceFormatException.class)
                .hasMessage("c.yaml: step: unknown field; known fields here are id, name, note, source, steps");
        assertThatThrownBy(() -> ConformanceCaseReader.read("c.yaml", "id: A\nsteps:\n- actions: [{createPolicies: x}]\n  probes: []\n"))
                .hasMessageStartingWith("c.yaml: steps[0].actions[0].createPolicies: unknown field");
        assertThatThrownBy(() -> ConformanceCaseReader.read("c.yaml", "id: A\nsteps:\n- actions: [{deleteAllPolicies: true, createPolicy: x}]\n  probes: []\n"))
                .hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> ConformanceCaseReader.read("c.yaml", "id: A\nsteps:\n- actions: [{deleteAllPolicies: false}]\n  probes: []\n"))
                .hasMessageContaining("deleteAllPolicies: true");
        assertThatThrownBy(() -> ConformanceCaseReader.read("c.yaml", "id: A\nsteps:\n- actions: []\n"))
                .hasMessage("c.yaml: steps[0].probes: expected a list ('- ' entries)");
        assertThatThrownBy(() -> ConformanceCaseReader.read("c.yaml", "id: A\nsteps:\n- probes: [{protocol: ICMP, port: 1, matrix: x}]\n"))
                .hasMessageContaining("steps[0].probes[0].protocol: 'ICMP' is not a protocol");
        assertThatThrownBy(() -> ConformanceCaseReader.read("c.yaml", "id: A\nsteps:\n- probes: [{protocol: TCP, port: 80, matrix: \"from\\\\to x/a\\nx/a - X\\n\"}]\n"))
                .hasMessageContaining("steps[0].probes[0].matrix: matrix row 'x/a - X' has 2 cells for 1 servers");
        assertThatThrownBy(() -> ConformanceCaseReader.read("c.yaml", "id: A\nsteps:\n- actions: [{addPodLabels: {pod: xb, labels: {a: b}}}]\n  probes: []\n"))
                .hasMessageContaining("steps[0].actions[0].addPodLabels.pod");
        assertThatThrownBy(() -> ConformanceCaseReader.read("c.yaml", "steps: []\n")).hasMessage("c.yaml: id: is required and must be text");
        assertThatThrownBy(() -> ConformanceCaseReader.read("c.yaml", "id: [unclosed\n")).hasMessageStartingWith("c.yaml: not valid YAML");
    }
}
