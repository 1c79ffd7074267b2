package io.drover.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.cli.lab.LabE2ESupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * {@code drover server --with-agent}: the all-in-one server plumbs its own pods. The agent programs the namespace
 * the server runs in, so the server runs in a throwaway namespace ({@code ip netns exec}), never in the one the
 * tests run in; the test talks to it from inside that namespace. Root only.
 */
class ServerWithAgentE2ETest {

    @TempDir
    Path data;

    private final LinuxKernel kernel = new LinuxKernel();
    private String suffix;
    private String namespace;
    private Process server;

    @BeforeEach
    void throwawayNamespace() {
        Assumptions.assumeTrue(LabE2ESupport.rootWithTools(), "needs root with ip and nft: the agent programs a namespace");
        suffix = ProcessHandle.current().pid() + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
        namespace = "drvt-srv-" + suffix;
        kernel.setUp(kernel.createNamespace(namespace), "lo", true);
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (server != null) {
                server.destroy();
                if (!server.waitFor(15, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
            if (namespace != null) {
                // The server's pod namespaces died with its mount namespace; their empty files under /run/netns remain.
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
        return "drvt-" + suffix;
    }

    private String podPrefix() {
        return "drover-" + node() + "-p-";
    }

    @Test
    void theServersOwnAgentPlumbsItsPodsInTheServersNamespace() throws Exception {
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
        String network = http(ns, port, "POST", "/apis/drover.io/v1/networks",
                "{\"kind\":\"Network\",\"apiVersion\":\"drover.io/v1\",\"metadata\":{\"name\":\"aio\"},\"spec\":{\"subnets\":[\"10.77.0.0/24\"]}}");
        assertThat(network).startsWith("HTTP/1.1 201");
        String created = http(ns, port, "POST", "/apis/drover.io/v1/namespaces/default/pods",
                "{\"kind\":\"Pod\",\"apiVersion\":\"drover.io/v1\",\"metadata\":{\"name\":\"p1\"},\"spec\":{\"node\":\"" + node()
                        + "\",\"networks\":[\"aio\"]}}");
        assertThat(created).startsWith("HTTP/1.1 201");

        // ip netns exec gave the server a mount namespace of its own (a slave of this one), so the pod namespaces its
        // agent mounts under /run/netns are seen through the server's root, not in this process's /run/netns.
        Path serverNetns = Path.of("/proc", Long.toString(server.pid()), "root", "run", "netns");
        await().atMost(Duration.ofSeconds(30)).until(() -> podNamespace(serverNetns) != null);
        NetNs pod = new NetNs(serverNetns.resolve(podNamespace(serverNetns)));
        await().atMost(Duration.ofSeconds(30)).until(() -> addresses(pod).stream()
                .anyMatch(a -> a.ip().getHostAddress().startsWith("10.77.0.")));
        // The bridge is in the server's namespace: the agent programmed where it runs.
        assertThat(kernel.links(ns)).anyMatch(l -> "bridge".equals(l.kind()));

        server.destroy(); // SIGTERM: graceful, the agent says its node is not ready any more
        assertThat(server.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(server.exitValue()).isEqualTo(143);
    }

    private String podNamespace(Path netnsDir) throws IOException {
        try (var files = Files.list(netnsDir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(podPrefix())).findFirst().orElse(null);
        }
    }

    private List<Address> addresses(NetNs pod) {
        try {
            return kernel.addresses(pod, "eth0");
        } catch (KernelException e) {
            return List.of();
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
            // Up to the end of the body by its Content-Length: the server may keep the connection open.
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
                String text = response.toString(StandardCharsets.ISO_8859_1);
                if (headerEnd < 0 && text.endsWith("\r\n\r\n")) {
                    headerEnd = text.length();
                    Matcher m = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(text);
                    length = m.find() ? Integer.parseInt(m.group(1)) : 0;
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
