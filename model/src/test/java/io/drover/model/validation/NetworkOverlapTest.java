package io.drover.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.meta.ObjectMeta;
import io.drover.model.net.Cidr;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.validation.NetworkOverlap.Overlap;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkOverlapTest {

    private static Network network(String name, String... subnets) {
        return Network.of(ObjectMeta.named(name), NetworkSpec.of(subnets));
    }

    @Test
    void findsTheOverlapWithAnotherNetworkAndWordsIt() {
        Network red = network("red", "10.10.128.0/17");
        Overlap overlap = NetworkOverlap.find(network("blue", "10.10.0.0/16"), List.of(red)).orElseThrow();
        assertThat(overlap).isEqualTo(new Overlap("red", Cidr.parse("10.10.128.0/17"), Cidr.parse("10.10.0.0/16"), 0));
        assertThat(overlap.field()).isEqualTo("spec.subnets[0]");
        assertThat(overlap.message())
                .isEqualTo("10.10.0.0/16 overlaps 10.10.128.0/17 of network red; choose a range no other network uses");
    }

    @Test
    void namesTheCandidatesSubnetIndex() {
        Network green = network("green", "192.168.0.0/24", "fd00:20::/64");
        Overlap overlap = NetworkOverlap.find(network("blue", "10.10.0.0/16", "fd00:20:0:0:1::/80"), List.of(green)).orElseThrow();
        assertThat(overlap.field()).isEqualTo("spec.subnets[1]");
        assertThat(overlap.existingSubnet()).hasToString("fd00:20::/64");
    }

    @Test
    void disjointAndOtherFamilyDoNotOverlap() {
        assertThat(NetworkOverlap.find(network("blue", "10.10.0.0/16", "fd00:10::/64"),
                List.of(network("red", "10.11.0.0/16", "fd00:11::/64"), network("v6", "fd00:12::/64")))).isEmpty();
        assertThat(NetworkOverlap.find(network("blue", "10.10.0.0/16"), List.of())).isEmpty();
    }

    @Test
    void theNetworkBeingReplacedIsSkipped() {
        assertThat(NetworkOverlap.find(network("blue", "10.10.0.0/16"), List.of(network("blue", "10.10.0.0/16")))).isEmpty();
    }

    @Test
    void reportsTheFirstOverlapInTheGivenOrder() {
        List<Network> existing = List.of(network("a", "172.16.0.0/12"), network("b", "10.0.0.0/8"), network("c", "10.10.0.0/24"));
        assertThat(NetworkOverlap.find(network("blue", "10.10.0.0/16"), existing).map(Overlap::network)).contains("b");
    }

    @Test
    void unreadableSubnetsAreLeftToValidation() {
        assertThat(NetworkOverlap.find(network("blue", "10.10.0.1/16", "10.20.0.0/16"),
                List.of(network("red", "bogus", "10.20.5.0/24")))).map(Overlap::field).contains("spec.subnets[1]");
        assertThat(NetworkOverlap.find(network("blue", "10.10.0.0/16"),
                List.of(Network.of(ObjectMeta.named("broken"), null)))).isEmpty();
    }
}
