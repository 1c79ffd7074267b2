package io.drover.controllers.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BlockLayoutTest {

    private static BlockLayout layout(String subnet, int blockPrefix) {
        Cidr cidr = Cidr.parse(subnet);
        return BlockLayout.of(cidr, blockPrefix, cidr.firstHost());
    }

    /** Every address a layout can hand out, block by block, in the order blocks hand them out. */
    private static List<String> allUsable(BlockLayout layout, String network) {
        List<String> out = new ArrayList<>();
        for (long i = 0; i < layout.blockCount().longValueExact(); i++) {
            Cidr block = layout.block(BigInteger.valueOf(i));
            AllocationBlock b = layout.newBlock(network, block, "n1");
            for (int ordinal : b.unallocated()) {
                out.add(IpAddresses.format(b.address(ordinal)));
            }
        }
        return out;
    }

    @Test
    void splitsAnIpv4SlashTwentyFourIntoFourSlashTwentySixBlocks() {
        BlockLayout l = layout("10.10.0.0/24", 26);
        assertThat(l.blockCount()).isEqualTo(BigInteger.valueOf(4));
        assertThat(l.blockSize()).isEqualTo(64);
        assertThat(List.of(0, 1, 2, 3)).map(i -> l.block(BigInteger.valueOf(i)).toString())
                .containsExactly("10.10.0.0/26", "10.10.0.64/26", "10.10.0.128/26", "10.10.0.192/26");
        assertThat(l.indexOf(Cidr.parse("10.10.0.128/26"))).isEqualTo(BigInteger.TWO);
        assertThat(l.isBlock(Cidr.parse("10.10.1.0/26"))).isFalse();
        assertThat(l.isBlock(Cidr.parse("10.10.0.0/25"))).isFalse();
    }

    @Test
    void neverHandsOutNetworkBroadcastOrGatewayAddress() {
        BlockLayout l = layout("10.10.0.0/24", 26);
        assertThat(l.reservedAddresses()).map(IpAddresses::format).containsExactly("10.10.0.0", "10.10.0.1", "10.10.0.255");
        assertThat(l.reservedOrdinals(Cidr.parse("10.10.0.0/26"))).containsExactly(0, 1);
        assertThat(l.reservedOrdinals(Cidr.parse("10.10.0.64/26"))).isEmpty();
        assertThat(l.reservedOrdinals(Cidr.parse("10.10.0.192/26"))).containsExactly(63);
        assertThat(l.usableAddresses()).isEqualTo(BigInteger.valueOf(253));

        List<String> usable = allUsable(l, "blue");
        assertThat(usable).hasSize(253).doesNotHaveDuplicates()
                .doesNotContain("10.10.0.0", "10.10.0.1", "10.10.0.255")
                .contains("10.10.0.2", "10.10.0.63", "10.10.0.64", "10.10.0.254");
    }

    @Test
    void anExplicitGatewayInTheMiddleIsReservedWhereItLies() {
        Cidr subnet = Cidr.parse("10.20.0.0/24");
        BlockLayout l = BlockLayout.of(subnet, 26, IpAddresses.parse("10.20.0.100"));
        assertThat(l.reservedOrdinals(Cidr.parse("10.20.0.64/26"))).containsExactly(36);
        assertThat(l.reservedOrdinals(Cidr.parse("10.20.0.0/26"))).containsExactly(0);
        assertThat(allUsable(l, "x")).hasSize(253).contains("10.20.0.1").doesNotContain("10.20.0.100");
    }

    @Test
    void splitsAnIpv6SlashSixtyFourIntoSlashOneTwentyTwoBlocksWithoutEnumeratingThem() {
        BlockLayout l = layout("fd00:10::/64", 122);
        assertThat(l.blockCount()).isEqualTo(BigInteger.ONE.shiftLeft(58));
        assertThat(l.blockSize()).isEqualTo(64);
        assertThat(l.block(BigInteger.ZERO)).hasToString("fd00:10::/122");
        assertThat(l.block(BigInteger.ONE)).hasToString("fd00:10::40/122");
        Cidr last = l.block(l.blockCount().subtract(BigInteger.ONE));
        assertThat(last).hasToString("fd00:10::ffff:ffff:ffff:ffc0/122");
        assertThat(l.reservedOrdinals(l.block(BigInteger.ZERO))).containsExactly(0, 1);
        assertThat(l.reservedOrdinals(last)).containsExactly(63);
        assertThat(l.usableAddresses()).isEqualTo(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.valueOf(3)));
        assertThatThrownBy(() -> l.block(l.blockCount())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSubnetSmallerThanABlockIsOneBlock() {
        BlockLayout l = layout("192.168.7.4/30", 26);
        assertThat(l.blockPrefix()).isEqualTo(30);
        assertThat(l.blockCount()).isEqualTo(BigInteger.ONE);
        // .4 network, .5 gateway, .7 broadcast: only .6 is left.
        assertThat(allUsable(l, "tiny")).containsExactly("192.168.7.6");
        assertThat(l.usableAddresses()).isEqualTo(BigInteger.ONE);

        BlockLayout v6 = layout("fd00:1::/126", 122);
        assertThat(allUsable(v6, "tiny6")).containsExactly("fd00:1::2");
    }

    @Test
    void aSlashThirtyTwoHasNothingToHandOut() {
        BlockLayout l = layout("10.0.0.9/32", 26);
        assertThat(l.usableAddresses()).isEqualTo(BigInteger.ZERO);
        assertThat(allUsable(l, "one")).isEmpty();
    }

    @Test
    void everyAddressOfEveryBlockIsInsideTheSubnetAndDistinct() {
        BlockLayout l = layout("172.16.0.0/20", 24);
        List<String> usable = allUsable(l, "n");
        Set<String> unique = new HashSet<>(usable);
        assertThat(unique).hasSize(4096 - 3);
        for (String ip : usable) {
            InetAddress a = IpAddresses.parse(ip);
            assertThat(l.subnet().contains(a)).isTrue();
        }
    }

    @Test
    void refusesBlocksTooLargeToStoreNamingTheSetting() {
        Cidr v4 = Cidr.parse("10.0.0.0/8");
        assertThatThrownBy(() -> BlockLayout.of(v4, 12, v4.firstHost()))
                .hasMessageContaining("ipv4BlockSize").hasMessageContaining("16 or more");
        Cidr v6 = Cidr.parse("fd00::/48");
        assertThatThrownBy(() -> BlockLayout.of(v6, 64, v6.firstHost()))
                .hasMessageContaining("ipv6BlockSize").hasMessageContaining("112 or more");
    }
}
