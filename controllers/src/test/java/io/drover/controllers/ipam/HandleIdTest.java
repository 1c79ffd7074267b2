package io.drover.controllers.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.codec.ResourceCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandleIdTest {

    @Test
    void roundTripsThroughItsStringForm() {
        HandleId pod = HandleId.forPod("6f1c2d3e-0000-4000-8000-000000000001", "eth0");
        assertThat(pod).hasToString("pod:6f1c2d3e-0000-4000-8000-000000000001:eth0");
        assertThat(HandleId.parse(pod.toString())).isEqualTo(pod);
        HandleId container = HandleId.forContainer("9a8b7c", "net1.100");
        assertThat(HandleId.parse("container:9a8b7c:net1.100")).isEqualTo(container);
    }

    @Test
    void refusesWhatWouldBreakItsStoreKey() {
        assertThatThrownBy(() -> HandleId.forPod("a/b", "eth0")).hasMessageContaining("'/'");
        assertThatThrownBy(() -> HandleId.forPod("a:b", "eth0")).hasMessageContaining("':'");
        assertThatThrownBy(() -> HandleId.forPod("uid", "")).hasMessageContaining("empty");
        assertThatThrownBy(() -> HandleId.forContainer("id", "eth 0")).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> HandleId.parse("vm:x:eth0")).hasMessageContaining("unknown owner type 'vm'");
        assertThatThrownBy(() -> HandleId.parse("pod:x")).hasMessageContaining("expected pod:<uid>:<interface>");
    }

    @Test
    void handleRecordsSurviveAJsonRoundTrip() {
        HandleRecord r = new HandleRecord("pod:u1:eth0", HandleId.OwnerType.POD, "u1", "eth0", "blue", "node-1",
                List.of(new HandleRecord.Address("10.0.0.5", 16, "10.0.0.1", "/drover/ipam/blocks/blue/10.0.0.0-26")));
        assertThat(ResourceCodec.fromJson(ResourceCodec.toJson(r), HandleRecord.class)).isEqualTo(r);
        assertThat(r.id()).isEqualTo(HandleId.forPod("u1", "eth0"));
        assertThat(r.allocated()).containsExactly(new AllocatedAddress("blue", "10.0.0.5", 16, "10.0.0.1"));
    }
}
