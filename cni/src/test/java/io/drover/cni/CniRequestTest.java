package io.drover.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.cni.CniRequest.PodRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** CNI_ARGS and the pod a CNI call is about. */
class CniRequestTest {

    private static CniRequest request(String containerId, Map<String, String> args) throws CniError {
        NetworkConfig config = NetworkConfig.parse(
                (ObjectNode) CniResultTest.JSON.readTree("{\"cniVersion\":\"1.0.0\",\"name\":\"t\"}"),
                CniVersion.V1_0_0);
        return new CniRequest(CniCommand.ADD, containerId, "/run/netns/x", "eth0", args, "/opt/cni/bin", config);
    }

    @Test
    void parsesKubernetesStyleArgs() throws CniError {
        Map<String, String> args = CniRequest.parseArgs(
                "IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-1;K8S_POD_INFRA_CONTAINER_ID=abc123");
        assertThat(args).containsExactly(Map.entry("IgnoreUnknown", "1"), Map.entry("K8S_POD_NAMESPACE", "shop"),
                Map.entry("K8S_POD_NAME", "web-1"), Map.entry("K8S_POD_INFRA_CONTAINER_ID", "abc123"));
    }

    @Test
    void emptyArgsAndEmptySegmentsAreNothing() throws CniError {
        assertThat(CniRequest.parseArgs(null)).isEmpty();
        assertThat(CniRequest.parseArgs("")).isEmpty();
        assertThat(CniRequest.parseArgs(";A=1;;B=;")).containsExactly(Map.entry("A", "1"), Map.entry("B", ""));
    }

    @Test
    void valuesMayContainEqualsAndLaterPairsWin() throws CniError {
        assertThat(CniRequest.parseArgs("A=x=y;A=z;B=c=d")).containsExactly(Map.entry("A", "z"),
                Map.entry("B", "c=d"));
    }

    @Test
    void aPairWithoutKeyOrEqualsIsAnInvalidVariable() {
        for (String bad : List.of("A", "A=1;B", "=1")) {
            assertThatThrownBy(() -> CniRequest.parseArgs(bad)).isInstanceOfSatisfying(CniError.class, e -> {
                assertThat(e.code()).isEqualTo(CniError.INVALID_ENVIRONMENT);
                assertThat(e.msg()).isEqualTo("invalid CNI_ARGS");
                assertThat(e.details()).startsWith("ARGS: invalid pair \"");
            });
        }
    }

    @Test
    void thePodComesFromCniArgsWhenBothNamesArePresent() throws CniError {
        CniRequest r = request("0123abcd", CniRequest.parseArgs("K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-1"));
        assertThat(r.pod()).isEqualTo(new PodRef("shop", "web-1", true));
    }

    @Test
    void elseThePodIsNamedAfterTheContainerInTheDefaultNamespace() throws CniError {
        assertThat(request("c1", Map.of()).pod()).isEqualTo(new PodRef("default", "c1", false));
        assertThat(request("c1", Map.of("K8S_POD_NAME", "web-1")).pod()).isEqualTo(new PodRef("default", "c1", false));
        String podmanId = "f3a1c9e5b7d2a4c6e8f0a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3"; // 64 hex digits
        PodRef p = request(podmanId, Map.of()).pod();
        assertThat(p.name()).isEqualTo(podmanId.substring(0, 63));
        assertThat(request("My_Container.1", Map.of()).pod().name()).isEqualTo("my-container-1");
        assertThat(request("_.-", Map.of()).pod().name()).isEqualTo("pod");
    }

    @Test
    void argsAreKeptInOrderAndUnmodifiable() throws CniError {
        CniRequest r = request("c1", CniRequest.parseArgs("B=2;A=1"));
        assertThat(r.args().keySet()).containsExactly("B", "A");
        assertThatThrownBy(() -> r.args().put("C", "3")).isInstanceOf(UnsupportedOperationException.class);
    }
}
