package io.drover.lab.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.lab.runtime.FabricLayout;
import io.drover.model.service.EndpointPort;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServicePort;
import io.drover.model.validation.Validators;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterDnsPlanTest {

    private final ClusterDnsPlan flat = ClusterDnsPlan.of(FabricLayout.plan("x", 2));

    @Test
    void theServiceHasTheTenthAddressOfTheServiceCidrAndPort53OverUdpAndTcp() {
        assertThat(flat.clusterIp()).isEqualTo("10.96.0.10");
        assertThat(flat.service().namespace()).isEqualTo("kube-system");
        assertThat(flat.service().name()).isEqualTo("kube-dns");
        assertThat(flat.service().spec().hasSelector()).as("endpoints are the lab's to register").isFalse();
        assertThat(flat.service().spec().portList()).extracting(ServicePort::toString).containsExactly("53/UDP", "53/TCP");
        assertThat(flat.clusterDns().forNamespace("shop").search())
                .containsExactly("shop.svc.cluster.local", "svc.cluster.local", "cluster.local");
        assertThat(flat.clusterDns().forNamespace("shop").nameservers()).containsExactly("10.96.0.10");
    }

    @Test
    void everyNodeIsAnEndpointOnItsUnderlayAddressWhereTheServerListensInItsNamespace() {
        assertThat(flat.endpoints().endpoints()).extracting(ServiceEndpoint::address, ServiceEndpoint::node,
                ServiceEndpoint::readyForTraffic).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("172.31.0.1", "node-1", true),
                        org.assertj.core.groups.Tuple.tuple("172.31.0.2", "node-2", true));
        assertThat(flat.endpoints().endpoints().getFirst().ports()).containsExactly(
                new EndpointPort("dns", 53, "UDP"), new EndpointPort("dns-tcp", 53, "TCP"));
        assertThat(flat.listenAddresses()).containsExactly("drl-x-node-1/172.31.0.1:53", "drl-x-node-2/172.31.0.2:53");
    }

    @Test
    void outsideNamesGoToTheResolverOnTheFabricsAddressAskedFromTheFabric() {
        assertThat(flat.resolverAddress()).isEqualTo("172.31.0.254:53");
        assertThat(flat.upstream()).isEqualTo("drl-x-fabric/172.31.0.254:53");
        ClusterDnsPlan routed = ClusterDnsPlan.of(FabricLayout.plan("x", 3, FabricLayout.Kind.ROUTED));
        assertThat(routed.upstream()).isEqualTo("drl-x-fabric/172.31.1.253:53");
        assertThat(routed.listenAddresses()).containsExactly("drl-x-node-1/172.31.1.1:53",
                "drl-x-node-2/172.31.2.2:53", "drl-x-node-3/172.31.1.3:53");
    }

    @Test
    void theServersCommandNamesEveryListenerTheUpstreamAndTheZone() {
        assertThat(flat.dnsArguments("http://127.0.0.1:7443")).containsExactly("dns", "--server", "http://127.0.0.1:7443",
                "--zone", "cluster.local", "--service-cidr", "10.96.0.0/16", "--upstream", "drl-x-fabric/172.31.0.254:53",
                "--listen", "drl-x-node-1/172.31.0.1:53", "--listen", "drl-x-node-2/172.31.0.2:53");
    }

    @Test
    void theObjectsAreValidAsTheApiChecksThem() {
        for (var r : List.of(flat.namespace(), flat.service(), flat.endpoints())) {
            assertThat(Validators.validate(r)).as("%s %s", r.kind(), r.name()).isEmpty();
        }
    }
}
