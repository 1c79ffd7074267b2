package io.drover.agent.rules;

import static io.drover.agent.rules.RulesFixtures.port;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.meta.ObjectMeta;
import io.drover.model.net.IpAddresses;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import io.drover.model.pod.PodStatus.PodAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishedPortsTest {

    private static final List<PodPort> PORTS = List.of(
            new PodPort("http", 80, "TCP", 8080, null),
            new PodPort("dns", 53, "UDP", 5353, "192.168.1.5"),
            new PodPort("metrics", 9100, null, null, null));

    @Test
    void aDualStackPodPublishesEachPortInEachFamilyItsHostAddressAllows() {
        List<PublishedPort> ports = PublishedPorts.of("shop/web-1", PORTS,
                List.of(IpAddresses.parse("10.10.0.7"), IpAddresses.parse("fd00:10::7")));

        assertThat(ports).containsExactly(
                port(null, 8080, "TCP", "10.10.0.7", 80, "shop/web-1"),
                port(null, 8080, "TCP", "fd00:10::7", 80, "shop/web-1"),
                port("192.168.1.5", 5353, "UDP", "10.10.0.7", 53, "shop/web-1"));
    }

    @Test
    void theUnspecifiedHostAddressLimitsThePortToItsFamilyAsDockerDoes() {
        List<PodPort> ports = List.of(new PodPort("a", 80, "TCP", 8080, "0.0.0.0"), new PodPort("b", 81, "TCP", 8081, "::"));

        assertThat(PublishedPorts.of("x/y", ports, List.of(IpAddresses.parse("10.10.0.7"), IpAddresses.parse("fd00:10::7"))))
                .containsExactly(port(null, 8080, "TCP", "10.10.0.7", 80, "x/y"), port(null, 8081, "TCP", "fd00:10::7", 81, "x/y"));
    }

    @Test
    void aPodOnTwoNetworksPublishesThroughItsFirst() {
        Pod pod = Pod.of(ObjectMeta.named("shop", "web-1"), new PodSpec("node-1", null, List.of("blue", "red"), PORTS, null))
                .withStatus(new PodStatus(PodStatus.ALLOCATED, List.of(
                        new PodAddress("blue", "eth0", "10.10.0.7", 16, "10.10.0.1"),
                        new PodAddress("red", "eth1", "10.20.0.7", 16, "10.20.0.1")), null));

        assertThat(PublishedPorts.of(pod)).containsExactly(
                port(null, 8080, "TCP", "10.10.0.7", 80, "shop/web-1"),
                port("192.168.1.5", 5353, "UDP", "10.10.0.7", 53, "shop/web-1"));
    }

    @Test
    void hostModeAndUnaddressedPodsPublishNothingThroughDnat() {
        Pod host = Pod.of(ObjectMeta.named("shop", "h"), new PodSpec("node-1", "host", List.of(), PORTS, null));
        Pod pending = Pod.of(ObjectMeta.named("shop", "p"), new PodSpec("node-1", null, List.of("blue"), PORTS, null));

        assertThat(PublishedPorts.of(host)).isEmpty();
        assertThat(PublishedPorts.of(pending)).isEmpty();
    }

    @Test
    void withPublishAllPortsThePortsWithoutHostPortArePublishedOnTheirAssignedHostPorts() {
        Pod pod = Pod.of(ObjectMeta.named("shop", "web-1"), new PodSpec("node-1", null, List.of("blue"), PORTS, true, null))
                .withStatus(new PodStatus(PodStatus.ALLOCATED, List.of(new PodAddress("blue", "eth0", "10.10.0.7", 16, null),
                        new PodAddress("blue", "eth0", "fd00:10::7", 64, null)),
                        List.of(new PodStatus.PublishedPort(9100, "TCP", 32768, null)), null));

        assertThat(PublishedPorts.of(pod)).containsExactly(
                port(null, 8080, "TCP", "10.10.0.7", 80, "shop/web-1"),
                port(null, 8080, "TCP", "fd00:10::7", 80, "shop/web-1"),
                port("192.168.1.5", 5353, "UDP", "10.10.0.7", 53, "shop/web-1"),
                port(null, 32768, "TCP", "10.10.0.7", 9100, "shop/web-1"),
                port(null, 32768, "TCP", "fd00:10::7", 9100, "shop/web-1"));
        // Not assigned yet, or no longer asked for: only the declared host ports.
        assertThat(PublishedPorts.of(pod.withStatus(new PodStatus(PodStatus.ALLOCATED, pod.status().addresses(), null))))
                .hasSize(3);
        Pod off = Pod.of(pod.metadata(), new PodSpec("node-1", null, List.of("blue"), PORTS, false, null)).withStatus(pod.status());
        assertThat(PublishedPorts.of(off)).hasSize(3);
    }
}
