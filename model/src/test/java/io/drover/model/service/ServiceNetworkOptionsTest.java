package io.drover.model.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's service ranges as operators write them on the command line. */
class ServiceNetworkOptionsTest {

    @Test
    void theDefaultsAreKubernetesOnes() {
        assertThat(ServiceNetworkOptions.DEFAULTS.serviceCidr()).isEqualTo(Cidr.parse("10.96.0.0/16"));
        assertThat(ServiceNetworkOptions.DEFAULTS.nodePorts()).isEqualTo(new NodePortRange(30000, 32767));
        assertThat(ServiceNetworkOptions.DEFAULTS.loadBalancerPools()).isEmpty();
    }

    @Test
    void poolsAreCidrsWithoutNetworkAndBroadcastOrInclusiveRanges() {
        AddressPool cidr = AddressPool.parse("172.31.0.200/29");
        assertThat(IpAddresses.format(cidr.first())).isEqualTo("172.31.0.201");
        assertThat(IpAddresses.format(cidr.last())).isEqualTo("172.31.0.206");
        assertThat(cidr.size()).isEqualTo(6);
        AddressPool range = AddressPool.parse("172.31.0.200-172.31.0.202");
        assertThat(range.size()).isEqualTo(3);
        assertThat(IpAddresses.format(range.address(2))).isEqualTo("172.31.0.202");
        assertThat(range.contains(IpAddresses.parse("172.31.0.203"))).isFalse();
        assertThat(AddressPool.parse("172.31.0.9").size()).isEqualTo(1);
    }

    @Test
    void badRangesSayWhatToWrite() {
        assertThatThrownBy(() -> AddressPool.parse("172.31.0.20-172.31.0.10")).hasMessage("pool 172.31.0.20-172.31.0.10 "
                + "ends before it starts; write FIRST-LAST with FIRST not after LAST, e.g. 172.31.0.200-172.31.0.220");
        assertThatThrownBy(() -> AddressPool.parse("fd00::/120")).hasMessage("pool fd00::/120 is IPv6, and Drover's "
                + "load balancer pools are IPv4 only for now; give an IPv4 CIDR or range");
        assertThatThrownBy(() -> AddressPool.parse("lb")).hasMessage("pool lb: 'lb' is not an IPv4 or IPv6 address; "
                + "write a CIDR (172.31.0.200/29) or a range (172.31.0.200-172.31.0.220)");
        assertThatThrownBy(() -> NodePortRange.parse("30000")).hasMessage("node port range \"30000\" is not FIRST-LAST; "
                + "write two port numbers joined by '-', e.g. 30000-32767");
        assertThatThrownBy(() -> NodePortRange.parse("32767-30000")).hasMessage("node port range 32767-30000 is not a "
                + "range of ports: write FIRST-LAST with 1 <= FIRST <= LAST <= 65535, e.g. 30000-32767");
        assertThatThrownBy(() -> ServiceNetworkOptions.DEFAULTS.withServiceCidr(Cidr.parse("fd00::/112")))
                .hasMessage("service CIDR fd00::/112 is IPv6, and Drover's services are IPv4 only for now; give an "
                        + "IPv4 CIDR, e.g. 10.96.0.0/16");
        assertThat(ServiceNetworkOptions.DEFAULTS.withLoadBalancerPools(List.of(AddressPool.parse("10.0.0.1-10.0.0.2")))
                .loadBalancerPools()).hasSize(1);
    }

    @Test
    void aPodsWeightComesFromItsAnnotation() {
        assertThat(EndpointWeights.of(java.util.Map.of("drover.io/weight", "7"))).isEqualTo(7);
        assertThat(EndpointWeights.of(java.util.Map.of())).isEqualTo(1);
        assertThat(EndpointWeights.parse("0")).isEmpty();
        assertThat(EndpointWeights.parse("1000")).hasValue(1000);
    }
}
