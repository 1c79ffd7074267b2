package io.drover.lab.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.agent.kernel.NetNs;
import io.drover.lab.net.Protocol;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProbeTargetTest {

    @Test
    void aPodBecomesATargetWithItsStatusAddresses() {
        Pod pod = Pod.of(new ObjectMeta("web-1", "shop", null, null, null, null, null), PodSpec.on("node-1", "blue"))
                .withStatus(new PodStatus(PodStatus.ALLOCATED, List.of(
                        new PodStatus.PodAddress("blue", "eth0", "fd00:10::7", 64, null),
                        new PodStatus.PodAddress("blue", "eth0", "10.10.0.7", 16, "10.10.0.1")), null));
        ProbeTarget target = ProbeTarget.of(pod, NetNs.named("drl-demo-p-0123456789"));
        assertThat(target.key()).isEqualTo("shop/web-1");
        assertThat(target.namespace()).isEqualTo("shop");
        assertThat(target.name()).isEqualTo("web-1");
        assertThat(target.address(null)).contains(IpAddresses.parse("fd00:10::7"));
        assertThat(target.address(IpFamily.IPV4)).contains(IpAddresses.parse("10.10.0.7"));

        ProbeTarget unaddressed = ProbeTarget.of(pod.withStatus(null), NetNs.SELF);
        assertThat(unaddressed.address(null)).isEmpty();
    }

    @Test
    void keysMustBeNamespaceSlashPod() {
        for (String bad : List.of("web", "/web", "shop/", "a/b/c", "shop/web 1")) {
            assertThatThrownBy(() -> new ProbeTarget(bad, NetNs.SELF, List.of())).as(bad)
                    .hasMessageContaining("is not <namespace>/<pod>");
        }
    }

    @Test
    void optionsAreChecked() {
        ProbeOptions defaults = ProbeOptions.defaults();
        assertThat(defaults.ports()).containsExactly(80);
        assertThat(defaults.protocols()).containsExactly(Protocol.TCP);
        assertThat(defaults.withPorts(List.of(80, 81, 80)).ports()).containsExactly(80, 81);
        assertThat(defaults.withNamespaces(Set.of("x")).namespaces()).containsExactly("x");
        assertThatThrownBy(() -> defaults.withPorts(List.of())).hasMessageContaining("at least one port");
        assertThatThrownBy(() -> defaults.withPorts(List.of(0))).hasMessageContaining("outside 1-65535");
        assertThatThrownBy(() -> defaults.withTimeout(Duration.ZERO)).hasMessageContaining("positive");
        assertThatThrownBy(() -> defaults.withParallelism(0)).hasMessageContaining("at least 1");
    }
}
