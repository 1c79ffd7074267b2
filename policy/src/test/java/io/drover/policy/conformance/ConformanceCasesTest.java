package io.drover.policy.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.policy.Direction;
import io.drover.policy.NamespacedName;
import io.drover.policy.PodPolicy;
import io.drover.policy.PolicySnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every NetworkPolicy conformance case of the shared folder, run against the engine on the model with made-up
 * addresses: each probe cell must be what the case expects. A second pass checks that the compiled per-pod form
 * agrees with the engine cell by cell, since the data plane will enforce that form.
 */
class ConformanceCasesTest {

    private static final Path CASES = Path.of("../../shared/conformance/netpol");

    private static List<Path> caseFiles() throws IOException {
        assumeTrue(Files.isDirectory(CASES), "the conformance cases are not beside the repository");
        try (Stream<Path> files = Files.list(CASES)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesTheEngine() throws IOException {
        List<Path> files = caseFiles();
        assertThat(files).as("case files in " + CASES).isNotEmpty();
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            ConformanceCase c = ConformanceCaseReader.read(file);
            List<ProbeOutcome> outcomes = ModelConformance.run(c, ConformanceModel.synthetic());
            assertThat(outcomes).as(c.title() + " has probes").isNotEmpty();
            String failures = outcomes.stream().filter(o -> !o.passed()).map(ProbeOutcome::describe)
                    .collect(Collectors.joining("\n"));
            assertThat(failures).as(c.title()).isEmpty();
        }));
    }

    @TestFactory
    Stream<DynamicTest> compiledPoliciesAgreeWithTheEngine() throws IOException {
        return caseFiles().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            ConformanceCase c = ConformanceCaseReader.read(file);
            CaseState state = CaseState.initial(ConformanceModel.synthetic());
            List<String> disagreements = new ArrayList<>();
            for (CaseStep step : c.steps()) {
                for (CaseAction action : step.actions()) {
                    state = state.apply(action);
                }
                PolicySnapshot snapshot = state.snapshot();
                Map<NamespacedName, PodPolicy> compiled = snapshot.pods().stream()
                        .collect(Collectors.toMap(Function.identity(), snapshot::compile));
                for (Probe probe : step.probes()) {
                    ReachabilityMatrix engine = ModelConformance.observe(snapshot, probe);
                    for (NamespacedName client : engine.clients()) {
                        for (NamespacedName server : engine.servers()) {
                            if (client.equals(server)) {
                                continue;
                            }
                            InetAddress clientIp = state.model().address(client);
                            InetAddress serverIp = state.model().address(server);
                            boolean allowed = compiled.get(client).direction(Direction.EGRESS)
                                            .allows(serverIp, probe.protocol(), probe.port())
                                    && compiled.get(server).direction(Direction.INGRESS)
                                            .allows(clientIp, probe.protocol(), probe.port());
                            if (Reachability.of(allowed) != engine.at(client, server)) {
                                disagreements.add("step " + step.number() + " " + probe + " " + client + " -> " + server
                                        + ": engine " + engine.at(client, server).symbol() + ", compiled " + allowed);
                            }
                        }
                    }
                }
            }
            assertThat(disagreements).as(c.title()).isEmpty();
        }));
    }
}
