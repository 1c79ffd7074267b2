package io.drover.controllers.hostports;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.controllers.hostports.AutomaticPorts.Wanted;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import io.drover.model.pod.PodStatus.PublishedPort;
import java.util.List;
import org.junit.jupiter.api.Test;

class AutomaticPortsTest {

    private static Pod pod(String node, Boolean publishAll, PublishedPort... published) {
        PodSpec spec = new PodSpec(node, null, List.of("blue"), List.of(new PodPort("http", 80, null, null, null),
                new PodPort("dns", 53, "UDP", null, "fd00:0::1"), new PodPort("admin", 9000, null, 9000, null)), publishAll, null);
        return Pod.of(ObjectMeta.named("shop", "web"), spec)
                .withStatus(new PodStatus(PodStatus.ALLOCATED, List.of(), List.of(published), null));
    }

    @Test
    void thePortsWithoutHostPortOfAPlacedPodThatPublishesAll() {
        assertThat(AutomaticPorts.wanted(pod("node-1", true))).containsExactly(
                new Wanted("spec.ports[0]", 80, "TCP", null), new Wanted("spec.ports[1]", 53, "UDP", "fd00::1"));
        assertThat(AutomaticPorts.wanted(pod(null, true))).isEmpty();
        assertThat(AutomaticPorts.wanted(pod("node-1", null))).isEmpty();
    }

    @Test
    void satisfiedWhenTheStatusListsExactlyTheWantedPorts() {
        PublishedPort http = new PublishedPort(80, "TCP", 32768, null);
        PublishedPort dns = new PublishedPort(53, "UDP", 32768, "fd00::1");
        assertThat(AutomaticPorts.satisfied(pod("node-1", true, http, dns))).isTrue();
        assertThat(AutomaticPorts.satisfied(pod("node-1", true, http))).isFalse();
        assertThat(AutomaticPorts.satisfied(pod("node-1", true, http, new PublishedPort(53, "UDP", 32768, null))))
                .as("hostIP changed").isFalse();
        assertThat(AutomaticPorts.satisfied(pod("node-1", false, http))).as("no longer published").isFalse();
        assertThat(AutomaticPorts.satisfied(pod("node-1", false))).isTrue();
        assertThat(AutomaticPorts.changed(pod("node-1", true), pod("node-1", false))).isTrue();
        assertThat(AutomaticPorts.changed(pod("node-1", true), pod("node-1", true, http))).isFalse();
    }
}
