package io.drover.agent.rules;

import static io.drover.agent.rules.RulesFixtures.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Validation and normalisation of the inputs: PublishedPort and BridgeNetwork. */
class PublishedPortTest {

    @Test
    void normalisesProtocolAndHostAddress() {
        PublishedPort p = port("2001:DB8:0:0:0:0:0:5", 53, "udp", "fd00:10::9", 53, "infra/dns");

        assertThat(p.protocol()).isEqualTo("UDP");
        assertThat(p.hostIp()).isEqualTo("2001:db8::5");
    }

    @ParameterizedTest
    @CsvSource({"0.0.0.0,10.10.0.7", "::,fd00:10::7", "'',10.10.0.7"})
    void theUnspecifiedAddressMeansEveryAddress(String hostIp, String podIp) {
        assertThat(port(hostIp, 8080, "TCP", podIp, 80, "a/b").hostIp()).isNull();
    }

    @Test
    void refusesAHostAddressOfTheOtherFamily() {
        assertThatThrownBy(() -> port("192.168.1.5", 8080, "TCP", "fd00:10::7", 80, "shop/web-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hostIP 192.168.1.5 of shop/web-1 is IPv4 but the pod address fd00:10::7 is IPv6: nftables "
                        + "cannot translate between families; publish on an address of the pod's family");
    }

    @Test
    void theUnspecifiedAddressOfOneFamilyDoesNotPublishTheOther() {
        assertThatThrownBy(() -> port("0.0.0.0", 8080, "TCP", "fd00:10::7", 80, "a/b"))
                .hasMessageStartingWith("hostIP 0.0.0.0 of a/b is IPv4 but the pod address fd00:10::7 is IPv6");
    }

    @ParameterizedTest
    @CsvSource({
            "0,80,TCP,hostPort 0 of a/b is outside 1-65535",
            "65536,80,TCP,hostPort 65536 of a/b is outside 1-65535",
            "80,0,TCP,port 0 of a/b is outside 1-65535",
            "80,80,ICMP,'protocol ''ICMP'' of a/b cannot be published: use TCP, UDP or SCTP'"})
    void refusesWhatCannotBePublished(int hostPort, int podPort, String protocol, String message) {
        assertThatThrownBy(() -> port(null, hostPort, protocol, "10.10.0.7", podPort, "a/b")).hasMessage(message);
    }

    @Test
    void refusesAnUnspecifiedPodAddress() {
        assertThatThrownBy(() -> port(null, 80, "TCP", "0.0.0.0", 80, "a/b"))
                .hasMessage("the pod address of a/b is unspecified (0.0.0.0); publish to the pod's own address");
    }

    @Test
    void bridgeNetworkSortsSubnetsAndNamesItsBridge() {
        BridgeNetwork n = BridgeNetwork.of("blue", List.of(Cidr.parse("fd00:10::/64"), Cidr.parse("10.10.0.0/16")), true);

        assertThat(n.bridge()).isEqualTo("dr-blue");
        assertThat(n.subnets()).containsExactly(Cidr.parse("10.10.0.0/16"), Cidr.parse("fd00:10::/64"));
    }

    @ParameterizedTest
    @CsvSource({"dr-averylongname", "dr blue", "dr\"x", "dr/x", "''"})
    void bridgeNetworkRefusesWhatIsNoInterfaceName(String bridge) {
        assertThatThrownBy(() -> new BridgeNetwork("blue", bridge, List.of(), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a valid interface name");
    }

    @Test
    void bridgeNetworkRefusesOverlappingSubnets() {
        assertThatThrownBy(() -> BridgeNetwork.of("blue", List.of(Cidr.parse("10.10.0.0/16"), Cidr.parse("10.10.1.0/24")), false))
                .hasMessage("network blue lists overlapping subnets 10.10.0.0/16 and 10.10.1.0/24");
    }

    @Test
    void podAddressesCompareByValue() {
        assertThat(port(null, 80, "TCP", "10.10.0.7", 80, "a/b"))
                .isEqualTo(new PublishedPort(null, 80, "TCP", IpAddresses.parse("10.10.0.7"), 80, "a/b"));
    }
}
