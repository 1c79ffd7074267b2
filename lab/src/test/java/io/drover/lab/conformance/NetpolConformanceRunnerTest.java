package io.drover.lab.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.api.ApiException;
import io.drover.api.ApiException.Reason;
import io.drover.model.net.IpAddresses;
import io.drover.model.policy.NetworkPolicy;
import io.drover.policy.NamespacedName;
import io.drover.policy.conformance.ConformanceCase;
import io.drover.policy.conformance.ConformanceCaseReader;
import io.drover.policy.conformance.ConformanceModel;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The case/step flow of the lab's runner, with the cluster and the data plane faked in memory (and fake time). */
class NetpolConformanceRunnerTest {

    static final String ALL = """
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

    static final String X_DENIED = """
            from\\to x/a x/b x/c y/a y/b y/c z/a z/b z/c
            x/a       -   X   X   .   .   .   .   .   .
            x/b       X   -   X   .   .   .   .   .   .
            x/c       X   X   -   .   .   .   .   .   .
            y/a       X   X   X   -   .   .   .   .   .
            y/b       X   X   X   .   -   .   .   .   .
            y/c       X   X   X   .   .   -   .   .   .
            z/a       X   X   X   .   .   .   -   .   .
            z/b       X   X   X   .   .   .   .   -   .
            z/c       X   X   X   .   .   .   .   .   -
            """;

    /** NP20's shape: allow all into x, then the same policy updated to deny all ingress into x. */
    static final String UPDATE_CASE = updateCase("[{}]", ALL, "[]", X_DENIED);

    static String updateCase(String firstIngress, String firstMatrix, String secondIngress, String secondMatrix) {
        return """
                id: T20
                name: update-allow-all-to-deny-all
                steps:
                - step: 1
                  actions:
                  - createPolicy: |
                      apiVersion: networking.k8s.io/v1
                      kind: NetworkPolicy
                      metadata: {name: p, namespace: x}
                      spec: {podSelector: {}, policyTypes: [Ingress], ingress: %s}
                  probes:
                  - protocol: TCP
                    port: 81
                    matrix: |
                %s
                - step: 2
                  actions:
                  - updatePolicy: |
                      apiVersion: networking.k8s.io/v1
                      kind: NetworkPolicy
                      metadata: {name: p, namespace: x}
                      spec: {podSelector: {}, policyTypes: [Ingress], ingress: %s}
                  probes:
                  - protocol: TCP
                    port: 81
                    matrix: |
                %s
                """.formatted(firstIngress, firstMatrix.indent(6).stripTrailing(), secondIngress,
                secondMatrix.indent(6).stripTrailing());
    }

    final FakeTicker ticker = new FakeTicker();
    final FakeLab lab = new FakeLab(ConformanceModel.synthetic(), ticker);
    final NetpolConformanceRunner.Settings settings = NetpolConformanceRunner.Settings.DEFAULTS;

    NetpolConformanceRunner runner() {
        return new NetpolConformanceRunner(lab, lab, ConformanceModel.synthetic(), settings, ticker);
    }

    static ConformanceCase read(String text) {
        return ConformanceCaseReader.read("T.yaml", text);
    }

    @Test
    void aCaseWhoseDataPlaneEnforcesAtOncePassesInOneRoundPerStep() {
        CaseResult result = runner().run(read(UPDATE_CASE));

        assertThat(result.passed()).isTrue();
        assertThat(result.error()).isEmpty();
        assertThat(result.steps()).extracting(StepResult::number).containsExactly(1, 2);
        assertThat(result.steps()).allSatisfy(s -> assertThat(s.rounds()).isEqualTo(1));
        assertThat(result.slowestSettled()).contains(Duration.ZERO);
        assertThat(lab.log).containsExactly("reset", "create x/p", "replace x/p");
        assertThat(ConformanceReport.lines(result, false)).singleElement().asString()
                .startsWith("PASS T20 update-allow-all-to-deny-all (2 steps, ");
    }

    @Test
    void probesAreRepeatedUntilEnforcementCatchesUpAndTheWaitIsReported() {
        lab.lag = 3;
        CaseResult result = runner().run(read(UPDATE_CASE));

        assertThat(result.passed()).isTrue();
        // Step 1 expects what the lab shows before the policy is enforced (allow-all is all-connected): one round.
        assertThat(result.steps().get(0).rounds()).isEqualTo(1);
        // Step 2: three rounds still show the old state, the fourth matches: three rounds of 5 ms and pauses of 100 ms.
        StepResult second = result.steps().get(1);
        assertThat(second.rounds()).isEqualTo(4);
        assertThat(second.settled()).contains(Duration.ofMillis(3 * (5 + 100)));
        assertThat(result.slowestSettled()).contains(Duration.ofMillis(315));
        assertThat(ConformanceReport.lines(result, false).getFirst()).endsWith(", settled 0.32 s)");
        assertThat(ConformanceReport.lines(result, true)).containsSubsequence(
                "  step 1: as expected 0.00 s after its last action (1 round of probes)",
                "  step 2: as expected 0.32 s after its last action (4 rounds of probes)",
                "    round at 0.00 s: 24 cells differed, e.g. x/a -> x/b TCP/81: expected blocked, got connected;"
                        + " x/a -> x/c TCP/81: expected blocked, got connected; x/b -> x/a TCP/81: expected blocked,"
                        + " got connected",
                "    round at 0.11 s: 24 cells differed, e.g. x/a -> x/b TCP/81: expected blocked, got connected;"
                        + " x/a -> x/c TCP/81: expected blocked, got connected; x/b -> x/a TCP/81: expected blocked,"
                        + " got connected");
        assertThat(second.earlier()).hasSize(3);
        assertThat(ConformanceReport.settledSummary(List.of(result)))
                .contains("settled after the last action: median 0.00 s, max 0.32 s (2 steps)");
    }

    @Test
    void aStepThatNeverMatchesFailsAfterItsLimitWithTheCellsThatDifferAndLaterStepsAreNotRun() {
        lab.enforces = false;
        CaseResult result = runner().run(read(updateCase("[]", X_DENIED, "[]", X_DENIED)));

        assertThat(result.passed()).isFalse();
        assertThat(result.error()).isEmpty();
        assertThat(result.steps()).singleElement().satisfies(step -> {
            assertThat(step.number()).isEqualTo(1);
            assertThat(step.settled()).isEmpty();
            assertThat(step.waited()).isGreaterThanOrEqualTo(settings.stepLimit());
            assertThat(step.failedChecks()).singleElement()
                    .satisfies(check -> assertThat(check.differences()).hasSize(24));
        });
        assertThat(lab.log).containsExactly("reset", "create x/p");
        List<String> lines = ConformanceReport.lines(result, false);
        assertThat(lines.getFirst()).startsWith("FAIL T20 update-allow-all-to-deny-all (2 steps, ");
        assertThat(lines.get(1)).matches("  step 1 TCP/81: 24 cells differ after 10\\.\\d s \\(\\d+ rounds of probes\\):");
        assertThat(lines.get(2)).isEqualTo("    x/a -> x/b TCP/81: expected blocked, got connected");
        assertThat(lines).contains("    ... and 12 more (--verbose lists all)",
                "  1 later step was not run (each builds on the state of the one before)");
        assertThat(ConformanceReport.lines(result, true)).contains("    y/c -> x/c TCP/81: expected blocked, got connected",
                "    expected:", "    observed:");
    }

    @Test
    void aCellThatDoesNotConnectSaysWhatHappened() {
        // The data plane denies into x although the case expects everything connected (an over-eager agent).
        lab.createPolicy(denyIngress("x"));
        lab.log.clear();
        NetpolConformanceRunner runner = new NetpolConformanceRunner(new NoReset(lab), lab, ConformanceModel.synthetic(),
                settings.withResetLimit(Duration.ofSeconds(1)), ticker);
        CaseResult result = runner.run(read("""
                id: T00
                steps:
                - probes:
                  - protocol: TCP
                    port: 80
                    matrix: |
                %s
                """.formatted(ALL.indent(6).stripTrailing())));

        assertThat(result.passed()).isFalse();
        List<String> lines = ConformanceReport.lines(result, false);
        assertThat(lines.getFirst()).startsWith("FAIL T00 (1 step, ");
        assertThat(lines.get(1)).startsWith("  after the reset (no policies, original labels), not every pod reaches every other TCP/80: 24 cells differ");
        assertThat(lines.get(2)).isEqualTo("    x/a -> x/b TCP/80: expected connected, got blocked (timed out: no answer within 500 ms)");
        assertThat(lines).contains("  the case's steps were not run");
    }

    @Test
    void placeholdersAreFilledWithTheLabsAddresses() {
        Map<NamespacedName, InetAddress> addresses = new HashMap<>();
        int i = 10;
        for (NamespacedName pod : ConformanceModel.podNames()) {
            addresses.put(pod, IpAddresses.parse("10.240.1." + i++));
        }
        ConformanceModel labModel = ConformanceModel.withAddresses(addresses);
        FakeLab labWithAddresses = new FakeLab(labModel, ticker);
        NetpolConformanceRunner runner = new NetpolConformanceRunner(labWithAddresses, labWithAddresses, labModel,
                settings, ticker);
        CaseResult result = runner.run(read("""
                id: T30
                steps:
                - actions:
                  - createPolicy: |
                      apiVersion: networking.k8s.io/v1
                      kind: NetworkPolicy
                      metadata: {name: ip, namespace: x}
                      spec:
                        podSelector: {matchLabels: {pod: a}}
                        policyTypes: [Ingress]
                        ingress:
                        - from:
                          - ipBlock: {cidr: "{{podIP:y/b}}/32"}
                          - ipBlock: {cidr: "{{cidr4:x/b}}", except: ["{{podIP:x/b}}/32"]}
                  probes:
                  - protocol: TCP
                    port: 80
                    matrix: |
                      from\\to x/a y/b
                      x/a       -   .
                      y/b       .   -
                """));

        assertThat(result.passed()).as(String.join("\n", ConformanceReport.lines(result, true))).isTrue();
        NetworkPolicy policy = labWithAddresses.policies.get(NamespacedName.parse("x/ip"));
        String yaml = io.drover.model.codec.ResourceCodec.toYaml(policy);
        assertThat(yaml).contains("10.240.1.14/32").contains("0.0.0.0/4").contains("10.240.1.11/32");
    }

    @Test
    void labelActionsGoThroughTheClusterAndTheResetComesBeforeEveryCase() {
        ConformanceCase labels = read("""
                id: T40
                steps:
                - actions:
                  - addNamespaceLabels: {namespace: y, labels: {team: blue}}
                  - addPodLabels: {pod: x/b, labels: {role: db}}
                  - deleteAllPolicies: true
                  probes:
                  - protocol: UDP
                    port: 81
                    matrix: |
                %s
                """.formatted(ALL.indent(6).stripTrailing()));
        NetpolConformanceRunner runner = runner();
        assertThat(runner.run(labels).passed()).isTrue();
        assertThat(runner.run(read(UPDATE_CASE)).passed()).isTrue();

        assertThat(lab.log).containsExactly("reset", "label namespace y {team=blue}", "label pod x/b {role=db}",
                "delete all", "reset", "create x/p", "replace x/p");
    }

    @Test
    void aRefusedActionFailsTheCaseNamingTheStepAndTheAction() {
        lab.failNextWrite = new ApiException(Reason.INVALID, "NetworkPolicy \"p\" is invalid",
                List.of(new ApiException.Cause("spec.podSelector", "is required")));
        CaseResult result = runner().run(read(UPDATE_CASE));

        assertThat(result.passed()).isFalse();
        assertThat(result.error()).contains("step 1, action 1 (createPolicy x/p): the server refused: NetworkPolicy \"p\""
                + " is invalid (spec.podSelector: is required)");
        assertThat(ConformanceReport.lines(result, false)).contains("  error: " + result.error().orElseThrow());
    }

    @Test
    void aProbeThatCannotRunIsSkippedAndSaidSo() {
        lab.unprobeable.put("SCTP", "SCTP is unavailable: the kernel refused an SCTP socket");
        CaseResult result = runner().run(read("""
                id: T50
                steps:
                - probes:
                  - protocol: SCTP
                    port: 80
                    matrix: |
                %s
                  - protocol: TCP
                    port: 80
                    matrix: |
                %s
                """.formatted(X_DENIED.indent(6).stripTrailing(), ALL.indent(6).stripTrailing())));

        assertThat(result.passed()).isTrue();
        assertThat(result.skippedChecks()).hasSize(1);
        assertThat(ConformanceReport.lines(result, false)).contains(
                "  note: step 1 SCTP/80 not probed: SCTP is unavailable: the kernel refused an SCTP socket");
        assertThat(ConformanceReport.summary(List.of(result), Duration.ofSeconds(2))).isEqualTo(
                "1 case: 1 passed, 0 failed (2.0 s); 1 probe not run: SCTP is unavailable: the kernel refused an SCTP socket");
    }

    @Test
    void awaitAllConnectedChecksEveryProtocolAndPortAsked() {
        StepResult ready = runner().awaitAllConnected(new java.util.LinkedHashSet<>(List.of("TCP/80", "UDP/81")),
                Duration.ofSeconds(5));
        assertThat(ready.passed()).isTrue();
        assertThat(ready.checks()).extracting(c -> c.probe().toString()).containsExactly("80/TCP", "81/UDP");
    }

    private static NetworkPolicy denyIngress(String namespace) {
        return (NetworkPolicy) io.drover.model.codec.ManifestReader.readSingle("deny", """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny, namespace: %s}
                spec: {podSelector: {}, policyTypes: [Ingress]}
                """.formatted(namespace)).resource();
    }

    /** A cluster whose reset leaves what is there: to see the check after a reset fail. */
    private record NoReset(FakeLab lab) implements ConformanceCluster {
        @Override
        public void reset() {}

        @Override
        public void createPolicy(NetworkPolicy policy) {
            lab.createPolicy(policy);
        }

        @Override
        public void replacePolicy(NetworkPolicy policy) {
            lab.replacePolicy(policy);
        }

        @Override
        public void deleteAllPolicies() {
            lab.deleteAllPolicies();
        }

        @Override
        public void addNamespaceLabels(String namespace, Map<String, String> labels) {
            lab.addNamespaceLabels(namespace, labels);
        }

        @Override
        public void addPodLabels(NamespacedName pod, Map<String, String> labels) {
            lab.addPodLabels(pod, labels);
        }
    }
}
