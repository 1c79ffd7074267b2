package io.drover.lab.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TcpRelayTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    /** A server that answers each connection with its name, then echoes what it reads until the client closes. */
    private static ServerSocket echo(String name) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            in.transferTo(out);
                        } catch (IOException e) {
                            // the client went
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server;
    }

    /**
     * Waits until a closed server's port refuses connections: with its accept loop on a virtual thread, the socket may
     * close a moment after {@code close()} returns. Bounded: at most 5 s.
     */
    private static void awaitRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket(LOOPBACK, port)) {
                Thread.sleep(10);
            } catch (IOException refused) {
                return;
            }
        }
        throw new AssertionError("port " + port + " still accepts connections 5 s after its server closed");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    private static String exchange(int port, String send) throws IOException {
        try (Socket s = new Socket(LOOPBACK, port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(send.getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void forwardsToTheFirstTargetThatTakesTheConnectionBothWays() throws Exception {
        try (ServerSocket b = echo("b")) {
            TcpRelay.Forward forward = TcpRelay.Forward.parse("api=0=127.0.0.1:" + closedPort() + ",127.0.0.1:" + b.getLocalPort());
            try (TcpRelay relay = new TcpRelay(TcpRelay.SocketOpener.SELF, LOOPBACK, List.of(forward))) {
                int port = relay.start().get("api");
                // The half-close is passed on: the echo server sees the end and closes, the client reads all of it.
                assertThat(exchange(port, "hello")).isEqualTo("b\nhello");
                assertThat(exchange(port, "x".repeat(200_000))).hasSize(2 + 200_000);
            }
        }
    }

    @Test
    void targetsFromAFileAreReadAtEveryConnection() throws Exception {
        Path targets = dir.resolve("api.targets");
        try (ServerSocket a = echo("a"); ServerSocket b = echo("b");
                TcpRelay relay = new TcpRelay(TcpRelay.SocketOpener.SELF, LOOPBACK,
                        List.of(TcpRelay.Forward.parse("api=0=@" + targets)))) {
            int port = relay.start().get("api");
            assertThat(exchange(port, "")).as("no targets yet: closed at once").isEmpty();
            TcpRelay.writeTargets(targets, List.of(new TcpRelay.Target(null, "127.0.0.1", a.getLocalPort()),
                    new TcpRelay.Target(null, "127.0.0.1", b.getLocalPort())));
            assertThat(exchange(port, "1")).isEqualTo("a\n1");
            int aPort = a.getLocalPort();
            a.close();
            awaitRefused(aPort);
            assertThat(exchange(port, "2")).isEqualTo("b\n2");
            assertThat(TcpRelay.readTargets(targets)).hasSize(2);
        }
    }

    @Test
    void portsAreWrittenForTheStarterToRead() throws Exception {
        Path ports = dir.resolve("relay.ports");
        assertThat(TcpRelay.readPorts(ports)).isEmpty();
        try (TcpRelay relay = new TcpRelay(TcpRelay.SocketOpener.SELF, LOOPBACK, List.of(
                TcpRelay.Forward.parse("etcd-1=0=127.0.0.1:1"), TcpRelay.Forward.parse("etcd-2=0=127.0.0.1:2")))) {
            Map<String, Integer> bound = relay.start();
            relay.writePorts(ports);
            assertThat(TcpRelay.readPorts(ports)).isEqualTo(bound).containsOnlyKeys("etcd-1", "etcd-2");
        }
    }

    @Test
    void targetsAndForwardsParse() {
        assertThat(TcpRelay.Target.parse("drl-x-fabric/172.31.0.201:2379"))
                .isEqualTo(new TcpRelay.Target("drl-x-fabric", "172.31.0.201", 2379));
        assertThat(TcpRelay.Target.parse("127.0.0.1:80")).isEqualTo(new TcpRelay.Target(null, "127.0.0.1", 80));
        assertThat(TcpRelay.Target.parse("[::1]:80").host()).isEqualTo("::1");
        assertThat(TcpRelay.Target.parse("ns/[fd00::1]:80").toString()).isEqualTo("ns/[fd00::1]:80");
        assertThatThrownBy(() -> TcpRelay.Target.parse("nope")).hasMessageContaining("[NAMESPACE/]HOST:PORT");
        assertThatThrownBy(() -> TcpRelay.Target.parse("h:70000")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> TcpRelay.Forward.parse("api=x")).hasMessageContaining("NAME=PORT=TARGET");
        assertThat(TcpRelay.Forward.parse("api=0=@/tmp/t").targetsFile()).isEqualTo(Path.of("/tmp/t"));
        assertThatThrownBy(() -> new TcpRelay(TcpRelay.SocketOpener.SELF, LOOPBACK, List.of(
                TcpRelay.Forward.parse("a=0=h:1"), TcpRelay.Forward.parse("a=0=h:2"))))
                .hasMessageContaining("same name");
    }

    @Test
    void theDefaultOpenerStaysInItsOwnNamespace() {
        assertThatThrownBy(() -> TcpRelay.SocketOpener.SELF.open("drl-x-fabric")).isInstanceOf(IOException.class);
    }
}
