package io.drover.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.cli.lab.LabE2ESupport;
import io.drover.model.codec.ResourceCodec;
import io.drover.model.service.EndpointHealth;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drover server --with-agent} runs its services' health checks: two pods behind a service with a tcp check,
 * one of them listening on the checked port, and the endpoints the server serves say which passes and which fails,
 * with the check's output. As {@link ServerWithAgentE2ETest}, the server runs in a throwaway namespace
 * ({@code ip netns exec}), and the test reaches it, and the pods, from inside. Root only.
 */
class ServerWithAgentHealthChecksE2ETest {

    @TempDir
    Path data;

    private final LinuxKernel kernel = new LinuxKernel();
    private ServerWithAgentProcess server;
    private ServerSocket listener;

    @BeforeEach
    void throwawayNamespace() {
        Assumptions.assumeTrue(LabE2ESupport.rootWithTools(), "needs root with ip and nft: the agent programs a namespace");
        server = new ServerWithAgentProcess(kernel, data, "hc");
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (listener != null) {
                listener.close();
            }
            if (server != null) {
                server.close();
            }
        } finally {
            kernel.close();
        }
    }

    @Test
    void theServersOwnAgentChecksItsPodsAndReportsTheirHealth() throws Exception {
        server.start();

        assertThat(server.http("POST", "/apis/drover.io/v1/networks", "{\"kind\":\"Network\",\"apiVersion\":\"drover.io/v1\","
                + "\"metadata\":{\"name\":\"aio\"},\"spec\":{\"subnets\":[\"10.78.0.0/24\"]}}")).startsWith("HTTP/1.1 201");
        for (String pod : List.of("web-1", "web-2")) {
            assertThat(server.http("POST", "/apis/drover.io/v1/namespaces/default/pods", "{\"kind\":\"Pod\","
                    + "\"apiVersion\":\"drover.io/v1\",\"metadata\":{\"name\":\"" + pod + "\",\"labels\":{\"app\":\"web\"}},"
                    + "\"spec\":{\"node\":\"" + server.node() + "\",\"networks\":[\"aio\"]}}")).startsWith("HTTP/1.1 201");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> server.podNamespaces().size() == 2
                && server.podNamespaces().stream().allMatch(p -> address(p).isPresent()));
        NetNs serving = server.podNamespaces().getFirst();
        String servingIp = address(serving).orElseThrow();
        listener = kernel.inNamespace(serving, () -> new ServerSocket(8080, 16, InetAddress.ofLiteral(servingIp)));

        assertThat(server.http("POST", "/api/v1/namespaces/default/services", "{\"kind\":\"Service\",\"apiVersion\":\"v1\","
                + "\"metadata\":{\"name\":\"web\"},\"spec\":{\"selector\":{\"app\":\"web\"},\"ports\":[{\"port\":80,"
                + "\"targetPort\":8080}],\"healthCheck\":{\"tcp\":{\"port\":8080},\"intervalSeconds\":2,\"timeoutSeconds\":1,"
                + "\"successThreshold\":1,\"failureThreshold\":1}}}")).startsWith("HTTP/1.1 201");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ServiceEndpoint> endpoints = endpoints().endpoints();
            assertThat(endpoints).hasSize(2);
            for (ServiceEndpoint e : endpoints) {
                assertThat(e.health()).isNotNull();
                if (e.address().equals(servingIp)) {
                    assertThat(e.health().status()).isEqualTo(EndpointHealth.PASSING);
                    assertThat(e.health().output()).isEqualTo("connected to " + servingIp + ":8080");
                    assertThat(e.readyForTraffic()).isTrue();
                } else {
                    assertThat(e.health().status()).isEqualTo(EndpointHealth.FAILING);
                    assertThat(e.health().output()).isEqualTo("connect to " + e.address() + ":8080: Connection refused");
                    assertThat(e.reason()).startsWith("health check failing");
                    assertThat(e.readyForTraffic()).isFalse();
                }
                assertThat(e.health().checkedAt()).isNotNull();
            }
        });
    }

    private ServiceEndpoints endpoints() throws IOException {
        String response = server.http("GET", "/apis/drover.io/v1/namespaces/default/serviceendpoints/web", null);
        assertThat(response).startsWith("HTTP/1.1 200");
        return ResourceCodec.json().readValue(response.substring(response.indexOf("\r\n\r\n") + 4), ServiceEndpoints.class);
    }

    private Optional<String> address(NetNs pod) {
        try {
            return kernel.addresses(pod, "eth0").stream().map(Address::ip).map(InetAddress::getHostAddress)
                    .filter(ip -> ip.startsWith("10.78.0.")).findFirst();
        } catch (KernelException e) {
            return Optional.empty();
        }
    }
}
