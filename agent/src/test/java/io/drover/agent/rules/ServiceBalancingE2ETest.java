package io.drover.agent.rules;

import static io.drover.agent.rules.ServiceFixtures.NODE;
import static io.drover.agent.rules.ServiceFixtures.endpoint;
import static io.drover.agent.rules.ServiceFixtures.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.agent.rules.ServiceLab.Answered;
import io.drover.agent.rules.ServiceLab.Outcome;
import io.drover.agent.rules.ServiceLab.Refused;
import io.drover.agent.rules.ServiceRuleInput.Algorithm;
import io.drover.model.net.IpAddresses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The balancing algorithms, ClientIP affinity and endpoint changes with real connections through one node's table
 * ({@link ServiceLab}), each programmed incrementally from what the test before left.
 */
class ServiceBalancingE2ETest {

    private static final String CLIENT = "10.0.0.2";
    private static final String REMOTE = ProxyFlowScenarios.REMOTE + ":80";
    private static final String LOCAL = ProxyFlowScenarios.LOCAL + ":80";
    private static final ServiceEndpoint TO_REMOTE = endpoint(ProxyFlowScenarios.REMOTE, 80, false);
    private static final ServiceEndpoint TO_LOCAL = endpoint(ProxyFlowScenarios.LOCAL, 80, true);

    private static ServiceLab lab;

    @BeforeAll
    static void buildLab() {
        assumeTrue(NetnsSandbox.available(), "needs root, ip and nft (kernel test)");
        lab = new ServiceLab();
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void roundRobinTakesTheEndpointsInTurn() {
        program(service("shop", "rr", "172.30.0.60").algorithm(Algorithm.ROUND_ROBIN).endpoints(TO_REMOTE, TO_LOCAL).build());

        List<String> answers = answers(CLIENT, "172.30.0.60", 8);

        assertThat(answers).containsAnyOf(REMOTE, LOCAL);
        for (int i = 1; i < answers.size(); i++) {
            assertThat(answers.get(i)).as("connection %d of %s", i, answers).isNotEqualTo(answers.get(i - 1));
        }
    }

    @Test
    void clientIpAffinityHoldsForEveryConnectionAndLetsGoAfterItsTimeout() throws InterruptedException {
        // Round robin underneath, so that the connection after the timeout must go to the other endpoint.
        program(service("shop", "sticky", "172.30.0.61").algorithm(Algorithm.ROUND_ROBIN).affinity(Duration.ofSeconds(1))
                .endpoints(TO_REMOTE, TO_LOCAL).build());

        List<String> held = answers(CLIENT, "172.30.0.61", 15);
        Thread.sleep(2_000);
        List<String> after = answers(CLIENT, "172.30.0.61", 1);

        assertThat(held).as("15 consecutive connections").containsOnly(held.getFirst());
        assertThat(after).as("after the timeout").doesNotContain(held.getFirst());
    }

    @Test
    void sourceHashKeepsEachClientOnOneEndpoint() {
        program(service("shop", "hash", "172.30.0.62").algorithm(Algorithm.SOURCE_HASH).endpoints(TO_REMOTE, TO_LOCAL).build());

        for (String client : List.of(CLIENT, "10.180.0.2", ServiceLab.NODE_IP)) {
            List<String> answers = answers(client, "172.30.0.62", 8);
            assertThat(answers).as("from %s", client).containsOnly(answers.getFirst());
        }
    }

    @Test
    void weightedChoiceNeverPicksAnEndpointOfWeightZero() {
        ServiceEndpoint drained = new ServiceEndpoint(TO_LOCAL.ip(), 80, true, true, 0);
        program(service("shop", "weighted", "172.30.0.63").algorithm(Algorithm.WEIGHTED).endpoints(TO_REMOTE, drained).build());

        assertThat(answers(CLIENT, "172.30.0.63", 10)).containsOnly(REMOTE);
    }

    @Test
    void anEndpointThatGoesIsNoLongerChosenAndAServiceWithoutEndpointsRefuses() {
        ServiceRuleInput other = service("shop", "other", "172.30.0.65").endpoints(TO_REMOTE, TO_LOCAL).build();
        program(service("shop", "web", "172.30.0.64").endpoints(TO_REMOTE, TO_LOCAL).build(), other);
        NodeRules both = lab.applied();

        NodeRules oneLeft = program(service("shop", "web", "172.30.0.64").endpoints(TO_LOCAL).build(), other);
        assertThat(oneLeft.updateScript(both)).as("the update touches only the changed service").doesNotContain("other");
        assertThat(answers(CLIENT, "172.30.0.64", 10)).containsOnly(LOCAL);

        program(service("shop", "web", "172.30.0.64").build(), other);
        Outcome outcome = lab.attempt(CLIENT, "172.30.0.64", 80, "TCP");
        assertThat(outcome).isInstanceOf(Refused.class);
        assertThat(answers(CLIENT, "172.30.0.65", 1)).as("the other service still answers").hasSize(1);
    }

    @Test
    void aUdpClientOfAGoneEndpointIsBalancedAfreshOnceItsConntrackEntriesAreDeleted() {
        ServiceEndpoint remote = endpoint(ProxyFlowScenarios.REMOTE, 53, false);
        ServiceEndpoint local = endpoint(ProxyFlowScenarios.LOCAL, 53, true);
        NodeRules before = program(service("infra", "dns", "172.30.0.66").port("dns", "UDP", 53).nodePort(30053)
                .endpoints(remote).build());
        assertThat(lab.udpFrom(CLIENT, 40053, "172.30.0.66", 53)).isEqualTo(new Answered(ProxyFlowScenarios.REMOTE + ":53", CLIENT));

        NodeRules after = program(service("infra", "dns", "172.30.0.66").port("dns", "UDP", 53).nodePort(30053)
                .endpoints(local).build());
        // The rules changed, but the client's conntrack entry still leads to the endpoint that left (its server runs on).
        assertThat(lab.udpFrom(CLIENT, 40053, "172.30.0.66", 53)).isEqualTo(new Answered(ProxyFlowScenarios.REMOTE + ":53", CLIENT));

        Set<ServiceRules.UdpFlow> gone = after.services().udpFlowsGoneSince(before.services());
        assertThat(gone).containsExactlyInAnyOrder(
                new ServiceRules.UdpFlow(IpAddresses.parse("172.30.0.66"), 53, IpAddresses.parse(ProxyFlowScenarios.REMOTE)),
                new ServiceRules.UdpFlow(null, 30053, IpAddresses.parse(ProxyFlowScenarios.REMOTE)));
        gone.forEach(lab::forget);
        assertThat(lab.udpFrom(CLIENT, 40053, "172.30.0.66", 53)).isEqualTo(new Answered(ProxyFlowScenarios.LOCAL + ":53", CLIENT));
    }

    private static NodeRules program(ServiceRuleInput... services) {
        NodeRules wanted = ServiceLab.BASE.withServices(ServiceRules.of(NODE, List.of(services)));
        lab.program(wanted);
        return wanted;
    }

    /** Which endpoint answered each of {@code count} connections, in order; every one must be answered. */
    private static List<String> answers(String client, String address, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Outcome outcome = lab.attempt(client, address, 80, "TCP");
            assertThat(outcome).as("connection %d from %s to %s", i, client, address).isInstanceOf(Answered.class);
            out.add(((Answered) outcome).server());
        }
        return out;
    }
}
