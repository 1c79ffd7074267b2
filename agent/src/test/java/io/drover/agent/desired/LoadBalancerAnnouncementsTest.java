package io.drover.agent.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.kernel.Address;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.node.Node;
import io.drover.model.service.EndpointPort;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import io.drover.model.service.ServiceStatus;
import io.drover.model.service.ServiceStatus.LoadBalancerIngress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadBalancerAnnouncementsTest {

    private static final List<String> NODES = List.of("node-1", "node-2", "node-3");

    private static Service service(String name, String type, String policy, String... ips) {
        ServiceSpec spec = ServiceSpec.builder().type(type).externalTrafficPolicy(policy)
                .ports(ServicePort.tcp("http", 80, null)).build();
        List<LoadBalancerIngress> ingress = new ArrayList<>();
        for (String ip : ips) {
            ingress.add(new LoadBalancerIngress(ip, null));
        }
        return Service.of(ObjectMeta.named("shop", name), spec)
                .withStatus(new ServiceStatus(new ServiceStatus.LoadBalancerStatus(ingress)));
    }

    private static Node node(String name, boolean ready) {
        return Node.of(ObjectMeta.named(name), new Node.NodeSpec("172.31.0.1"))
                .withStatus(new Node.NodeStatus(ready, null, null));
    }

    private static List<Node> nodes(String... notReady) {
        return NODES.stream().map(n -> node(n, !List.of(notReady).contains(n))).toList();
    }

    private static ServiceEndpoints endpoints(String service, Map<String, Boolean> readyByNode) {
        List<ServiceEndpoint> list = new ArrayList<>();
        int i = 1;
        for (Map.Entry<String, Boolean> e : readyByNode.entrySet()) {
            list.add(new ServiceEndpoint("10.1.0." + i++, "p" + i, e.getKey(), e.getValue(), null, null,
                    List.of(new EndpointPort("http", 80, "TCP")), null));
        }
        return ServiceEndpoints.of(ObjectMeta.named("shop", service), list);
    }

    private static List<String> held(String node, Collection<Service> services, Collection<ServiceEndpoints> eps,
            Collection<Node> nodes) {
        return LoadBalancerAnnouncements.of(node, services, eps, nodes).stream()
                .map(Address::toString).toList();
    }

    @Test
    void aSingleHostHoldsEveryLoadBalancerAddressAndNothingElse() {
        List<Service> services = List.of(service("web", "LoadBalancer", null, "172.31.0.201", "172.31.0.200", "fd00::1"),
                service("api", "ClusterIP", null), service("np", "NodePort", null));

        assertThat(held("node-1", services, List.of(), null)).containsExactly("172.31.0.200/32", "172.31.0.201/32");
    }

    @Test
    void everyAddressIsHeldByExactlyOneReadyNodeAndOnlyTheLeavingNodesAddressesMove() {
        List<String> ips = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ips.add("172.31.0." + (200 + i));
        }
        List<Service> services = List.of(service("web", "LoadBalancer", "Cluster", ips.toArray(String[]::new)));
        Map<String, List<String>> before = new java.util.HashMap<>();
        for (String n : NODES) {
            before.put(n, held(n, services, List.of(), nodes()));
        }
        assertThat(before.values().stream().flatMap(List::stream)).hasSize(30).doesNotHaveDuplicates();
        assertThat(before.values()).allSatisfy(list -> assertThat(list).isNotEmpty()); // spread, not all on one

        List<String> afterOn1 = held("node-1", services, List.of(), nodes("node-2"));
        List<String> afterOn3 = held("node-3", services, List.of(), nodes("node-2"));
        assertThat(held("node-2", services, List.of(), nodes("node-2"))).isEmpty();
        assertThat(afterOn1).containsAll(before.get("node-1"));
        assertThat(afterOn3).containsAll(before.get("node-3"));
        List<String> all = new ArrayList<>(afterOn1);
        all.addAll(afterOn3);
        assertThat(all).hasSize(30).doesNotHaveDuplicates();
    }

    @Test
    void underTheLocalPolicyOnlyANodeWithAReadyEndpointHoldsTheAddressAndWithoutOneNobodyDoes() {
        List<Service> services = List.of(service("web", "LoadBalancer", "Local", "172.31.0.200"));
        List<ServiceEndpoints> onNode3 = List.of(endpoints("web", Map.of("node-3", true, "node-1", false)));

        assertThat(held("node-3", services, onNode3, nodes())).containsExactly("172.31.0.200/32");
        assertThat(held("node-1", services, onNode3, nodes())).isEmpty();
        assertThat(held("node-2", services, onNode3, nodes())).isEmpty();
        assertThat(held("node-3", services, onNode3, nodes("node-3"))).isEmpty();
        for (String n : NODES) {
            assertThat(held(n, services, List.of(endpoints("web", Map.of("node-1", false))), nodes())).isEmpty();
        }
    }

    /** Rendezvous hashing only balances when the score spreads: 300 addresses over 3 nodes, each near a third. */
    @Test
    void addressesSpreadEvenlyOverTheCandidates() throws Exception {
        Map<String, Integer> owned = new java.util.HashMap<>();
        for (int i = 0; i < 300; i++) {
            java.net.InetAddress ip = java.net.InetAddress.getByName("10.200." + (i / 250) + "." + (i % 250));
            owned.merge(LoadBalancerAnnouncements.owner(ip, new java.util.TreeSet<>(NODES)), 1, Integer::sum);
        }
        assertThat(owned).containsOnlyKeys(NODES);
        assertThat(owned.values()).allSatisfy(n -> assertThat(n).isBetween(70, 130));
    }
}
