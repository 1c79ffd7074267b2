package io.drover.cli.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.api.client.DroverClient;
import io.drover.api.client.ServerUrls;
import io.drover.cli.CliHarness;
import io.drover.cli.lab.LabE2ESupport;
import io.drover.lab.runtime.RunningLabs;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance runner end to end on real labs, with a case that holds whether or not the agents enforce
 * policies (N00: no policy, every pod reaches every other on TCP and UDP, also after label changes): in a lab of
 * its own, removed at the end, and in a lab that is up, left up without what the run made. Root only.
 */
class ConformanceRunnerE2ETest {

    @TempDir
    Path labDir;

    ConformanceE2E e2e;
    LabE2ESupport lab;

    @BeforeEach
    void onlyAsRoot() {
        Assumptions.assumeTrue(LabE2ESupport.rootWithTools(), "needs root with ip, nft and setsid: labs are namespaces");
        e2e = new ConformanceE2E(labDir);
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close();
            assertThat(lab.namespaces()).as("namespaces left by the test's lab").isEmpty();
        }
        if (e2e != null) {
            e2e.close();
            assertThat(e2e.runNamespaces()).as("namespaces left by the run's lab").isEmpty();
        }
    }

    @Test
    void aCaseWithoutPoliciesPassesInALabOfItsOwnWhichIsRemovedAfterwards() {
        Path noPolicies = ConformanceE2E.resource("N00-no-policies.yaml");

        CliHarness.Result run = e2e.drover("conformance", "netpol", noPolicies.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("9 pods in namespaces x, y, z on 2 nodes of lab np-")
                .containsPattern("PASS N00 no-policies-all-connected \\(2 steps, [0-9.]+ s, settled [0-9.]+ s\\)")
                .contains("1 case: 1 passed, 0 failed")
                .containsPattern("Lab np-\\d+-[0-9a-f]{4} removed\\.");
        assertThat(e2e.runNamespaces()).isEmpty();
        assertThat(e2e.labsRecorded()).isEmpty();
    }

    @Test
    void inALabThatIsUpTheRunLeavesTheLabAndRemovesWhatItMade() {
        lab = new LabE2ESupport(labDir);
        CliHarness.Result up = lab.drover("lab", "up", "--name", lab.lab(), "--nodes", "2");
        assertThat(up.exitCode()).as(up.err() + up.out()).isZero();
        Path noPolicies = ConformanceE2E.resource("N00-no-policies.yaml");

        CliHarness.Result run = lab.drover("conformance", "netpol", "--lab", lab.lab(), noPolicies.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("PASS N00").contains("Removed namespaces x, y, z (with their pods and policies)"
                + " from lab " + lab.lab() + ".");
        var state = RunningLabs.choose(lab.store(), lab.lab()).orElseThrow();
        try (DroverClient client = new DroverClient(ServerUrls.parse(state.serverUrl()))) {
            assertThat(client.list(ResourceKind.NAMESPACE, null, null).items()).extracting(Resource::name)
                    .doesNotContain("x", "y", "z");
            assertThat(client.list(ResourceKind.POD, null, null).items()).isEmpty();
            assertThat(client.find(ResourceKind.NETWORK, null, "netpol")).isEmpty();
        }
    }
}
