package io.drover.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.cli.lab.LabE2ESupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drover server --with-agent}: the all-in-one server plumbs its own pods. The agent programs the namespace
 * the server runs in, so the server runs in a throwaway namespace ({@link ServerWithAgentProcess}), never in the one
 * the tests run in; the test talks to it from inside that namespace. Root only.
 */
class ServerWithAgentE2ETest {

    @TempDir
    Path data;

    private final LinuxKernel kernel = new LinuxKernel();
    private ServerWithAgentProcess server;

    @BeforeEach
    void throwawayNamespace() {
        Assumptions.assumeTrue(LabE2ESupport.rootWithTools(), "needs root with ip and nft: the agent programs a namespace");
        server = new ServerWithAgentProcess(kernel, data, "");
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            kernel.close();
        }
    }

    @Test
    void theServersOwnAgentPlumbsItsPodsInTheServersNamespace() throws Exception {
        server.start();
        String network = server.http("POST", "/apis/drover.io/v1/networks",
                "{\"kind\":\"Network\",\"apiVersion\":\"drover.io/v1\",\"metadata\":{\"name\":\"aio\"},\"spec\":{\"subnets\":[\"10.77.0.0/24\"]}}");
        assertThat(network).startsWith("HTTP/1.1 201");
        String created = server.http("POST", "/apis/drover.io/v1/namespaces/default/pods",
                "{\"kind\":\"Pod\",\"apiVersion\":\"drover.io/v1\",\"metadata\":{\"name\":\"p1\"},\"spec\":{\"node\":\""
                        + server.node() + "\",\"networks\":[\"aio\"]}}");
        assertThat(created).startsWith("HTTP/1.1 201");

        await().atMost(Duration.ofSeconds(30)).until(() -> !server.podNamespaces().isEmpty());
        NetNs pod = server.podNamespaces().getFirst();
        await().atMost(Duration.ofSeconds(30)).until(() -> addresses(pod).stream()
                .anyMatch(a -> a.ip().getHostAddress().startsWith("10.77.0.")));
        // The bridge is in the server's namespace: the agent programmed where it runs.
        assertThat(kernel.links(server.namespace())).anyMatch(l -> "bridge".equals(l.kind()));

        Process process = server.process();
        process.destroy(); // SIGTERM: graceful, the agent says its node is not ready any more
        assertThat(process.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(143);
    }

    private List<Address> addresses(NetNs pod) {
        try {
            return kernel.addresses(pod, "eth0");
        } catch (KernelException e) {
            return List.of();
        }
    }
}
