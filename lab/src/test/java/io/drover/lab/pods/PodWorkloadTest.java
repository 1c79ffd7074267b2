package io.drover.lab.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.lab.echo.EchoPort;
import io.drover.lab.net.Protocol;
import io.drover.lab.runtime.LabNames;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodWorkloadTest {

    private final LabNames names = LabNames.of("demo");

    private static Pod pod(String name, String mode, List<PodPort> ports, List<String> command) {
        return Pod.of(ObjectMeta.named("shop", name).withServerFields("uid-" + name, "1", null),
                new PodSpec("node-1", mode, List.of(), ports, command));
    }

    @Test
    void aPodWithPortsRunsTheEchoServerInItsNamespace() {
        PodWorkload w = PodWorkload.of(names, "node-1", pod("web", null,
                List.of(new PodPort("http", 80, null, null, null), new PodPort("dns", 53, "UDP", null, null)), List.of()))
                .orElseThrow();
        assertThat(w.pod()).isEqualTo("shop/web");
        assertThat(w.runsCommand()).isFalse();
        assertThat(w.ports()).containsExactly(new EchoPort(80, Protocol.TCP), new EchoPort(53, Protocol.UDP));
        assertThat(w.namespace()).isEqualTo(names.podNamespace("shop", "web"));
    }

    @Test
    void aPodWithACommandRunsItAndAContainerModePodRunsInTheOtherPodsNamespace() {
        PodWorkload w = PodWorkload.of(names, "node-1", pod("tool", "container:web", List.of(), List.of("sleep", "60")))
                .orElseThrow();
        assertThat(w.runsCommand()).isTrue();
        assertThat(w.namespace()).isEqualTo(names.podNamespace("shop", "web"));
        assertThat(w.role()).isEqualTo("pod.node-1.shop.tool");
    }

    @Test
    void aPodWithNothingToRunHasNoWorkload() {
        assertThat(PodWorkload.of(names, "node-1", pod("idle", null, List.of(), List.of()))).isEmpty();
    }

    @Test
    void longNamesGiveAHashedRoleThatStillNamesTheNode() {
        Pod longOne = pod("p".repeat(70), null, List.of(), List.of("true"));
        String role = PodWorkload.roleOf(names, "node-12", longOne);
        assertThat(role).startsWith("pod.node-12.").matches("[a-z0-9][a-z0-9.-]{0,62}");
        String podNamespace = names.podNamespace("shop", "p".repeat(70));
        assertThat(role).endsWith(podNamespace.substring(podNamespace.lastIndexOf('-') + 1));
    }

    @Test
    void aChangedPodIsADifferentWorkload() {
        List<PodPort> http = List.of(new PodPort("http", 80, null, null, null));
        PodWorkload a = PodWorkload.of(names, "node-1", pod("web", null, http, List.of())).orElseThrow();
        PodWorkload same = PodWorkload.of(names, "node-1", pod("web", null, http, List.of())).orElseThrow();
        PodWorkload more = PodWorkload.of(names, "node-1", pod("web", null,
                List.of(new PodPort("http", 80, null, null, null), new PodPort("x", 81, null, null, null)), List.of()))
                .orElseThrow();
        assertThat(a).isEqualTo(same).isNotEqualTo(more);
    }
}
