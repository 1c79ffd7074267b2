package io.drover.api.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.api.ApiException;
import io.drover.api.ApiException.Cause;
import io.drover.api.ApiException.Reason;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.net.Cidr;
import io.drover.model.policy.PortReference;
import io.drover.model.service.AddressPool;
import io.drover.model.service.EndpointHealth;
import io.drover.model.service.NodePortRange;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServiceNetworkOptions;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import io.drover.model.service.ServiceSpecBuilder;
import io.drover.model.service.ServiceStatus;
import io.drover.store.KeyValue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Services in the registry: cluster IPs, node ports and load balancer addresses allocated (or checked) in the write's
 * own transaction, as claim keys naming their holder, released when no longer held. Every refusal changes nothing.
 */
class RegistryServiceTest extends RegistryFixture {

    private static final ServiceNetworkOptions SMALL = new ServiceNetworkOptions(Cidr.parse("10.96.0.0/30"),
            new NodePortRange(30000, 30001), List.of(AddressPool.parse("172.31.0.200-172.31.0.201")));

    private static ServiceSpecBuilder spec() {
        return ServiceSpec.builder().selector(Map.of("app", "web"))
                .ports(ServicePort.tcp("http", 80, PortReference.named("http")));
    }

    private static Service service(String name, ServiceSpecBuilder spec) {
        return Service.of(ObjectMeta.named("default", name), spec.build());
    }

    /** The same store as another server configured with {@code options} would see it. */
    private StoreResourceRegistry serverWith(ServiceNetworkOptions options) {
        return new StoreResourceRegistry(store, Clock.fixed(NOW, ZoneOffset.UTC), options);
    }

    private Map<String, String> claims() {
        return store.list(RegistryKeys.ROOT + "claims/").stream().collect(Collectors.toMap(
                kv -> kv.key().substring((RegistryKeys.ROOT + "claims/").length()),
                kv -> new String(kv.value(), StandardCharsets.UTF_8)));
    }

    /** A refusal that must leave the store exactly as it was. */
    private ApiException refusedChangingNothing(Call call) {
        long before = store.revision();
        ApiException e = refusal(call);
        assertThat(store.revision()).as("store revision after the refusal").isEqualTo(before);
        return e;
    }

    @Test
    void aClusterIpIsAllocatedFromTheServiceCidrAndClaimedForTheService() {
        Service created = registry.create(service("web", spec()));
        String ip = created.spec().clusterIP();
        assertThat(Cidr.parse("10.96.0.0/16").contains(io.drover.model.net.IpAddresses.parse(ip))).isTrue();
        assertThat(created.spec().clusterIPs()).containsExactly(ip);
        assertThat(claims()).containsExactly(Map.entry("service-ips/" + ip, "default/web"));
        assertThat(registry.get(Service.class, "default", "web")).contains(created);
        assertThat(registry.serviceNetwork()).isEqualTo(ServiceNetworkOptions.DEFAULTS);
    }

    @Test
    void aRequestedClusterIpIsRefusedOutsideTheCidrOrWhenTakenNamingTheHolder() {
        registry.create(service("api", spec().clusterIP("10.96.0.10")));
        ApiException taken = refusedChangingNothing(() -> registry.create(service("web", spec().clusterIP("10.96.0.10"))));
        assertThat(taken.reason()).isEqualTo(Reason.INVALID);
        assertThat(taken.causes()).containsExactly(new Cause("spec.clusterIP", "cluster IP 10.96.0.10 is already taken "
                + "by service default/api; leave clusterIP out to have a free one allocated"));
        ApiException outside = refusedChangingNothing(() -> registry.create(service("web", spec().clusterIP("10.97.0.1"))));
        assertThat(outside.causes()).containsExactly(new Cause("spec.clusterIP", "10.97.0.1 is outside the service CIDR "
                + "10.96.0.0/16; choose an address in it, or leave clusterIP out to have one allocated"));
        assertThat(registry.get(Service.class, "default", "web")).isEmpty();
        assertThat(claims()).containsOnlyKeys("service-ips/10.96.0.10");
    }

    @Test
    void anExhaustedServiceCidrIsAClearErrorThatLeavesNoClaimAndNoObject() {
        StoreResourceRegistry small = serverWith(SMALL);
        List<String> ips = List.of(small.create(service("a", spec())).spec().clusterIP(),
                small.create(service("b", spec())).spec().clusterIP());
        assertThat(ips).containsExactlyInAnyOrder("10.96.0.1", "10.96.0.2");
        ApiException e = refusedChangingNothing(() -> small.create(service("c", spec())));
        assertThat(e.causes()).containsExactly(new Cause("spec.clusterIP", "the service CIDR 10.96.0.0/30 is exhausted: "
                + "all 2 addresses are taken; delete services you no longer need, or start the servers with a larger "
                + "--service-cidr"));
        assertThat(small.get(Service.class, "default", "c")).isEmpty();

        assertThat(small.create(service("headless", spec().clusterIP("None"))).spec().clusterIP()).isEqualTo("None");
        assertThat(claims()).hasSize(2);
    }

    @Test
    void deletingAServiceReleasesEverythingItHeld() {
        StoreResourceRegistry small = serverWith(SMALL);
        Service lb = small.create(service("web", spec().type("LoadBalancer")));
        assertThat(claims()).hasSize(3);
        small.delete(ResourceKind.SERVICE, "default", "web", null);
        assertThat(claims()).isEmpty();
        Service again = small.create(service("web2", spec().type("LoadBalancer").clusterIP(lb.spec().clusterIP())
                .ports(lb.spec().portList()).loadBalancerIP(lb.loadBalancerIps().getFirst())));
        assertThat(again.spec().portList()).isEqualTo(lb.spec().portList());
        assertThat(again.loadBalancerIps()).isEqualTo(lb.loadBalancerIps());
    }

    @Test
    void nodePortsComeFromTheRangeAndATakenOrOutOfRangeOneIsRefused() {
        Service created = registry.create(service("web", spec().type("NodePort").ports(
                new ServicePort("http", null, 80, null, 30080, null), new ServicePort("dns", "UDP", 53, null, null, null))));
        assertThat(created.spec().portList().get(0).nodePort()).isEqualTo(30080);
        assertThat(created.spec().portList().get(1).nodePort()).isBetween(30000, 32767).isNotEqualTo(30080);
        assertThat(claims()).containsEntry("node-ports/30080", "default/web");

        ApiException taken = refusedChangingNothing(() -> registry.create(service("api", spec().type("NodePort")
                .ports(new ServicePort("http", null, 80, null, 30080, null)))));
        assertThat(taken.causes()).containsExactly(new Cause("spec.ports[0].nodePort", "node port 30080 is already taken "
                + "by service default/web; choose another in 30000-32767, or leave nodePort out to have a free one allocated"));
        ApiException outside = refusedChangingNothing(() -> registry.create(service("api", spec().type("NodePort")
                .ports(new ServicePort("http", null, 80, null, 8080, null)))));
        assertThat(outside.causes()).containsExactly(new Cause("spec.ports[0].nodePort", "8080 is outside the node-port "
                + "range 30000-32767; choose a port in it, or leave nodePort out to have one allocated"));
    }

    @Test
    void anExhaustedNodePortRangeIsRefused() {
        StoreResourceRegistry small = serverWith(SMALL.withServiceCidr(Cidr.parse("10.96.0.0/24")));
        small.create(service("a", spec().type("NodePort")));
        small.create(service("b", spec().type("NodePort")));
        ApiException e = refusedChangingNothing(() -> small.create(service("c", spec().type("NodePort"))));
        assertThat(e.causes()).containsExactly(new Cause("spec.ports[0].nodePort", "the node-port range 30000-30001 is "
                + "exhausted: all 2 ports are taken; delete NodePort or LoadBalancer services you no longer need, or "
                + "start the servers with a larger --node-port-range"));
    }

    @Test
    void loadBalancerAddressesComeFromThePoolsInOrderIntoTheStatus() {
        ApiException none = refusedChangingNothing(() -> registry.create(service("web", spec().type("LoadBalancer"))));
        assertThat(none.causes()).containsExactly(new Cause("spec.type", "no load balancer pool is configured, so a "
                + "LoadBalancer service cannot get an address; start the servers with --load-balancer-pool CIDR or "
                + "FIRST-LAST (repeatable), or use type NodePort"));

        StoreResourceRegistry pooled = serverWith(SMALL.withServiceCidr(Cidr.parse("10.96.0.0/24"))
                .withNodePorts(NodePortRange.DEFAULT));
        Service first = pooled.create(service("a", spec().type("LoadBalancer")));
        assertThat(first.status()).isEqualTo(ServiceStatus.loadBalancerAt("172.31.0.200"));
        assertThat(first.spec().portList().getFirst().nodePort()).isNotNull();
        ApiException taken = refusedChangingNothing(() -> pooled.create(service("b", spec().type("LoadBalancer")
                .loadBalancerIP("172.31.0.200"))));
        assertThat(taken.causes()).containsExactly(new Cause("spec.loadBalancerIP", "load balancer address 172.31.0.200 "
                + "is already taken by service default/a; choose another, or leave loadBalancerIP out to have a free one "
                + "allocated"));
        ApiException notInPool = refusedChangingNothing(() -> pooled.create(service("b", spec().type("LoadBalancer")
                .loadBalancerIP("172.31.0.9"))));
        assertThat(notInPool.causes()).containsExactly(new Cause("spec.loadBalancerIP", "172.31.0.9 is in no load "
                + "balancer pool (172.31.0.200-172.31.0.201); choose an address of one, or leave loadBalancerIP out to "
                + "have one allocated"));
        assertThat(pooled.create(service("b", spec().type("LoadBalancer"))).loadBalancerIps())
                .containsExactly("172.31.0.201");
        ApiException exhausted = refusedChangingNothing(() -> pooled.create(service("c", spec().type("LoadBalancer"))));
        assertThat(exhausted.causes()).containsExactly(new Cause("spec.type", "the load balancer pools "
                + "(172.31.0.200-172.31.0.201) are exhausted: all 2 addresses are taken; delete LoadBalancer services "
                + "you no longer need, or add a pool with --load-balancer-pool"));
    }

    @Test
    void anUpdateKeepsTheClusterIpAndNodePortsAndRefusesChangingTheAddress() {
        Service created = registry.create(service("web", spec().type("NodePort")));
        String ip = created.spec().clusterIP();
        Integer nodePort = created.spec().portList().getFirst().nodePort();

        // As a re-applied manifest: without what the server allocated.
        Service replaced = registry.replace(service("web", spec().type("NodePort").sessionAffinity("ClientIP")));
        assertThat(replaced.spec().clusterIP()).isEqualTo(ip);
        assertThat(replaced.spec().portList().getFirst().nodePort()).isEqualTo(nodePort);
        assertThat(replaced.spec().clientIpAffinity()).isTrue();
        assertThat(claims()).containsOnlyKeys("service-ips/" + ip, "node-ports/" + nodePort);

        String other = ip.equals("10.96.0.77") ? "10.96.0.78" : "10.96.0.77";
        ApiException e = refusedChangingNothing(() -> registry.replace(service("web", spec().type("NodePort").clusterIP(other))));
        assertThat(e.causes()).containsExactly(new Cause("spec.clusterIP", "field is immutable (it is " + ip + "); write "
                + "clusterIP: " + ip + " or leave it out, or delete the service and create it again to get another address"));
    }

    @Test
    void changingTheTypeReleasesWhatTheNewTypeDoesNotHold() {
        StoreResourceRegistry pooled = serverWith(ServiceNetworkOptions.DEFAULTS
                .withLoadBalancerPools(List.of(AddressPool.parse("172.31.0.200/30"))));
        Service lb = pooled.create(service("web", spec().type("LoadBalancer")));
        assertThat(claims()).hasSize(3).containsEntry("load-balancer-ips/172.31.0.201", "default/web");

        Service clusterIp = pooled.replace(service("web", spec()));
        assertThat(clusterIp.status()).isNull();
        assertThat(clusterIp.spec().portList().getFirst().nodePort()).isNull();
        assertThat(claims()).containsOnlyKeys("service-ips/" + lb.spec().clusterIP());

        Service external = pooled.replace(service("web", ServiceSpec.builder().type("ExternalName").externalName("db.example.com")));
        assertThat(external.spec().clusterIP()).isNull();
        assertThat(claims()).isEmpty();
    }

    @Test
    void theStatusIsTheServersToGive() {
        Service sneaky = service("web", spec()).withStatus(ServiceStatus.loadBalancerAt("203.0.113.5"));
        assertThat(registry.create(sneaky).status()).isNull();
    }

    @Test
    void endpointsAreStoredUnderTheServicesName() {
        registry.create(service("web", spec()));
        ServiceEndpoints endpoints = registry.create(ServiceEndpoints.of(ObjectMeta.named("default", "web"), List.of(
                new ServiceEndpoint("10.10.0.7", "web-1", "node-1", true, null, 1, List.of(), EndpointHealth.unknown()))));
        assertThat(store.get("/drover/registry/serviceendpoints/default/web")).map(KeyValue::key).isPresent();
        assertThat(registry.get(ServiceEndpoints.class, "default", "web")).contains(endpoints);
        ApiException bad = refusal(() -> registry.create(ServiceEndpoints.of(ObjectMeta.named("default", "api"),
                List.of(new ServiceEndpoint("nowhere", null, null, false, null, null, null, null)))));
        assertThat(bad.causes()).containsExactly(new Cause("endpoints[0].address", "'nowhere' is not an IP address; "
                + "write one, e.g. 10.10.0.7"));
    }
}
