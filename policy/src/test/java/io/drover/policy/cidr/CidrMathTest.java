package io.drover.policy.cidr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CidrMathTest {

    private static Cidr cidr(String text) {
        return Cidr.parse(text);
    }

    private static List<Cidr> cidrs(String... texts) {
        return Arrays.stream(texts).map(Cidr::parse).toList();
    }

    @Test
    void subtractingNothingOrSomethingElsewhereLeavesThePrefix() {
        assertThat(CidrMath.subtract(cidr("10.0.0.0/16"), List.of())).containsExactly(cidr("10.0.0.0/16"));
        assertThat(CidrMath.subtract(cidr("10.0.0.0/16"), cidrs("10.1.0.0/16", "fd00::/64")))
                .containsExactly(cidr("10.0.0.0/16"));
    }

    @Test
    void subtractingTheWholeOrMoreLeavesNothing() {
        assertThat(CidrMath.subtract(cidr("10.0.0.0/16"), cidrs("10.0.0.0/16"))).isEmpty();
        assertThat(CidrMath.subtract(cidr("10.0.0.0/16"), cidrs("10.0.0.0/8"))).isEmpty();
    }

    @Test
    void subtractingAnInnerPrefixLeavesTheSiblingsAlongTheWay() {
        assertThat(CidrMath.subtract(cidr("10.0.0.0/16"), cidrs("10.0.2.0/24"))).containsExactly(
                cidr("10.0.0.0/23"), cidr("10.0.3.0/24"), cidr("10.0.4.0/22"), cidr("10.0.8.0/21"),
                cidr("10.0.16.0/20"), cidr("10.0.32.0/19"), cidr("10.0.64.0/18"), cidr("10.0.128.0/17"));
    }

    @Test
    void subtractingSeveralPrefixes() {
        assertThat(CidrMath.subtract(cidr("10.0.0.0/24"), cidrs("10.0.0.0/26", "10.0.0.192/26", "10.0.0.128/32")))
                .containsExactly(cidr("10.0.0.64/26"), cidr("10.0.0.129/32"), cidr("10.0.0.130/31"),
                        cidr("10.0.0.132/30"), cidr("10.0.0.136/29"), cidr("10.0.0.144/28"), cidr("10.0.0.160/27"));
    }

    @Test
    void subtractingFromIpv6AndFromEverything() {
        assertThat(CidrMath.subtract(cidr("fd00::/126"), cidrs("fd00::2/128")))
                .containsExactly(cidr("fd00::/127"), cidr("fd00::3/128"));
        assertThat(CidrMath.subtract(cidr("0.0.0.0/0"), cidrs("128.0.0.0/1"))).containsExactly(cidr("0.0.0.0/1"));
    }

    @Test
    void subtractionCoversExactlyTheAddressesLeft() {
        Random random = new Random(42);
        Cidr from = cidr("10.0.0.0/22");
        for (int round = 0; round < 50; round++) {
            List<Cidr> removed = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int prefix = 22 + random.nextInt(11);
                removed.add(Cidr.containing(from.address(BigInteger.valueOf(random.nextInt(1024))), prefix));
            }
            List<Cidr> left = CidrMath.subtract(from, removed);
            assertThat(CidrMath.normalize(left)).as("disjoint and already minimal").isEqualTo(left);
            for (int offset = 0; offset < 1024; offset++) {
                var address = from.address(BigInteger.valueOf(offset));
                boolean expected = removed.stream().noneMatch(r -> r.contains(address));
                boolean covered = left.stream().filter(c -> c.contains(address)).count() == 1;
                boolean uncovered = left.stream().noneMatch(c -> c.contains(address));
                assertThat(expected ? covered : uncovered).as(IpAddresses.format(address) + " minus " + removed).isTrue();
            }
        }
    }

    @Test
    void normalizingDropsContainedPrefixesAndMergesHalves() {
        assertThat(CidrMath.normalize(cidrs("10.0.1.3/32", "10.0.1.2/32", "10.0.1.0/31", "10.0.0.0/24", "10.0.0.7/32")))
                .containsExactly(cidr("10.0.0.0/24"), cidr("10.0.1.0/30"));
        assertThat(CidrMath.normalize(cidrs("10.0.1.128/25", "10.0.0.0/24", "10.0.1.0/25"))).as("merges carry over")
                .containsExactly(cidr("10.0.0.0/23"));
        assertThat(CidrMath.normalize(cidrs("10.0.0.1/32", "10.0.0.2/32"))).as("not halves of one prefix")
                .containsExactly(cidr("10.0.0.1/32"), cidr("10.0.0.2/32"));
        assertThat(CidrMath.normalize(cidrs("::/1", "10.0.0.0/8", "8000::/1", "10.0.0.0/8")))
                .containsExactly(cidr("10.0.0.0/8"), cidr("::/0"));
    }

    @Test
    void halvesAndSpecialPrefixes() {
        assertThat(CidrMath.halves(cidr("10.0.0.0/8"))).containsExactly(cidr("10.0.0.0/9"), cidr("10.128.0.0/9"));
        assertThat(CidrMath.halves(cidr("::/0"))).containsExactly(cidr("::/1"), cidr("8000::/1"));
        assertThatThrownBy(() -> CidrMath.halves(cidr("10.0.0.1/32"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(CidrMath.host(IpAddresses.parse("fd00::1"))).isEqualTo(cidr("fd00::1/128"));
        assertThat(CidrMath.everything(IpFamily.IPV4)).isEqualTo(cidr("0.0.0.0/0"));
    }
}
