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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private String suffix;
    private String namespace;
    private Process server;
    private ServerSocket listener;

    @BeforeEach
    void throwawayNamespace() {
        Assumptions.assumeTrue(LabE2ESupport.rootWithTools(), "needs root with ip and nft: the agent programs a namespace");
        suffix = ProcessHandle.current().pid() + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
        namespace = "drvt-srvhc-" + suffix;
        kernel.setUp(kernel.createNamespace(namespace), "lo", true);
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (listener != null) {
                listener.close();
            }
            if (server != null) {
                server.destroy();
                if (!server.waitFor(15, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
            if (namespace != null) {
                try (var files = Files.list(Path.of("/run/netns"))) {
                    for (String ns : files.map(f -> f.getFileName().toString()).toList()) {
                        if (ns.equals(namespace) || ns.startsWith(podPrefix())) {
                            deleteQuietly(ns);
                        }
                    }
                }
            }
        } finally {
            kernel.close();
        }
    }

    private String node() {
        return "drvt-hc-" + suffix;
    }

    private String podPrefix() {
        return "drover-" + node() + "-p-";
    }

    @Test
    void theServersOwnAgentChecksItsPodsAndReportsTheirHealth() throws Exception {
        Path urlFile = data.resolve("url");
        String java = ProcessHandle.current().info().command().orElseThrow();
        server = new ProcessBuilder("ip", "netns", "exec", namespace, java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "-DDROVER_LOG_LEVEL=WARN", "io.drover.cli.Main", "server",
                "--data", data.resolve("store").toString(), "--listen", "127.0.0.1:0", "--url-file", urlFile.toString(),
                "--with-agent", "--node", node())
                .redirectErrorStream(true).redirectOutput(data.resolve("server.log").toFile()).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(urlFile) || !server.isAlive());
        assertThat(server.isAlive()).as("server log: " + Files.readString(data.resolve("server.log"))).isTrue();
        int port = Integer.parseInt(Files.readString(urlFile).trim().replaceAll(".*:", ""));
        NetNs ns = NetNs.named(namespace);
        await().atMost(Duration.ofSeconds(30)).until(() -> http(ns, port, "GET", "/apis/drover.io/v1/nodes/" + node(), null)
                .contains("\"ready\":true"));

        assertThat(http(ns, port, "POST", "/apis/drover.io/v1/networks", "{\"kind\":\"Network\",\"apiVersion\":\"drover.io/v1\","
                + "\"metadata\":{\"name\":\"aio\"},\"spec\":{\"subnets\":[\"10.78.0.0/24\"]}}")).startsWith("HTTP/1.1 201");
        for (String pod : List.of("web-1", "web-2")) {
            assertThat(http(ns, port, "POST", "/apis/drover.io/v1/namespaces/default/pods", "{\"kind\":\"Pod\","
                    + "\"apiVersion\":\"drover.io/v1\",\"metadata\":{\"name\":\"" + pod + "\",\"labels\":{\"app\":\"web\"}},"
                    + "\"spec\":{\"node\":\"" + node() + "\",\"networks\":[\"aio\"]}}")).startsWith("HTTP/1.1 201");
        }
        // The pod namespaces are mounted in the server's mount namespace (see ServerWithAgentE2ETest).
        Path serverNetns = Path.of("/proc", Long.toString(server.pid()), "root", "run", "netns");
        await().atMost(Duration.ofSeconds(30)).until(() -> podNamespaces(serverNetns).size() == 2
                && podNamespaces(serverNetns).stream().allMatch(p -> address(p).isPresent()));
        NetNs serving = podNamespaces(serverNetns).getFirst();
        String servingIp = address(serving).orElseThrow();
        listener = kernel.inNamespace(serving, () -> new ServerSocket(8080, 16, InetAddress.ofLiteral(servingIp)));

        assertThat(http(ns, port, "POST", "/api/v1/namespaces/default/services", "{\"kind\":\"Service\",\"apiVersion\":\"v1\","
                + "\"metadata\":{\"name\":\"web\"},\"spec\":{\"selector\":{\"app\":\"web\"},\"ports\":[{\"port\":80,"
                + "\"targetPort\":8080}],\"healthCheck\":{\"tcp\":{\"port\":8080},\"intervalSeconds\":2,\"timeoutSeconds\":1,"
                + "\"successThreshold\":1,\"failureThreshold\":1}}}")).startsWith("HTTP/1.1 201");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ServiceEndpoint> endpoints = endpoints(ns, port).endpoints();
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

    private ServiceEndpoints endpoints(NetNs ns, int port) throws IOException {
        String response = http(ns, port, "GET", "/apis/drover.io/v1/namespaces/default/serviceendpoints/web", null);
        assertThat(response).startsWith("HTTP/1.1 200");
        return ResourceCodec.json().readValue(response.substring(response.indexOf("\r\n\r\n") + 4), ServiceEndpoints.class);
    }

    private List<NetNs> podNamespaces(Path netnsDir) throws IOException {
        try (var files = Files.list(netnsDir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(podPrefix())).sorted().map(NetNs::new).toList();
        }
    }

    private Optional<String> address(NetNs pod) {
        try {
            return kernel.addresses(pod, "eth0").stream().map(Address::ip).map(InetAddress::getHostAddress)
                    .filter(ip -> ip.startsWith("10.78.0.")).findFirst();
        } catch (KernelException e) {
            return Optional.empty();
        }
    }

    /** A minimal HTTP/1.1 exchange over a socket opened inside the namespace, where the server listens. */
    private String http(NetNs ns, int port, String method, String path, String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        try (SocketChannel channel = kernel.inNamespace(ns, () -> SocketChannel.open(new InetSocketAddress("127.0.0.1", port)))) {
            String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n") + "\r\n";
            channel.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.UTF_8)));
            channel.write(ByteBuffer.wrap(content));
            channel.socket().setSoTimeout(10_000);
            InputStream in = channel.socket().getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            int headerEnd = -1;
            int length = -1;
            while (headerEnd < 0 || response.size() < headerEnd + length) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                response.write(b);
                if (headerEnd < 0 && response.size() >= 4) {
                    String text = response.toString(StandardCharsets.ISO_8859_1);
                    if (text.endsWith("\r\n\r\n")) {
                        headerEnd = text.length();
                        Matcher m = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(text);
                        length = m.find() ? Integer.parseInt(m.group(1)) : 0;
                    }
                }
            }
            return response.toString(StandardCharsets.UTF_8);
        }
    }

    private void deleteQuietly(String ns) {
        try {
            kernel.deleteNamespace(ns);
        } catch (KernelException e) {
            if (e.errno() != KernelException.ENOENT) {
                throw e;
            }
        }
    }
}
