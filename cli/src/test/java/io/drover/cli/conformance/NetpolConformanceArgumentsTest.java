package io.drover.cli.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.CliHarness;
import io.drover.lab.runtime.LabLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage mistakes and unreadable case files are reported before anything needs root or a lab. */
class NetpolConformanceArgumentsTest {

    @TempDir
    Path dir;

    private CliHarness.Result run(String... args) {
        return CliHarness.run(Map.of(LabLauncher.LAB_DIR_ENV, dir.resolve("labs").toString()), "", args);
    }

    @Test
    void conformanceAloneSaysWhichCasesThereAre() {
        CliHarness.Result r = run("conformance");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("error: say which cases to run: netpol");
        assertThat(run("--help").out()).contains("conformance");
    }

    @Test
    void filesAreRequired() {
        CliHarness.Result r = run("conformance", "netpol");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("Missing required parameter: 'FILE'")
                .contains("See 'drover conformance netpol --help' for usage.");
    }

    @Test
    void optionsThatCannotWorkAreRefused() throws Exception {
        Path file = caseFile();
        assertThat(run("conformance", "netpol", "--mode", "mesh", file.toString()).err()).contains("--mode mesh");
        assertThat(run("conformance", "netpol", "--nodes", "0", file.toString()).err())
                .contains("a lab has 1 to 250 nodes, not 0");
        assertThat(run("conformance", "netpol", "--lab", "mine", "--nodes", "3", file.toString()).err())
                .contains("--nodes and --mode shape the lab the run starts; with --lab mine the run uses that lab as it is");
        assertThat(run("conformance", "netpol", "--lab", "Bad_Name", file.toString()).err())
                .contains("lab name 'Bad_Name' is invalid");
        assertThat(run("conformance", "netpol", "--probe-timeout-ms", "0", file.toString()).err())
                .contains("--probe-timeout-ms must be at least 1");
    }

    @Test
    void aCaseFileThatCannotBeReadIsNamedWithItsLineBeforeAnyLabStarts() throws Exception {
        Path file = caseFile();
        Files.writeString(file, Files.readString(file).replace("protocol: TCP", "protocol: ICMP"));
        CliHarness.Result r = run("conformance", "netpol", file.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: " + file + ":12: steps[0].probes[0].protocol: 'ICMP' is not a protocol;"
                + " use TCP, UDP or SCTP\n");
        assertThat(run("conformance", "netpol", dir.resolve("missing.yaml").toString()).err())
                .contains("missing.yaml: no such file");
    }

    @Test
    void aGoodRunNeedsRootOrALabThatIsUp() throws Exception {
        Path file = caseFile();
        CliHarness.Result r = run("conformance", "netpol", "--lab", "nope", file.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        if (io.drover.cli.lab.LabE2ESupport.rootWithTools()) {
            assertThat(r.err()).contains("lab nope is not up");
        } else {
            assertThat(r.err()).contains("'drover conformance netpol' needs root");
        }
        Assumptions.assumeTrue(Files.isDirectory(dir), "temporary directory");
    }

    @Test
    void labNamesOfRunsAreValidAndTellTheirProcess() {
        String name = NetpolConformanceCommand.uniqueLabName();
        assertThat(io.drover.lab.runtime.LabNames.validate(name)).isNull();
        assertThat(name).startsWith("np-" + ProcessHandle.current().pid() + "-");
    }

    private Path caseFile() throws Exception {
        Path file = dir.resolve("T01.yaml");
        Files.writeString(file, """
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
                """);
        return file;
    }
}
