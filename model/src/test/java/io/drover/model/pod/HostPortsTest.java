package io.drover.model.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.meta.ObjectMeta;
import io.drover.model.pod.HostPorts.Published;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostPortsTest {

    private static final PodPort HTTP = new PodPort("http", 80, null, null, null);
    private static final PodPort DNS = new PodPort("dns", 53, "UDP", null, "10.0.0.1");
    private static final PodPort ADMIN = new PodPort("admin", 9000, null, 9001, null);

    private static Pod pod(Boolean publishAll, PodStatus status) {
        return Pod.of(ObjectMeta.named("shop", "web"), new PodSpec("node-1", null, List.of("blue"),
                List.of(HTTP, DNS, ADMIN), publishAll, null)).withStatus(status);
    }

    private static PodStatus assigned(PodStatus.PublishedPort... ports) {
        return new PodStatus(PodStatus.ALLOCATED, List.of(), List.of(ports), null);
    }

    @Test
    void explicitPortsAlwaysAndAutomaticOnesOnceAssigned() {
        assertThat(HostPorts.of(pod(true, null))).containsExactly(new Published(ADMIN, false));
        Pod published = pod(true, assigned(new PodStatus.PublishedPort(80, "TCP", 32768, null),
                new PodStatus.PublishedPort(53, "UDP", 32768, "10.0.0.1")));
        assertThat(HostPorts.of(published)).containsExactly(
                new Published(new PodPort("http", 80, null, 32768, null), true),
                new Published(new PodPort("dns", 53, "UDP", 32768, "10.0.0.1"), true),
                new Published(ADMIN, false));
    }

    @Test
    void anAssignmentTheSpecNoLongerAsksForIsIgnored() {
        PodStatus status = assigned(new PodStatus.PublishedPort(80, "TCP", 32768, null),
                new PodStatus.PublishedPort(81, "TCP", 32769, null), new PodStatus.PublishedPort(53, "TCP", 32770, null));
        // publishAllPorts turned off: only the explicit port.
        assertThat(HostPorts.ports(pod(false, status))).containsExactly(ADMIN);
        // 81 is not declared, 53 is declared as UDP only.
        assertThat(HostPorts.ports(pod(true, status))).containsExactly(new PodPort("http", 80, null, 32768, null), ADMIN);
    }
}
