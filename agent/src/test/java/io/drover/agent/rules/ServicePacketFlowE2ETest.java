package io.drover.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.agent.rules.ServiceLab.Answered;
import io.drover.agent.rules.ServiceLab.Outcome;
import io.drover.agent.rules.ServiceLab.Refused;
import io.drover.agent.rules.ServiceLab.TimedOut;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * kube-proxy's packet-flow vectors ({@code conformance/proxy-packet-flows.tsv}) with real connections through one
 * node's table, in a {@link ServiceLab}. Each row becomes a test with the row's outcome: the endpoints allowed to
 * answer (each must, within a bounded number of connections, and no other), with or without the client's address
 * (masquerade); REJECT refused at once; DROP timing out; "" reaching the destination itself, unchanged. Rows are
 * grouped by the kube-proxy test whose services they assume ({@link ProxyFlowScenarios}); each group's services are
 * programmed from the previous group's by {@link NodeRules#updateScript}, the agent's incremental path.
 */
class ServicePacketFlowE2ETest {

    private static final Path VECTORS = Path.of("../../shared/conformance/proxy-packet-flows.tsv");
    /** Enough that an endpoint chosen at random with probability 1/2 is missed once in ten million runs. */
    private static final int MAX_TRIES = 24;

    private static ServiceLab lab;

    @BeforeAll
    static void buildLab() {
        assumeTrue(NetnsSandbox.available(), "needs root, ip and nft (kernel test)");
        assumeTrue(Files.isRegularFile(VECTORS), "the shared vectors are not at " + VECTORS.toAbsolutePath());
        lab = new ServiceLab();
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @TestFactory
    Stream<DynamicNode> everyVectorHasKubeProxysOutcome() throws IOException {
        Map<String, List<ProxyFlowVector>> byTest = new LinkedHashMap<>();
        for (ProxyFlowVector v : ProxyFlowVector.read(VECTORS)) {
            byTest.computeIfAbsent(v.test(), t -> new ArrayList<>()).add(v);
        }
        assertThat(byTest).as("vectors in %s", VECTORS).isNotEmpty();
        return byTest.entrySet().stream().map(group -> {
            List<DynamicNode> tests = new ArrayList<>();
            tests.add(DynamicTest.dynamicTest("program the services of " + group.getKey(), () -> program(group.getKey())));
            for (ProxyFlowVector v : group.getValue()) {
                tests.add(DynamicTest.dynamicTest(v.flow(), () -> check(v)));
            }
            return DynamicContainer.dynamicContainer(group.getKey(), tests);
        });
    }

    private static void program(String test) {
        List<ServiceRuleInput> services = ProxyFlowScenarios.BY_TEST.get(test);
        assertThat(services).as("the services of kube-proxy's %s (ProxyFlowScenarios)", test).isNotNull();
        lab.program(ServiceLab.BASE.withServices(ServiceRules.of(ProxyFlowScenarios.NODE, services)));
    }

    private static void check(ProxyFlowVector v) {
        assumeTrue(!v.protocol().equals("SCTP"),
                "SCTP: this kernel has no sctp module loaded and the test does not load modules");
        for (String source : v.sources()) {
            if (v.rejected()) {
                assertThat(lab.attempt(source, v.address(), v.port(), v.protocol())).as("%s from %s", v, source)
                        .isInstanceOf(Refused.class);
            } else if (v.dropped()) {
                assertThat(lab.attempt(source, v.address(), v.port(), v.protocol())).as("%s from %s", v, source)
                        .isEqualTo(new TimedOut());
            } else if (v.leftAlone()) {
                assertThat(lab.attempt(source, v.address(), v.port(), v.protocol()))
                        .as("%s from %s: reaches its destination unchanged", v, source)
                        .isEqualTo(new Answered(v.address() + ":" + v.port(), source));
            } else {
                checkBalanced(v, source);
            }
        }
    }

    /** Every answer from an allowed endpoint, with the source the row says, until each endpoint has answered. */
    private static void checkBalanced(ProxyFlowVector v, String source) {
        Set<String> allowed = new LinkedHashSet<>(v.endpoints());
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < MAX_TRIES && !seen.containsAll(allowed); i++) {
            Outcome outcome = lab.attempt(source, v.address(), v.port(), v.protocol());
            assertThat(outcome).as("%s from %s", v, source).isInstanceOf(Answered.class);
            Answered answer = (Answered) outcome;
            assertThat(answer.server()).as("%s from %s: the endpoint that answered", v, source).isIn(allowed);
            if (Boolean.TRUE.equals(v.masquerade())) {
                assertThat(answer.client()).as("%s from %s: masqueraded", v, source).isNotEqualTo(source);
            } else if (Boolean.FALSE.equals(v.masquerade())) {
                assertThat(answer.client()).as("%s from %s: the client's own address", v, source).isEqualTo(source);
            }
            seen.add(answer.server());
        }
        assertThat(seen).as("%s from %s: every endpoint answers within %d connections", v, source, MAX_TRIES)
                .containsExactlyInAnyOrderElementsOf(allowed);
    }
}
