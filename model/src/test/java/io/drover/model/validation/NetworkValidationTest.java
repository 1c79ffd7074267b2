package io.drover.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkValidationTest {

    private static List<FieldError> validate(NetworkSpec spec) {
        return Validators.validate(Network.of(ObjectMeta.named("blue"), spec));
    }

    private static NetworkSpec spec(List<String> subnets, List<String> gateways, Integer v4Block, Integer v6Block, Integer mtu) {
        return new NetworkSpec(subnets, gateways, v4Block, v6Block, null, mtu);
    }

    private static NetworkSpec subnets(String... subnets) {
        return NetworkSpec.of(subnets);
    }

    private static NetworkSpec gateways(List<String> subnets, String... gateways) {
        return spec(subnets, List.of(gateways), null, null, null);
    }

    @Test
    void validDualStackNetwork() {
        assertThat(validate(new NetworkSpec(List.of("10.10.0.0/16", "fd00:10::/64"), List.of("10.10.0.254", "fd00:10::1"),
                24, 120, true, 9000))).isEmpty();
        assertThat(validate(subnets("fd00:10::/64"))).isEmpty();
    }

    @Test
    void specIsRequired() {
        assertThat(validate(null)).containsExactly(
                new FieldError("spec", "is required: a network needs spec.subnets, e.g. [\"10.10.0.0/16\"]"));
    }

    @Test
    void needsOneOrTwoSubnets() {
        assertThat(validate(subnets())).containsExactly(new FieldError("spec.subnets",
                "is required: give one IPv4 and/or one IPv6 subnet, e.g. [\"10.10.0.0/16\", \"fd00:10::/64\"]"));
        assertThat(validate(subnets("10.1.0.0/16", "fd00::/64", "10.2.0.0/16"))).containsExactly(
                new FieldError("spec.subnets", "has 3 subnets; a network has at most 2, one IPv4 and one IPv6: "
                        + "create another network for more addresses"),
                new FieldError("spec.subnets[2]", "a network has at most one IPv4 subnet, and spec.subnets[0] "
                        + "(10.1.0.0/16) is one already; create another network for 10.2.0.0/16"));
    }

    @Test
    void subnetsAreValidCidrs() {
        assertThat(validate(subnets("10.10.3.0/16", "fd00::1/64"))).containsExactly(
                new FieldError("spec.subnets[0]", "'10.10.3.0/16' has host bits set; did you mean 10.10.0.0/16?"),
                new FieldError("spec.subnets[1]", "'fd00::1/64' has host bits set; did you mean fd00::/64?"));
        assertThat(validate(subnets("blue"))).containsExactly(
                new FieldError("spec.subnets[0]", "'blue' is not a CIDR: expected ADDRESS/PREFIX, e.g. 10.10.0.0/16"));
    }

    @Test
    void oneSubnetPerFamily() {
        assertThat(validate(subnets("10.1.0.0/16", "10.2.0.0/16"))).containsExactly(new FieldError("spec.subnets[1]",
                "a network has at most one IPv4 subnet, and spec.subnets[0] (10.1.0.0/16) is one already; "
                        + "create another network for 10.2.0.0/16"));
        assertThat(validate(subnets("fd00:1::/64", "fd00:2::/64"))).extracting(FieldError::message)
                .containsExactly("a network has at most one IPv6 subnet, and spec.subnets[0] (fd00:1::/64) is one "
                        + "already; create another network for fd00:2::/64");
    }

    @Test
    void ownSubnetsMustNotOverlap() {
        assertThat(validate(subnets("10.1.0.0/16", "10.1.128.0/17"))).containsExactly(new FieldError("spec.subnets[1]",
                "10.1.128.0/17 overlaps spec.subnets[0] (10.1.0.0/16); a network has one subnet per family"));
        assertThat(validate(subnets("10.1.0.0/16", "10.1.0.0/16"))).extracting(FieldError::message)
                .containsExactly("10.1.0.0/16 overlaps spec.subnets[0] (10.1.0.0/16); a network has one subnet per family");
    }

    @Test
    void subnetsLeaveRoomForHosts() {
        assertThat(validate(spec(List.of("10.1.0.0/30", "fd00::/126"), null, 30, 126, null))).isEmpty();
        assertThat(validate(spec(List.of("10.1.0.0/31", "fd00::/127"), null, null, null, null))).containsExactly(
                new FieldError("spec.subnets[0]", "10.1.0.0/31 leaves no room for pods: an IPv4 subnet needs a prefix "
                        + "length of at most 30"),
                new FieldError("spec.subnets[1]", "fd00::/127 leaves no room for pods: an IPv6 subnet needs a prefix "
                        + "length of at most 126"));
    }

    @Test
    void gatewaysLieInsideTheirSubnet() {
        List<String> dual = List.of("10.10.0.0/16", "fd00:10::/64");
        assertThat(validate(gateways(dual, "10.10.0.1", "fd00:10::ffff"))).isEmpty();
        assertThat(validate(gateways(dual, "10.11.0.1"))).containsExactly(new FieldError("spec.gateways[0]",
                "10.11.0.1 is not inside the subnet 10.10.0.0/16; a gateway is an address of its subnet, e.g. 10.10.0.1"));
        assertThat(validate(gateways(dual, "fd00:11::1"))).extracting(FieldError::message).containsExactly(
                "fd00:11::1 is not inside the subnet fd00:10::/64; a gateway is an address of its subnet, e.g. fd00:10::1");
    }

    @Test
    void gatewayOfAFamilyWithoutSubnet() {
        assertThat(validate(gateways(List.of("10.10.0.0/16"), "fd00::1"))).containsExactly(new FieldError("spec.gateways[0]",
                "fd00::1 is IPv6 but the network has no IPv6 subnet; remove it or add a subnet that contains it"));
        // An unreadable subnet is reported once, not again through its gateway.
        assertThat(validate(gateways(List.of("10.10.0.1/16"), "10.10.0.1"))).extracting(FieldError::field)
                .containsExactly("spec.subnets[0]");
    }

    @Test
    void gatewaysAreValidAddressesOnePerFamily() {
        List<String> dual = List.of("10.10.0.0/16", "fd00:10::/64");
        assertThat(validate(gateways(dual, "10.10.0.300"))).containsExactly(
                new FieldError("spec.gateways[0]", "'10.10.0.300' is not an IPv4 or IPv6 address"));
        assertThat(validate(gateways(dual, "10.10.0.1", "10.10.0.2"))).containsExactly(
                new FieldError("spec.gateways[1]", "a network has at most one IPv4 gateway, and spec.gateways[0] is one already"));
    }

    @Test
    void gatewayIsNotTheNetworkOrBroadcastAddress() {
        List<String> dual = List.of("10.10.0.0/16", "fd00:10::/64");
        assertThat(validate(gateways(dual, "10.10.0.0"))).containsExactly(new FieldError("spec.gateways[0]",
                "10.10.0.0 is the network address of 10.10.0.0/16; use a host address, e.g. 10.10.0.1"));
        assertThat(validate(gateways(dual, "10.10.255.255"))).containsExactly(new FieldError("spec.gateways[0]",
                "10.10.255.255 is the broadcast address of 10.10.0.0/16; use a host address, e.g. 10.10.0.1"));
        assertThat(validate(gateways(dual, "fd00:10::"))).extracting(FieldError::message).containsExactly(
                "fd00:10:: is the network address of fd00:10::/64; use a host address, e.g. fd00:10::1");
        // IPv6 has no broadcast: the last address is a host.
        assertThat(validate(gateways(dual, "fd00:10::ffff:ffff:ffff:ffff"))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"16", "24", "30"})
    void ipv4BlockSizeWithinSubnetPrefixAnd30(int size) {
        assertThat(validate(spec(List.of("10.10.0.0/16"), null, size, null, null))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"15", "31", "0"})
    void ipv4BlockSizeOutsideRange(int size) {
        assertThat(validate(spec(List.of("10.10.0.0/16"), null, size, null, null))).containsExactly(new FieldError(
                "spec.ipv4BlockSize", "must be between 16 (the prefix length of 10.10.0.0/16) and 30; it is " + size));
    }

    @ParameterizedTest
    @CsvSource({"63, false", "64, true", "126, true", "127, false"})
    void ipv6BlockSizeWithinSubnetPrefixAnd126(int size, boolean valid) {
        List<FieldError> errors = validate(spec(List.of("fd00::/64"), null, null, size, null));
        if (valid) {
            assertThat(errors).isEmpty();
        } else {
            assertThat(errors).containsExactly(new FieldError("spec.ipv6BlockSize",
                    "must be between 64 (the prefix length of fd00::/64) and 126; it is " + size));
        }
    }

    @Test
    void defaultBlockSizeMustFitASmallSubnet() {
        assertThat(validate(subnets("10.10.0.0/28"))).containsExactly(new FieldError("spec.ipv4BlockSize",
                "is not set, and the default block size 26 is larger than the subnet 10.10.0.0/28; "
                        + "set ipv4BlockSize between 28 and 30"));
        assertThat(validate(spec(List.of("10.10.0.0/28"), null, 28, null, null))).isEmpty();
        assertThat(validate(subnets("fd00::/124"))).containsExactly(new FieldError("spec.ipv6BlockSize",
                "is not set, and the default block size 122 is larger than the subnet fd00::/124; "
                        + "set ipv6BlockSize between 124 and 126"));
        assertThat(validate(subnets("10.10.0.0/26", "fd00::/122"))).isEmpty();
        assertThat(validate(subnets("10.1.0.0/30"))).extracting(FieldError::message).containsExactly(
                "is not set, and the default block size 26 is larger than the subnet 10.1.0.0/30; set ipv4BlockSize to 30");
    }

    @Test
    void blockSizeOfAFamilyWithoutSubnet() {
        assertThat(validate(spec(List.of("fd00::/64"), null, 24, null, null))).containsExactly(new FieldError(
                "spec.ipv4BlockSize", "is set but the network has no IPv4 subnet; remove it or add an IPv4 subnet"));
        assertThat(validate(spec(List.of("10.0.0.0/8"), null, null, 120, null))).extracting(FieldError::message)
                .containsExactly("is set but the network has no IPv6 subnet; remove it or add an IPv6 subnet");
    }

    @ParameterizedTest
    @ValueSource(ints = {576, 1500, 9000})
    void ipv4OnlyMtuRange(int mtu) {
        assertThat(validate(spec(List.of("10.0.0.0/16"), null, null, null, mtu))).isEmpty();
    }

    @Test
    void mtuOutOfRange() {
        assertThat(validate(spec(List.of("10.0.0.0/16"), null, null, null, 575))).containsExactly(
                new FieldError("spec.mtu", "must be between 576 and 9000; it is 575"));
        assertThat(validate(spec(List.of("10.0.0.0/16"), null, null, null, 9001))).containsExactly(
                new FieldError("spec.mtu", "must be between 576 and 9000; it is 9001"));
    }

    @Test
    void ipv6NeedsAnMtuOfAtLeast1280() {
        assertThat(validate(spec(List.of("10.0.0.0/16", "fd00::/64"), null, null, null, 1280))).isEmpty();
        assertThat(validate(spec(List.of("10.0.0.0/16", "fd00::/64"), null, null, null, 1279))).containsExactly(
                new FieldError("spec.mtu", "must be between 1280 and 9000 (IPv6 needs at least 1280); it is 1279"));
    }
}
