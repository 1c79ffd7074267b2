package io.drover.controllers.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.controllers.ipam.PodAttachments.Attachment;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import io.drover.model.pod.PodStatus.PodAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodAttachmentsTest {

    private static Pod pod(PodSpec spec, PodStatus status) {
        return new Pod(null, null, new ObjectMeta("p", "default", Map.of(), Map.of(), "uid-1", "5", null), spec, status);
    }

    @Test
    void bridgePodsOnANodeGetOneInterfacePerNetworkInOrder() {
        assertThat(PodAttachments.desired(pod(PodSpec.on("n1", "blue", "red"), null)))
                .containsExactly(new Attachment("blue", "eth0"), new Attachment("red", "eth1"));
        assertThat(PodAttachments.desired(pod(new PodSpec(null, null, List.of("blue"), null, null), null))).isEmpty();
        assertThat(PodAttachments.desired(pod(new PodSpec("n1", "host", List.of("blue"), null, null), null))).isEmpty();
        assertThat(PodAttachments.desired(pod(new PodSpec("n1", "none", List.of(), null, null), null))).isEmpty();
        assertThat(new Attachment("blue", "eth0").handle("uid-1")).hasToString("pod:uid-1:eth0");
    }

    @Test
    void aPodIsDoneWhenItsStatusCoversExactlyItsInterfaces() {
        PodSpec spec = PodSpec.on("n1", "blue", "red");
        PodAddress blue = new PodAddress("blue", "eth0", "10.0.0.2", 24, "10.0.0.1");
        PodAddress red4 = new PodAddress("red", "eth1", "10.1.0.2", 24, "10.1.0.1");
        PodAddress red6 = new PodAddress("red", "eth1", "fd00::2", 64, "fd00::1");
        assertThat(PodAttachments.looksDone(pod(spec, new PodStatus(PodStatus.ALLOCATED, List.of(blue, red4, red6), null)))).isTrue();
        assertThat(PodAttachments.looksDone(pod(spec, new PodStatus(PodStatus.ALLOCATED, List.of(blue), null)))).isFalse();
        assertThat(PodAttachments.looksDone(pod(spec, new PodStatus(PodStatus.FAILED, List.of(), "no")))).isFalse();
        assertThat(PodAttachments.failed(pod(spec, new PodStatus(PodStatus.FAILED, List.of(), "no")))).isTrue();
        assertThat(PodAttachments.looksDone(pod(spec, null))).isFalse();
        assertThat(PodAttachments.looksDone(pod(new PodSpec(null, null, List.of("blue"), null, null), null))).isTrue();
    }

    @Test
    void onlyChangesToWhatIpamReadsCount() {
        Pod before = pod(PodSpec.on("n1", "blue"), null);
        Pod relabelled = new Pod(null, null, before.metadata().withLabels(Map.of("a", "b")), before.spec(), null);
        assertThat(PodAttachments.ipamSpecChanged(before, relabelled)).isFalse();
        assertThat(PodAttachments.ipamSpecChanged(before, pod(PodSpec.on("n2", "blue"), null))).isTrue();
        assertThat(PodAttachments.ipamSpecChanged(pod(new PodSpec(null, null, List.of("blue"), null, null), null), before)).isTrue();
    }
}
