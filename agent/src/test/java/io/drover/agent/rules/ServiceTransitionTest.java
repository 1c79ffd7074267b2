package io.drover.agent.rules;

import static io.drover.agent.rules.RulesFixtures.BLUE;
import static io.drover.agent.rules.ServiceFixtures.NODE;
import static io.drover.agent.rules.ServiceFixtures.endpoint;
import static io.drover.agent.rules.ServiceFixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One service or endpoint changing: the transaction touches its chains, sets and elements and nothing else. The
 * chain transitions are those of services with chains of their own (round-robin here); a plain service is elements
 * only, written without nft.
 */
class ServiceTransitionTest {

    private static final ServiceEndpoint A = endpoint("10.180.0.1", 8080, false);
    private static final ServiceEndpoint B = endpoint("10.180.2.1", 8080, true);

    @Test
    void anEndpointGoingChangesOnlyItsServicesChainAndRemovesItsOwnChain() {
        NodeRules before = node(web().endpoints(A, B).build(), cart().endpoints(A, B).build());
        NodeRules after = node(web().endpoints(A).build(), cart().endpoints(A, B).build());

        List<String> lines = lines(after.updateScript(before));

        assertThat(lines).noneMatch(l -> l.contains("cart"));
        assertThat(lines).containsSubsequence(
                "flush chain inet drover svc.shop.web.http",
                "add rule inet drover svc.shop.web.http ip daddr 172.30.0.10 meta l4proto tcp th dport 80 ip saddr != @subnets4"
                        + " jump mark_for_masquerade comment",
                "add rule inet drover svc.shop.web.http numgen inc mod 1 vmap { 0 : goto ep.shop.web.http/10.180.0.1/8080 }"
                        + " comment",
                "flush chain inet drover ep.shop.web.http/10.180.2.1/8080",
                "delete chain inet drover ep.shop.web.http/10.180.2.1/8080");
        assertThat(lines).as("the service's addresses did not change: no element is touched")
                .noneMatch(l -> l.contains("element"));
        assertThat(lines).as("the remaining endpoint's chain stays").noneMatch(l -> l.contains("10.180.0.1/8080 {")
                || l.endsWith("ep.shop.web.http/10.180.0.1/8080"));
    }

    @Test
    void aNewServiceAddsItsChainsBeforeTheElementsThatNameThem() {
        NodeRules before = node(cart().endpoints(A).build());
        NodeRules after = node(cart().endpoints(A).build(), web().endpoints(B).build());

        List<String> lines = lines(after.updateScript(before));

        assertThat(lines).noneMatch(l -> l.contains("cart")).noneMatch(l -> l.startsWith("delete") || l.startsWith("flush"));
        assertThat(lines).containsSubsequence(
                "add chain inet drover svc.shop.web.http",
                "add chain inet drover ext.shop.web.http",
                "add chain inet drover ep.shop.web.http/10.180.2.1/8080",
                "add element inet drover cluster_ips4 { 172.30.0.10 comment \"service shop/web:http\" }",
                "add element inet drover service_ips4 { 172.30.0.10 . tcp . 80 comment \"service shop/web:http\""
                        + " : goto svc.shop.web.http }");
    }

    @Test
    void aServiceGoingTakesItsElementsFirstAndItsChainsAfter() {
        NodeRules before = node(cart().endpoints(A).build(), web().endpoints(B).build());
        NodeRules after = node(cart().endpoints(A).build());

        List<String> lines = lines(after.updateScript(before));

        assertThat(lines).noneMatch(l -> l.contains("cart"));
        assertThat(lines).containsSubsequence(
                "delete element inet drover service_ips4 { 172.30.0.10 . tcp . 80 }",
                "flush chain inet drover svc.shop.web.http",
                "delete chain inet drover svc.shop.web.http");
        assertThat(lines).containsSubsequence(
                "delete element inet drover service_nodeports { tcp . 30080 }",
                "flush chain inet drover ext.shop.web.http",
                "delete chain inet drover ext.shop.web.http");
    }

    @Test
    void losingItsLastEndpointTurnsTheServiceIntoARejection() {
        NodeRules before = node(web().endpoints(A).build());
        NodeRules after = node(web().endpoints().build());

        List<String> lines = lines(after.updateScript(before));

        assertThat(lines).contains(
                "delete element inet drover service_ips4 { 172.30.0.10 . tcp . 80 }",
                "add element inet drover no_endpoint_ips4 { 172.30.0.10 . tcp . 80 comment \"service shop/web:http\""
                        + " : goto service_reject }",
                "add element inet drover no_endpoint_nodeports { tcp . 30080 comment \"service shop/web:http\""
                        + " : goto service_reject }",
                "delete chain inet drover svc.shop.web.http");
    }

    @Test
    void aNewAffinityTimeoutMakesNewSetsAndRefillsTheChainsNamingThem() {
        NodeRules before = node(web().affinity(Duration.ofSeconds(60)).endpoints(A).build());
        NodeRules after = node(web().affinity(Duration.ofSeconds(120)).endpoints(A).build());

        List<String> lines = lines(after.updateScript(before));

        assertThat(lines).containsSubsequence(
                "add set inet drover aff.shop.web.http/10.180.0.1/8080/t120 { type ipv4_addr; flags dynamic,timeout;"
                        + " timeout 120s; comment \"ClientIP affinity of shop/web:http to 10.180.0.1:8080\"; }",
                "flush chain inet drover svc.shop.web.http",
                "flush chain inet drover ep.shop.web.http/10.180.0.1/8080",
                "delete set inet drover aff.shop.web.http/10.180.0.1/8080/t60");
    }

    @Test
    void nothingChangedIsNothingToDo() {
        NodeRules rules = node(web().endpoints(A, B).build(), cart().endpoints(A).build());

        assertThat(node(cart().endpoints(A).build(), web().endpoints(B, A).build()).updateScript(rules)).isEmpty();
    }

    @Test
    void theClientsTheKernelRemembersForAffinityAreNotDriftToRepair() {
        NodeRules rules = node(web().affinity(Duration.ofSeconds(60)).endpoints(A).build());
        Map<String, Set<SetElement>> kernel = new LinkedHashMap<>(rules.elements().sets());
        kernel.put("aff.shop.web.http/10.180.0.1/8080/t60", new LinkedHashSet<>(List.of(SetElement.of("10.0.0.2", null))));
        ProgrammedTable table = new ProgrammedTable(true, NodeRules.ruleset(),
                DroverTable.setSignatures(rules.policy(), rules.services()),
                DroverTable.chainSignatures(rules.policy(), rules.services()),
                DroverTable.ruleComments(rules.policy(), rules.services()), new TableElements(kernel));

        assertThat(rules.isProgrammed(table)).isTrue();
        assertThat(rules.syncScript(table)).isEmpty();
        assertThat(node(web().affinity(Duration.ofSeconds(60)).endpoints(A, B).build()).syncScript(table))
                .as("a service whose chains differ is a different shape: the whole table is written")
                .startsWith("# Drover node rules, ruleset " + NodeRules.ruleset() + ": one transaction replaces the whole table.");
    }

    @Test
    void anEndpointComingToAPlainServiceChangesOnlyItsOwnElementsWithoutNft() {
        NodeRules before = node(plain("web", "172.30.0.10").nodePort(30080).endpoints(A).build(),
                plain("cart", "172.30.0.11").endpoints(A, B).build());
        NodeRules after = node(plain("web", "172.30.0.10").nodePort(30080).endpoints(A, B).build(),
                plain("cart", "172.30.0.11").endpoints(A, B).build());

        List<String> changes = after.elementChanges(before).orElseThrow().stream().map(c -> c.nftLine()).toList();

        assertThat(changes).noneMatch(l -> l.contains("cart") || l.contains("172.30.0.11"));
        assertThat(changes).containsExactlyInAnyOrder(
                "delete element inet drover service_ips4 { 172.30.0.10 . tcp . 80 }",
                "delete element inet drover service_nodeports { tcp . 30080 }",
                "add element inet drover service_ips4 { 172.30.0.10 . tcp . 80 comment \"service shop/web:http\""
                        + " : goto pick.ip.random.2 }",
                "add element inet drover service_nodeports { tcp . 30080 comment \"service shop/web:http\""
                        + " : goto pick.nodeport.random.2 }",
                "add element inet drover service_endpoints4 { 172.30.0.10 . tcp . 80 . 1 comment \"service shop/web:http\""
                        + " : 10.180.2.1 . 8080 }",
                "add element inet drover service_nodeport_endpoints { tcp . 30080 . 1 comment \"service shop/web:http\""
                        + " : 10.180.2.1 . 8080 }");
        assertThat(lines(after.updateScript(before))).as("nothing but elements").isNotEmpty()
                .allMatch(l -> l.startsWith("add element ") || l.startsWith("delete element "));
    }

    @Test
    void aNewPlainServiceAmongManyIsItsOwnElementsAlone() {
        List<ServiceRuleInput> many = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add(plain("s" + i, "172.30." + (10 + i / 250) + "." + (i % 250 + 1)).endpoints(A, B).build());
        }
        NodeRules before = node(many.toArray(ServiceRuleInput[]::new));
        many.add(plain("new", "172.30.99.1").endpoints(A).build());
        NodeRules after = node(many.toArray(ServiceRuleInput[]::new));

        List<String> changes = after.elementChanges(before).orElseThrow().stream().map(c -> c.nftLine()).toList();

        assertThat(changes).as("cluster IP, dispatch, one endpoint, off-cluster masquerade").hasSize(4)
                .allMatch(l -> l.startsWith("add element") && l.contains("172.30.99.1"));
    }

    private static ServiceFixtures.Service plain(String name, String clusterIp) {
        return service("shop", name, clusterIp);
    }

    /** Round-robin: a service with chains of its own, whose transitions these tests follow. */
    private static ServiceFixtures.Service web() {
        return service("shop", "web", "172.30.0.10").nodePort(30080).algorithm(ServiceRuleInput.Algorithm.ROUND_ROBIN);
    }

    private static ServiceFixtures.Service cart() {
        return service("shop", "cart", "172.30.0.11").algorithm(ServiceRuleInput.Algorithm.ROUND_ROBIN);
    }

    private static NodeRules node(ServiceRuleInput... services) {
        return new NodeRules(List.of(BLUE), List.of()).withServices(ServiceRules.of(NODE, List.of(services)));
    }

    /** The script's lines, each cut before its comment's text so that assertions read the commands. */
    private static List<String> lines(String script) {
        return script.lines().filter(l -> !l.startsWith("#"))
                .map(l -> l.startsWith("add rule") && l.contains(" comment \"") ? l.substring(0, l.indexOf(" comment \"") + 8) : l)
                .toList();
    }
}
