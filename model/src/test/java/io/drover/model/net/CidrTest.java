package io.drover.model.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

    @Test
    void parsesIpv4AndIpv6() {
        Cidr v4 = Cidr.parse("10.10.0.0/16");
        assertThat(v4.family()).isEqualTo(IpFamily.IPV4);
        assertThat(v4.prefixLength()).isEqualTo(16);
        assertThat(v4.size()).isEqualTo(BigInteger.valueOf(65536));
        assertThat(v4).hasToString("10.10.0.0/16");

        Cidr v6 = Cidr.parse("fd00:10::/64");
        assertThat(v6.family()).isEqualTo(IpFamily.IPV6);
        assertThat(v6.size()).isEqualTo(BigInteger.ONE.shiftLeft(64));
        assertThat(v6).hasToString("fd00:10::/64");
    }

    @Test
    void printsIpv6InCanonicalForm() {
        assertThat(Cidr.parse("FD00:0010:0000:0000:0000:0000:0000:0000/64")).hasToString("fd00:10::/64");
        assertThat(Cidr.parse("::/0")).hasToString("::/0");
    }

    @Test
    void refusesHostBitsNamingTheNetworkMeant() {
        assertThatThrownBy(() -> Cidr.parse("10.10.3.7/16"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'10.10.3.7/16' has host bits set; did you mean 10.10.0.0/16?");
        assertThatThrownBy(() -> Cidr.parse("fd00:10::1/64"))
                .hasMessage("'fd00:10::1/64' has host bits set; did you mean fd00:10::/64?");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "10.10.0.0|'10.10.0.0' is not a CIDR: expected ADDRESS/PREFIX, e.g. 10.10.0.0/16",
            "10.10.0.0/x|'10.10.0.0/x' has a prefix length that is not a number",
            "10.10.0.0/33|'10.10.0.0/33' has prefix length 33, outside 0-32",
            "fd00::/129|'fd00::/129' has prefix length 129, outside 0-128",
            "10.10.0.300/16|'10.10.0.300' is not an IPv4 or IPv6 address",
            "blue/16|'blue' is not an IPv4 or IPv6 address",
    })
    void refusesMalformedText(String text, String message) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void containsAddressesOfItsOwnFamilyOnly() {
        Cidr net = Cidr.parse("10.10.0.0/16");
        assertThat(net.contains(IpAddresses.parse("10.10.0.0"))).isTrue();
        assertThat(net.contains(IpAddresses.parse("10.10.255.255"))).isTrue();
        assertThat(net.contains(IpAddresses.parse("10.11.0.0"))).isFalse();
        assertThat(net.contains(IpAddresses.parse("10.9.255.255"))).isFalse();
        assertThat(net.contains(IpAddresses.parse("fd00::1"))).isFalse();
    }

    @Test
    void containsAndOverlapsOtherPrefixes() {
        Cidr big = Cidr.parse("10.10.0.0/16");
        Cidr half = Cidr.parse("10.10.128.0/17");
        Cidr other = Cidr.parse("10.11.0.0/16");
        assertThat(big.contains(half)).isTrue();
        assertThat(half.contains(big)).isFalse();
        assertThat(big.overlaps(half)).isTrue();
        assertThat(half.overlaps(big)).isTrue();
        assertThat(big.overlaps(other)).isFalse();
        assertThat(big.overlaps(big)).isTrue();
        assertThat(big.overlaps(Cidr.parse("::/0"))).isFalse();
    }

    @Test
    void firstHostLastAddressAndOffsets() {
        Cidr net = Cidr.parse("192.168.4.0/22");
        assertThat(IpAddresses.format(net.firstHost())).isEqualTo("192.168.4.1");
        assertThat(IpAddresses.format(net.lastAddress())).isEqualTo("192.168.7.255");
        assertThat(net.offsetOf(IpAddresses.parse("192.168.5.2"))).isEqualTo(BigInteger.valueOf(258));
        assertThat(IpAddresses.format(net.address(BigInteger.valueOf(258)))).isEqualTo("192.168.5.2");
        assertThatThrownBy(() -> net.address(BigInteger.valueOf(1024))).hasMessage("offset 1024 is outside 192.168.4.0/22");
        assertThatThrownBy(() -> net.offsetOf(IpAddresses.parse("192.168.8.0"))).hasMessage("192.168.8.0 is not in 192.168.4.0/22");
        Cidr single = Cidr.parse("10.0.0.5/32");
        assertThat(IpAddresses.format(single.firstHost())).isEqualTo("10.0.0.5");
    }

    @Test
    void containingRoundsDownToThePrefix() {
        assertThat(Cidr.containing(IpAddresses.parse("10.10.200.9"), 17)).isEqualTo(Cidr.parse("10.10.128.0/17"));
        assertThat(Cidr.containing(IpAddresses.parse("fd00:10::abcd"), 120)).hasToString("fd00:10::ab00/120");
    }

    @Test
    void ordersIpv4BeforeIpv6ThenByAddressThenPrefix() {
        var sorted = java.util.stream.Stream.of("fd00::/64", "10.10.0.0/24", "10.10.0.0/16", "9.0.0.0/8")
                .map(Cidr::parse).sorted().map(Cidr::toString).toList();
        assertThat(sorted).containsExactly("9.0.0.0/8", "10.10.0.0/16", "10.10.0.0/24", "fd00::/64");
    }
}
