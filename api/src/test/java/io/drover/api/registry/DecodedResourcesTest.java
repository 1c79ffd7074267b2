package io.drover.api.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.codec.ResourceCodec;
import io.drover.model.network.Network;
import io.drover.store.KeyValue;
import org.junit.jupiter.api.Test;

class DecodedResourcesTest {

    private static final ResourceKind NETWORK = RegistryFixture.network("blue", "10.1.0.0/16").resourceKind();
    private final DecodedResources decoded = new DecodedResources(2);

    private static KeyValue stored(String key, long revision, String subnet) {
        return new KeyValue(key, ResourceCodec.toJson(RegistryFixture.network("blue", subnet)), 1, revision, 1, 0);
    }

    private static String subnetOf(Resource r) {
        return ((Network) r).spec().cidrs().getFirst().toString();
    }

    @Test
    void theSameRevisionIsDecodedOnceAndSharedWithItsResourceVersion() {
        Resource first = decoded.decode(stored("/n/blue", 5, "10.1.0.0/16"), NETWORK);
        Resource again = decoded.decode(stored("/n/blue", 5, "10.1.0.0/16"), NETWORK);

        assertThat(again).isSameAs(first);
        assertThat(first.metadata().resourceVersion()).isEqualTo("5");
    }

    @Test
    void aNewRevisionIsDecodedAfreshAndAnOlderOneDoesNotReplaceIt() {
        decoded.decode(stored("/n/blue", 5, "10.1.0.0/16"), NETWORK);
        Resource newer = decoded.decode(stored("/n/blue", 9, "10.2.0.0/16"), NETWORK);
        Resource older = decoded.decode(stored("/n/blue", 5, "10.1.0.0/16"), NETWORK); // a watch's previous value

        assertThat(subnetOf(newer)).isEqualTo("10.2.0.0/16");
        assertThat(newer.metadata().resourceVersion()).isEqualTo("9");
        assertThat(subnetOf(older)).isEqualTo("10.1.0.0/16");
        assertThat(decoded.decode(stored("/n/blue", 9, "10.2.0.0/16"), NETWORK)).isSameAs(newer);
    }

    @Test
    void pastItsCapacityItForgetsAndDecodesAgainCorrectly() {
        Resource a = decoded.decode(stored("/n/a", 1, "10.1.0.0/16"), NETWORK);
        decoded.decode(stored("/n/b", 2, "10.2.0.0/16"), NETWORK);
        decoded.decode(stored("/n/c", 3, "10.3.0.0/16"), NETWORK);

        Resource aAgain = decoded.decode(stored("/n/a", 1, "10.1.0.0/16"), NETWORK);
        assertThat(aAgain).isNotSameAs(a).isEqualTo(a);
    }
}
