package io.drover.agent.rules;

import static io.drover.agent.rules.ServiceFixtures.NODE;
import static io.drover.agent.rules.ServiceFixtures.endpoint;
import static io.drover.agent.rules.ServiceFixtures.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.agent.rules.ServiceRuleInput.Algorithm;
import io.drover.agent.rules.ServiceRuleInput.TrafficPolicy;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceRulesTest {

    private static final ServiceEndpoint A = endpoint("10.180.0.1", 8080, false);
    private static final ServiceEndpoint B = endpoint("10.180.2.1", 8080, true);
    private static final String EP_A = "ep.shop.web.http/10.180.0.1/8080";
    private static final String EP_B = "ep.shop.web.http/10.180.2.1/8080";

    @Test
    void aClusterIpLeadsToASharedPickChainInOneMapLookupAndItsReadyEndpointsAreElements() {
        ServiceEndpoint notReady = new ServiceEndpoint(IpAddresses.parse("10.180.3.1"), 8080, false, false, 1);
        ServiceRules rules = rules(service("shop", "web", "172.30.0.10").endpoints(A, B, notReady));

        assertThat(elements(rules, DroverTable.SERVICE_IPS4))
                .containsExactly("172.30.0.10 . tcp . 80 comment \"service shop/web:http\" : goto pick.ip.random.2");
        assertThat(elements(rules, DroverTable.CLUSTER_IPS4)).containsExactly("172.30.0.10 comment \"service shop/web:http\"");
        assertThat(elements(rules, DroverTable.SERVICE_ENDPOINTS4)).as("the endpoint that is not ready is none").containsExactly(
                "172.30.0.10 . tcp . 80 . 0 comment \"service shop/web:http\" : 10.180.0.1 . 8080",
                "172.30.0.10 . tcp . 80 . 1 comment \"service shop/web:http\" : 10.180.2.1 . 8080");
        assertThat(elements(rules, DroverTable.SERVICE_OFFNET4)).as("off-cluster clients of the cluster IP: masquerade")
                .containsExactly("172.30.0.10 . tcp . 80 comment \"service shop/web:http\"");
        assertThat(elements(rules, DroverTable.SERVICE_HAIRPIN4)).as("only the local endpoint can reach itself here")
                .containsExactly("10.180.2.1 . 10.180.2.1 comment \"hairpin of a local endpoint\"");
        assertThat(rules.chains()).as("a plain service is elements only").isEmpty();
        assertThat(fixedChain("pick.ip.random.2")).containsExactly(
                "meta mark set meta mark or 0x00008000 dnat ip to ip daddr . meta l4proto . th dport . numgen random mod 2"
                        + " map @service_endpoints4");
    }

    @Test
    void servicesThatNeedTheirOwnChainsKeepThem() {
        ServiceEndpoint heavy = new ServiceEndpoint(A.ip(), A.port(), false, true, 100);
        assertThat(rules(service("shop", "web", "172.30.0.10").algorithm(Algorithm.ROUND_ROBIN).endpoints(A, B)).chains())
                .as("round-robin counts per chain").isNotEmpty();
        assertThat(rules(service("shop", "web", "172.30.0.10").affinity(Duration.ofSeconds(60)).endpoints(A, B)).chains())
                .as("affinity updates a set per endpoint").isNotEmpty();
        assertThat(rules(service("shop", "web", "172.30.0.10").externalIps("192.168.99.11")
                .externalTrafficPolicy(TrafficPolicy.LOCAL).endpoints(A, B)).chains())
                .as("external Local: one frontend, two sets of endpoints").isNotEmpty();
        assertThat(rules(service("shop", "web", "172.30.0.10").algorithm(Algorithm.WEIGHTED).endpoints(heavy, B)).chains())
                .as("101 slots: more than a pick chain draws among").isNotEmpty();
        List<ServiceEndpoint> many = new ArrayList<>();
        for (int i = 0; i < ServicePicks.MAX_SLOTS + 1; i++) {
            many.add(endpoint("10.181.0." + (i + 1), 80, false));
        }
        ServiceRules big = rules(service("shop", "big", "172.30.0.11").endpoints(many.toArray(ServiceEndpoint[]::new)));
        assertThat(big.chains()).hasSize(ServicePicks.MAX_SLOTS + 2);
        assertThat(elements(big, DroverTable.SERVICE_ENDPOINTS4)).isEmpty();
    }

    @Test
    void eachPlainServiceIsAFixedHandfulOfElementsAndNoChain() {
        List<ServiceRuleInput> services = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            services.add(service("shop", "web-" + i, "172.30.1." + (i + 1)).endpoints(A, B).build());
        }
        ServiceRules rules = ServiceRules.of(NODE, services);

        assertThat(rules.chains()).isEmpty();
        assertThat(rules.chainCount()).isZero();
        assertThat(elements(rules, DroverTable.SERVICE_IPS4)).hasSize(100);
        assertThat(elements(rules, DroverTable.SERVICE_ENDPOINTS4)).hasSize(200);
        assertThat(elements(rules, DroverTable.SERVICE_HAIRPIN4)).as("shared by every service B serves").hasSize(1);
    }

    @Test
    void withoutEndpointsEveryAddressOfTheServiceRejectsAndNoChainIsMade() {
        ServiceRules rules = rules(service("shop", "web", "172.30.0.10").nodePort(30080).externalIps("192.168.99.11")
                .loadBalancer(List.of("1.2.3.4")));

        assertThat(rules.chains()).isEmpty();
        assertThat(elements(rules, DroverTable.SERVICE_IPS4)).isEmpty();
        assertThat(elements(rules, DroverTable.NO_ENDPOINT_IPS4)).containsExactly(
                "172.30.0.10 . tcp . 80 comment \"service shop/web:http\" : goto service_reject",
                "192.168.99.11 . tcp . 80 comment \"service shop/web:http\" : goto service_reject",
                "1.2.3.4 . tcp . 80 comment \"service shop/web:http\" : goto service_reject");
        assertThat(elements(rules, DroverTable.NO_ENDPOINT_NODEPORTS))
                .containsExactly("tcp . 30080 comment \"service shop/web:http\" : goto service_reject");
    }

    @Test
    void externalTrafficUnderClusterIsMasqueradedAndGoesToEveryEndpoint() {
        ServiceRules rules = rules(service("shop", "web", "172.30.0.10").nodePort(30080).endpoints(A, B));

        assertThat(elements(rules, DroverTable.SERVICE_NODEPORTS))
                .containsExactly("tcp . 30080 comment \"service shop/web:http\" : goto pick.nodeport.random.2");
        assertThat(elements(rules, DroverTable.SERVICE_NODEPORT_ENDPOINTS)).containsExactly(
                "tcp . 30080 . 0 comment \"service shop/web:http\" : 10.180.0.1 . 8080",
                "tcp . 30080 . 1 comment \"service shop/web:http\" : 10.180.2.1 . 8080");
        assertThat(fixedChain("pick.nodeport.random.2")).first().isEqualTo("jump mark_for_masquerade");

        ServiceRules external = rules(service("shop", "web", "172.30.0.10").externalIps("192.168.99.11").endpoints(A, B));
        assertThat(elements(external, DroverTable.SERVICE_MASQUERADE4))
                .containsExactly("192.168.99.11 . tcp . 80 comment \"service shop/web:http\"");
        assertThat(elements(external, DroverTable.SERVICE_ENDPOINTS4)).contains(
                "192.168.99.11 . tcp . 80 . 1 comment \"service shop/web:http\" : 10.180.2.1 . 8080");
    }

    @Test
    void externalTrafficUnderLocalKeepsItsSourceAndReachesOnlyLocalEndpoints() {
        ServiceRules rules = rules(service("shop", "web", "172.30.0.10").externalIps("192.168.99.11")
                .externalTrafficPolicy(TrafficPolicy.LOCAL).endpoints(A, B));

        assertThat(chain(rules, "ext.shop.web.http")).containsExactly(
                "ip saddr @subnets4 goto svc.shop.web.http",
                "fib saddr type local jump mark_for_masquerade",
                "fib saddr type local goto svc.shop.web.http",
                "goto local.shop.web.http");
        assertThat(chain(rules, "local.shop.web.http")).containsExactly("numgen random mod 1 vmap { 0 : goto " + EP_B + " }");
        assertThat(elements(rules, DroverTable.NO_ENDPOINT_IPS4)).isEmpty();
    }

    @Test
    void underLocalWithoutLocalEndpointsOutsideClientsAreDroppedWhilePodsAreStillServed() {
        ServiceRules rules = rules(service("shop", "web", "172.30.0.10").externalIps("192.168.99.11").nodePort(30080)
                .externalTrafficPolicy(TrafficPolicy.LOCAL).endpoints(A));

        assertThat(elements(rules, DroverTable.SERVICE_IPS4)).containsExactly(
                "172.30.0.10 . tcp . 80 comment \"service shop/web:http\" : goto svc.shop.web.http",
                "192.168.99.11 . tcp . 80 comment \"service shop/web:http\" : goto ext.shop.web.http");
        assertThat(elements(rules, DroverTable.NO_ENDPOINT_IPS4))
                .containsExactly("192.168.99.11 . tcp . 80 comment \"service shop/web:http\" : drop");
        assertThat(elements(rules, DroverTable.NO_ENDPOINT_NODEPORTS))
                .containsExactly("tcp . 30080 comment \"service shop/web:http\" : drop");
        assertThat(chain(rules, "ext.shop.web.http")).as("no local chain to go to").doesNotContain("goto local.shop.web.http");
    }

    @Test
    void internalTrafficPolicyLocalSendsTheClusterIpToLocalEndpointsOrDropsIt() {
        ServiceRules withLocal = rules(service("shop", "web", "172.30.0.10")
                .internalTrafficPolicy(TrafficPolicy.LOCAL).endpoints(A, B));
        ServiceRules withoutLocal = rules(service("shop", "web", "172.30.0.10")
                .internalTrafficPolicy(TrafficPolicy.LOCAL).endpoints(A));

        assertThat(elements(withLocal, DroverTable.SERVICE_IPS4))
                .containsExactly("172.30.0.10 . tcp . 80 comment \"service shop/web:http\" : goto pick.ip.random.1");
        assertThat(elements(withLocal, DroverTable.SERVICE_ENDPOINTS4))
                .containsExactly("172.30.0.10 . tcp . 80 . 0 comment \"service shop/web:http\" : 10.180.2.1 . 8080");
        assertThat(elements(withLocal, DroverTable.SERVICE_OFFNET4)).as("Local keeps every source").isEmpty();
        assertThat(withLocal.chains()).isEmpty();
        assertThat(elements(withoutLocal, DroverTable.NO_ENDPOINT_IPS4))
                .containsExactly("172.30.0.10 . tcp . 80 comment \"service shop/web:http\" : drop");
        assertThat(withoutLocal.chains()).isEmpty();
    }

    @Test
    void clientIpAffinitySendsAKnownClientBackToItsEndpointBeforeChoosing() {
        ServiceRules rules = rules(service("shop", "web", "172.30.0.10").affinity(Duration.ofSeconds(10800)).endpoints(A, B));

        String setA = "aff.shop.web.http/10.180.0.1/8080/t10800";
        assertThat(rules.sets()).extracting(ServiceRules.AffinitySet::name)
                .containsExactly(setA, "aff.shop.web.http/10.180.2.1/8080/t10800");
        assertThat(chain(rules, "svc.shop.web.http")).containsSubsequence(
                "ip saddr @" + setA + " goto " + EP_A,
                "ip saddr @aff.shop.web.http/10.180.2.1/8080/t10800 goto " + EP_B,
                "numgen random mod 2 vmap { 0 : goto " + EP_A + ", 1 : goto " + EP_B + " }");
        assertThat(chain(rules, EP_A)).contains("update @" + setA + " { ip saddr }");
        assertThat(rules.sets().getFirst().declaration()).contains("flags dynamic,timeout; timeout 10800s;");
    }

    @Test
    void eachAlgorithmChoosesItsOwnWay() {
        assertThat(choice(Algorithm.ROUND_ROBIN, A, B)).isEqualTo("numgen inc mod 2 vmap { 0 : goto " + EP_A + ", 1 : goto " + EP_B + " }");
        ServiceRules hash = rules(service("shop", "web", "172.30.0.10").algorithm(Algorithm.SOURCE_HASH).endpoints(A, B));
        assertThat(elements(hash, DroverTable.SERVICE_IPS4)).containsExactly(
                "172.30.0.10 . tcp . 80 comment \"service shop/web:http\" : goto pick.ip.hash.2");
        assertThat(fixedChain("pick.ip.hash.2").getLast()).contains("jhash ip saddr mod 2 map @service_endpoints4");

        ServiceEndpoint heavy = new ServiceEndpoint(A.ip(), A.port(), false, true, 6);
        ServiceEndpoint light = new ServiceEndpoint(B.ip(), B.port(), true, true, 2);
        ServiceEndpoint drained = new ServiceEndpoint(IpAddresses.parse("10.180.3.1"), 8080, false, true, 0);
        ServiceRules weighted = rules(service("shop", "web", "172.30.0.10").algorithm(Algorithm.WEIGHTED)
                .endpoints(heavy, light, drained));
        assertThat(elements(weighted, DroverTable.SERVICE_IPS4)).as("weights over their common divisor, 0 never chosen")
                .containsExactly("172.30.0.10 . tcp . 80 comment \"service shop/web:http\" : goto pick.ip.random.4");
        assertThat(elements(weighted, DroverTable.SERVICE_ENDPOINTS4)).extracting(e -> e.substring(e.lastIndexOf(": ") + 2))
                .containsExactly("10.180.0.1 . 8080", "10.180.0.1 . 8080", "10.180.0.1 . 8080", "10.180.2.1 . 8080");

        ServiceEndpoint spread = new ServiceEndpoint(A.ip(), A.port(), false, true, 100);
        assertThat(choice(Algorithm.WEIGHTED, spread, B, drained))
                .as("too many slots: ranges of one random number in a chain of its own")
                .isEqualTo("numgen random mod 101 vmap { 0-99 : goto " + EP_A + ", 100 : goto " + EP_B + " }");
    }

    @Test
    void loadBalancerSourceRangesDropOtherSourcesButLetTheNodeInWhenItsAddressIsInARange() {
        ServiceRules rules = rules(service("shop", "web", "172.30.0.10").nodePort(30080)
                .loadBalancer(List.of("1.2.3.4", "5.6.7.8"), "203.0.113.0/25", "192.168.0.0/24").endpoints(A));

        assertThat(elements(rules, DroverTable.FIREWALL_IPS4)).containsExactly(
                "1.2.3.4 . tcp . 80 comment \"service shop/web:http\" : goto fw.shop.web.http",
                "5.6.7.8 . tcp . 80 comment \"service shop/web:http\" : goto fw.shop.web.http");
        assertThat(chain(rules, "fw.shop.web.http"))
                .containsExactly("ip saddr != { 192.168.0.0/24, 203.0.113.0/25, 1.2.3.4, 5.6.7.8 } drop");
        ServiceRules elsewhere = rules(service("shop", "web", "172.30.0.10")
                .loadBalancer(List.of("1.2.3.4"), "203.0.113.0/25").endpoints(A));
        assertThat(chain(elsewhere, "fw.shop.web.http")).containsExactly("ip saddr != { 203.0.113.0/25 } drop");
    }

    @Test
    void theNodeConfigurationFillsTheServiceRangesAndNodePortAddresses() {
        ServiceRules rules = rules(service("shop", "web", "172.30.0.10").endpoints(A));
        ServiceRules everywhere = ServiceRules.of(new ServiceNodeConfig(List.of(Cidr.parse("172.30.0.0/16")), List.of(), List.of()),
                List.of(service("shop", "web", "172.30.0.10").endpoints(A).build()));

        assertThat(elements(rules, DroverTable.SERVICE_CIDRS4)).containsExactly("172.30.0.0/16 comment \"service CIDR\"");
        assertThat(elements(rules, DroverTable.NODEPORT_IPS4)).containsExactly("192.168.0.2 comment \"NodePorts on this address\"");
        assertThat(elements(everywhere, DroverTable.NODEPORT_IPS4))
                .containsExactly("0.0.0.0/0 comment \"NodePorts on every local address\"");
    }

    @Test
    void portsOfOneServiceShareTheirClusterIpAndTwoProtocolsOnOnePortAreDistinct() {
        ServiceRules rules = ServiceRules.of(NODE, List.of(
                service("kube-system", "dns", "172.30.0.53").port("dns", "UDP", 53).endpoints(endpoint("10.180.0.9", 53, true)).build(),
                service("kube-system", "dns", "172.30.0.53").port("dns-tcp", "TCP", 53).endpoints(endpoint("10.180.0.9", 53, true)).build()));

        assertThat(elements(rules, DroverTable.CLUSTER_IPS4)).hasSize(1);
        assertThat(elements(rules, DroverTable.SERVICE_IPS4)).containsExactly(
                "172.30.0.53 . udp . 53 comment \"service kube-system/dns:dns\" : goto pick.ip.random.1",
                "172.30.0.53 . tcp . 53 comment \"service kube-system/dns:dns-tcp\" : goto pick.ip.random.1");
        assertThat(elements(rules, DroverTable.SERVICE_ENDPOINTS4)).containsExactly(
                "172.30.0.53 . udp . 53 . 0 comment \"service kube-system/dns:dns\" : 10.180.0.9 . 53",
                "172.30.0.53 . tcp . 53 . 0 comment \"service kube-system/dns:dns-tcp\" : 10.180.0.9 . 53");
        assertThat(elements(rules, DroverTable.SERVICE_HAIRPIN4)).as("one pair however many ports").hasSize(1);
    }

    @Test
    void theSameServicesInAnyOrderGiveTheSameRules() {
        List<ServiceRuleInput> services = new ArrayList<>(List.of(
                service("shop", "web", "172.30.0.10").endpoints(A, B).build(),
                service("shop", "cart", "172.30.0.11").endpoints(B).build(),
                service("infra", "dns", "172.30.0.53").port("dns", "UDP", 53).endpoints(A).build()));
        ServiceRules first = ServiceRules.of(NODE, services);
        Collections.reverse(services);

        assertThat(ServiceRules.of(NODE, services)).isEqualTo(first);
        assertThat(new NodeRules(List.of(), List.of()).withServices(ServiceRules.of(NODE, services)).inetScript())
                .isEqualTo(new NodeRules(List.of(), List.of()).withServices(first).inetScript());
    }

    @Test
    void twoServicesClaimingOneAddressAndPortAreRefusedByName() {
        assertThatThrownBy(() -> ServiceRules.of(NODE, List.of(
                service("shop", "web", "172.30.0.10").externalIps("192.168.99.11").endpoints(A).build(),
                service("shop", "api", "172.30.0.12").externalIps("192.168.99.11").endpoints(B).build())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("services shop/api and shop/web both claim 192.168.99.11 tcp 80; an address, protocol and port"
                        + " (or a NodePort, or a cluster IP) belongs to one service");
    }

    @Test
    void twoServicesWithOneClusterIpAreRefusedByNameWhateverTheirPorts() {
        assertThatThrownBy(() -> ServiceRules.of(NODE, List.of(
                service("shop", "web", "172.30.0.10").endpoints(A).build(),
                service("shop", "api", "172.30.0.10").port("grpc", "TCP", 9090).endpoints(B).build())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("services shop/api and shop/web both claim cluster IP 172.30.0.10; an address, protocol and"
                        + " port (or a NodePort, or a cluster IP) belongs to one service");
    }

    @Test
    void kubernetesLongestNamesStayWithinNftsLimitAndApart() {
        String namespace = "n".repeat(63);
        String name = "s".repeat(250) + "a";
        String other = "s".repeat(250) + "b";
        ServiceRules rules = ServiceRules.of(NODE, List.of(
                service(namespace, name, "172.30.0.10").affinity(Duration.ofSeconds(60)).endpoints(A).build(),
                service(namespace, other, "172.30.0.11").affinity(Duration.ofSeconds(60)).endpoints(A).build()));

        List<String> names = new ArrayList<>(rules.chains().stream().map(ServiceRules.ServiceChain::name).toList());
        names.addAll(rules.sets().stream().map(ServiceRules.AffinitySet::name).toList());
        assertThat(names).allSatisfy(n -> assertThat(n.length()).isLessThanOrEqualTo(PolicyRules.MAX_NAME))
                .doesNotHaveDuplicates()
                .anySatisfy(n -> assertThat(n).startsWith("svc.h"));
    }

    @Test
    void badInputSaysWhatIsWrong() {
        assertThatThrownBy(() -> service("shop", "web", "fd00::10").build())
                .hasMessage("service shop/web:http has cluster IP fd00::10; the node's service rules handle IPv4 only");
        assertThatThrownBy(() -> service("shop", "web", "172.30.0.10").port("icmp", "ICMP", 1).build())
                .hasMessage("service shop/web:icmp has protocol ICMP; use TCP, UDP or SCTP");
        assertThatThrownBy(() -> service("shop", "web", "172.30.0.10").nodePort(70000).build())
                .hasMessage("service shop/web:http has nodePort 70000; a port is between 1 and 65535");
        assertThatThrownBy(() -> service("shop", "Web", "172.30.0.10").build())
                .hasMessageStartingWith("service shop/Web:http has name 'Web'; use lower-case letters");
        assertThatThrownBy(() -> service("shop", "web", "172.30.0.10").affinity(Duration.ofDays(2)).build())
                .hasMessage("service shop/web:http has a ClientIP affinity timeout of 172800s; Kubernetes allows 1 to 86400 seconds");
        assertThatThrownBy(() -> endpoint("10.180.0.1", 0, true)).hasMessageContaining("has port 0");
    }

    private static String choice(Algorithm algorithm, ServiceEndpoint... endpoints) {
        return chain(rules(service("shop", "web", "172.30.0.10").algorithm(algorithm).endpoints(endpoints)),
                "svc.shop.web.http").getLast();
    }

    private static ServiceRules rules(ServiceFixtures.Service service) {
        return ServiceRules.of(NODE, List.of(service.build()));
    }

    /** A chain of the table's fixed shape, by name. */
    static List<String> fixedChain(String name) {
        return DroverTable.CHAINS.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no fixed chain " + name))
                .rules().stream().map(DroverTable.Rule::text).toList();
    }

    static List<String> chain(ServiceRules rules, String name) {
        return rules.chains().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no chain " + name + " in " + rules.chains().stream()
                        .map(ServiceRules.ServiceChain::name).toList()))
                .rules().stream().map(DroverTable.Rule::text).toList();
    }

    static List<String> elements(ServiceRules rules, String map) {
        return rules.elements().of(map).stream().map(SetElement::render).toList();
    }
}
