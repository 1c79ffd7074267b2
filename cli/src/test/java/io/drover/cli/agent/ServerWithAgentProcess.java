package io.drover.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.linux.LinuxKernel;
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

/**
 * A {@code drover server --with-agent} process for the e2e tests. Its agent programs the namespace the server runs
 * in, so the server runs in a throwaway namespace ({@code ip netns exec}), never in the one the tests run in, and the
 * tests talk to it from inside that namespace. {@link #close()} stops it and removes the namespace and the pod
 * namespace files its agent left. Root only.
 */
final class ServerWithAgentProcess implements AutoCloseable {

    private final LinuxKernel kernel;
    private final Path data;
    private final String namespace;
    private final String node;
    private Process server;
    private int port;

    /** Makes the throwaway namespace {@code drvt-srv<TAG>-<unique>}; the node is {@code drvt-[<TAG>-]<unique>}. */
    ServerWithAgentProcess(LinuxKernel kernel, Path data, String tag) {
        this.kernel = kernel;
        this.data = data;
        String suffix = ProcessHandle.current().pid() + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
        this.namespace = "drvt-srv" + tag + "-" + suffix;
        this.node = "drvt-" + (tag.isEmpty() ? "" : tag + "-") + suffix;
        kernel.setUp(kernel.createNamespace(namespace), "lo", true);
    }

    /** Starts the server in the namespace and waits until it answers and its node is ready. */
    void start() throws IOException {
        Path urlFile = data.resolve("url");
        String java = ProcessHandle.current().info().command().orElseThrow();
        server = new ProcessBuilder("ip", "netns", "exec", namespace, java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "-DDROVER_LOG_LEVEL=WARN", "io.drover.cli.Main", "server",
                "--data", data.resolve("store").toString(), "--listen", "127.0.0.1:0", "--url-file", urlFile.toString(),
                "--with-agent", "--node", node)
                .redirectErrorStream(true).redirectOutput(data.resolve("server.log").toFile()).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(urlFile) || !server.isAlive());
        assertThat(server.isAlive()).as("server log: " + Files.readString(data.resolve("server.log"))).isTrue();
        port = Integer.parseInt(Files.readString(urlFile).trim().replaceAll(".*:", ""));
        await().atMost(Duration.ofSeconds(30)).until(() -> http("GET", "/apis/drover.io/v1/nodes/" + node, null)
                .contains("\"ready\":true"));
    }

    Process process() {
        return server;
    }

    String node() {
        return node;
    }

    /** The namespace the server (and its agent's bridges) live in. */
    NetNs namespace() {
        return NetNs.named(namespace);
    }

    /**
     * The pod namespaces the agent made, in name order. ip netns exec gave the server a mount namespace of its own (a
     * slave of this one), so the pod namespaces its agent mounts under /run/netns are seen through the server's root,
     * not in this process's /run/netns.
     */
    List<NetNs> podNamespaces() throws IOException {
        Path dir = Path.of("/proc", Long.toString(server.pid()), "root", "run", "netns");
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(podPrefix())).sorted().map(NetNs::new).toList();
        }
    }

    private String podPrefix() {
        return "drover-" + node + "-p-";
    }

    /** A minimal HTTP/1.1 exchange with the server over a socket opened inside its namespace. */
    String http(String method, String path, String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        try (SocketChannel channel = kernel.inNamespace(namespace(),
                () -> SocketChannel.open(new InetSocketAddress("127.0.0.1", port)))) {
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

    /** Stops the server (if running) and removes its namespace and the empty pod namespace files it left. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(15, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        // The server's pod namespaces died with its mount namespace; their empty files under /run/netns remain.
        try (var files = Files.list(Path.of("/run/netns"))) {
            for (String ns : files.map(f -> f.getFileName().toString()).toList()) {
                if (ns.equals(namespace) || ns.startsWith(podPrefix())) {
                    deleteQuietly(ns);
                }
            }
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
