package io.drover.controllers.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.codec.ResourceCodec;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class AllocationBlockTest {

    private final BlockLayout layout = BlockLayout.of(Cidr.parse("10.1.0.0/29"), 26, IpAddresses.parse("10.1.0.1"));
    private final AllocationBlock fresh = layout.newBlock("blue", layout.block(BigInteger.ZERO), "node-1");

    @Test
    void aNewBlockOffersEveryOrdinalButTheReservedOnes() {
        assertThat(fresh.cidr()).isEqualTo("10.1.0.0/29");
        assertThat(fresh.reserved()).containsExactly(0, 1, 7);
        assertThat(fresh.unallocated()).containsExactly(2, 3, 4, 5, 6);
        assertThat(fresh.freeCount()).isEqualTo(5);
        assertThat(fresh.allocatedCount()).isZero();
    }

    @Test
    void allocatesInOrderAndAReleasedAddressComesBackLast() {
        AllocationBlock b = fresh.allocate("pod:a:eth0").allocate("pod:b:eth0").allocate("pod:c:eth0");
        assertThat(b.allocations()).containsEntry(2, "pod:a:eth0").containsEntry(3, "pod:b:eth0").containsEntry(4, "pod:c:eth0");
        b = b.release("pod:b:eth0");
        assertThat(b.holds("pod:b:eth0")).isFalse();
        assertThat(b.unallocated()).containsExactly(5, 6, 3);
        assertThat(b.nextFree()).hasValue(5);
        assertThat(b.release("pod:nobody:eth0")).isSameAs(b);
    }

    @Test
    void refusesToAllocateFromAFullBlock() {
        AllocationBlock b = fresh;
        for (int i = 0; i < 5; i++) {
            b = b.allocate("pod:p" + i + ":eth0");
        }
        assertThat(b.freeCount()).isZero();
        assertThat(b.nextFree()).isEmpty();
        AllocationBlock full = b;
        assertThatThrownBy(() -> full.allocate("pod:x:eth0")).hasMessageContaining("is full");
    }

    @Test
    void unallocateRestoresTheExactPreviousState() {
        AllocationBlock b = fresh.allocate("pod:a:eth0");
        assertThat(b.unallocate(2)).isEqualTo(fresh);
    }

    @Test
    void survivesAJsonRoundTripWithTheStrictCodec() {
        AllocationBlock b = fresh.allocate("pod:a:eth0").allocate("container:abc:eth1").release("pod:a:eth0");
        byte[] json = ResourceCodec.toJson(b);
        assertThat(ResourceCodec.fromJson(json, AllocationBlock.class)).isEqualTo(b);
        assertThat(new String(json)).doesNotContain("freeCount").doesNotContain("prefix");
    }

    @Test
    void mapsOrdinalsToAddressesAndBack() {
        assertThat(IpAddresses.format(fresh.address(6))).isEqualTo("10.1.0.6");
        assertThat(fresh.ordinalOf(IpAddresses.parse("10.1.0.6"))).isEqualTo(6);
    }
}
