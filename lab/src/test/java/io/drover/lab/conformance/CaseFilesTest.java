package io.drover.lab.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.policy.conformance.ConformanceCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Case files are read and checked before any lab starts, and every problem names its file and line. */
class CaseFilesTest {

    private static final Path SHARED = Path.of("../../shared/conformance/netpol");

    /** Line numbers in the messages below count from 1 here. */
    private static final String GOOD = """
            id: T01
            name: deny-into-x
            steps:
            - step: 1
              actions:
              - createPolicy: |
                  apiVersion: networking.k8s.io/v1
                  kind: NetworkPolicy
                  metadata: {name: deny, namespace: x}
                  spec: {podSelector: {}, policyTypes: [Ingress]}
              probes:
              - protocol: TCP
                port: 80
                matrix: |
                  from\\to x/a y/a
                  x/a       -   .
                  y/a       X   -
            """;

    @TempDir
    Path dir;

    @Test
    void readsEverySharedCase() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(SHARED), "the shared conformance cases are not beside the repository");
        List<ConformanceCase> cases = CaseFiles.readAll(List.of(SHARED));
        assertThat(cases).hasSizeGreaterThanOrEqualTo(21);
        assertThat(cases.getFirst().id()).isEqualTo("C01");
    }

    @Test
    void readsAGoodCaseAndADirectoryOfThem() throws Exception {
        Files.writeString(dir.resolve("b.yaml"), GOOD.replace("T01", "T02"));
        Files.writeString(dir.resolve("a.yaml"), GOOD);
        Files.writeString(dir.resolve("README.md"), "not a case");
        assertThat(CaseFiles.readAll(List.of(dir))).extracting(ConformanceCase::id).containsExactly("T01", "T02");
    }

    @Test
    void anUnknownFieldIsReportedAtItsLine() {
        assertThatThrownBy(() -> CaseFiles.read("T.yaml", GOOD.replace("    port: 80", "    prot: 80")))
                .isInstanceOf(CaseFileException.class)
                .hasMessageStartingWith("T.yaml:13: steps[0].probes[0].prot: unknown field; known fields here are");
    }

    @Test
    void aWrongValueIsReportedAtItsLineWithWhatToWrite() {
        assertThatThrownBy(() -> CaseFiles.read("T.yaml", GOOD.replace("protocol: TCP", "protocol: ICMP")))
                .hasMessage("T.yaml:12: steps[0].probes[0].protocol: 'ICMP' is not a protocol; use TCP, UDP or SCTP");
    }

    @Test
    void aBrokenMatrixIsReportedAtItsLine() {
        assertThatThrownBy(() -> CaseFiles.read("T.yaml", GOOD.replace("y/a       X   -", "y/a       X   ?")))
                .hasMessageStartingWith("T.yaml:14: steps[0].probes[0].matrix: '?' is not a reachability");
        assertThatThrownBy(() -> CaseFiles.read("T.yaml", GOOD.replace("x/a y/a", "x/a w/a").replace("y/a       X", "w/a       X")))
                .hasMessageStartingWith("T.yaml:14: steps[0].probes[0].matrix: names [w/a], which the model does not have");
    }

    @Test
    void yamlThatDoesNotParseIsReportedAtItsLine() {
        assertThatThrownBy(() -> CaseFiles.read("T.yaml", GOOD.replace("  probes:", "  probes: [")))
                .hasMessageStartingWith("T.yaml:1").hasMessageContaining("not valid YAML");
    }

    @Test
    void aPolicyCreatedTwiceIsReportedAtTheSecondCreate() {
        String twice = GOOD.replace("  probes:", String.join("\n",
                "  - createPolicy: |",
                "      apiVersion: networking.k8s.io/v1",
                "      kind: NetworkPolicy",
                "      metadata: {name: deny, namespace: x}",
                "      spec: {podSelector: {}}",
                "  probes:"));
        assertThatThrownBy(() -> CaseFiles.read("T.yaml", twice))
                .hasMessage("T.yaml:11: steps[0].actions[1].createPolicy: policy x/deny exists already; use"
                        + " updatePolicy to change it");
    }

    @Test
    void aProblemInsideAPolicyIsReportedAtItsLineInTheFile() {
        assertThatThrownBy(() -> CaseFiles.read("T.yaml", GOOD.replace("spec: {podSelector: {}", "spec: {podSelectr: {}")))
                .isInstanceOf(CaseFileException.class)
                .hasMessageStartingWith("T.yaml:6: steps[0].actions[0].createPolicy: ")
                .hasMessageContaining("line 10");
    }

    @Test
    void aMissingFileOrEmptyDirectorySaysWhatToGive() {
        assertThatThrownBy(() -> CaseFiles.readAll(List.of(dir.resolve("nope.yaml"))))
                .hasMessage(dir.resolve("nope.yaml") + ": no such file; give the path of a case file or of a directory"
                        + " of them (the format: conformance/netpol/README.md)");
        assertThatThrownBy(() -> CaseFiles.readAll(List.of(dir))).hasMessageContaining("a directory without case files");
    }

    @Test
    void twoFilesWithOneIdAreRefused() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), GOOD);
        Files.writeString(dir.resolve("b.yaml"), GOOD);
        assertThatThrownBy(() -> CaseFiles.readAll(List.of(dir.resolve("a.yaml"), dir.resolve("b.yaml"))))
                .hasMessageContaining("case id T01 is used by an earlier file too");
    }
}
