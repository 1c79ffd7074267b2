package io.drover.cli.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.CliHarness;
import io.drover.cli.lab.LabE2ESupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shared NetworkPolicy conformance case passes on a real 2-node lab, routed and VXLAN: the agents enforce what
 * the policies say, for pods on one node and across nodes. Root only, and only where the shared cases are beside
 * the repository. About 30 s per mode.
 */
class NetpolConformanceE2ETest {

    private static final Path SHARED = Path.of("../../shared/conformance/netpol");

    @TempDir
    Path labDir;

    ConformanceE2E e2e;

    @BeforeEach
    void onlyAsRootWithTheSharedCases() {
        Assumptions.assumeTrue(LabE2ESupport.rootWithTools(), "needs root with ip, nft and setsid: labs are namespaces");
        Assumptions.assumeTrue(Files.isDirectory(SHARED), "the shared conformance cases are not beside the repository ("
                + SHARED.toAbsolutePath().normalize() + ")");
        e2e = new ConformanceE2E(labDir);
    }

    @AfterEach
    void tearDown() {
        if (e2e != null) {
            e2e.close();
            assertThat(e2e.runNamespaces()).as("namespaces left by the run's lab").isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"routed", "vxlan"})
    void everySharedCasePassesOnATwoNodeLab(String mode) throws Exception {
        long cases;
        try (var files = Files.list(SHARED)) {
            cases = files.filter(f -> f.toString().endsWith(".yaml")).count();
        }
        List<String> args = new ArrayList<>(List.of("conformance", "netpol", "--nodes", "2", "--mode", mode,
                SHARED.toString()));

        CliHarness.Result run = e2e.drover(args.toArray(String[]::new));

        assertThat(run.out()).as(run.err()).contains(cases + " cases: " + cases + " passed, 0 failed");
        assertThat(run.exitCode()).isZero();
        assertThat(e2e.labsRecorded()).isEmpty();
    }
}
