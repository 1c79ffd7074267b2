package io.drover.model.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {

    @Test
    void parsesLiteralsOfBothFamilies() {
        assertThat(IpAddresses.parse("10.10.0.7")).isInstanceOf(Inet4Address.class);
        assertThat(IpAddresses.parse("fd00:10::7")).isInstanceOf(Inet6Address.class);
        assertThat(IpFamily.of(IpAddresses.parse("::1"))).isEqualTo(IpFamily.IPV6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "node-1", "10.0.0", "10.0.0.256", "010.0.0.1", "1.2.3.4.5", "fd00::g", "1:2:3", " 10.0.0.1"})
    void refusesAnythingButALiteral(String text) {
        assertThatThrownBy(() -> IpAddresses.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not an IPv4 or IPv6 address");
        assertThat(IpAddresses.isValid(text)).isFalse();
    }

    @Test
    void refusesEmptyText() {
        assertThatThrownBy(() -> IpAddresses.parse("")).hasMessage("empty IP address");
        assertThatThrownBy(() -> IpAddresses.parse(null)).hasMessage("empty IP address");
    }

    @ParameterizedTest
    @CsvSource({
            "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "0:0:0:0:0:0:0:0, ::",
            "0:0:0:0:0:0:0:1, ::1",
            "fd00:0:0:0:0:0:0:0, fd00::",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "FD00:10::ABC, fd00:10::abc",
            "10.0.0.1, 10.0.0.1",
    })
    void formatsAsRfc5952(String text, String canonical) {
        assertThat(IpAddresses.format(IpAddresses.parse(text))).isEqualTo(canonical);
    }

    @Test
    void convertsToAndFromNumbers() {
        assertThat(IpAddresses.toBigInteger(IpAddresses.parse("10.0.1.2"))).isEqualTo(BigInteger.valueOf(0x0A000102L));
        assertThat(IpAddresses.format(IpAddresses.fromBigInteger(BigInteger.valueOf(0xFFFFFFFFL), IpFamily.IPV4)))
                .isEqualTo("255.255.255.255");
        assertThat(IpAddresses.format(IpAddresses.fromBigInteger(BigInteger.ONE, IpFamily.IPV6))).isEqualTo("::1");
        BigInteger big = IpAddresses.toBigInteger(IpAddresses.parse("ffff::1"));
        assertThat(IpAddresses.format(IpAddresses.fromBigInteger(big, IpFamily.IPV6))).isEqualTo("ffff::1");
    }
}
