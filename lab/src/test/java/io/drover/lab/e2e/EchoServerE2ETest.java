package io.drover.lab.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.nio.sctp.MessageInfo;
import com.sun.nio.sctp.SctpChannel;
import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.NetNs;
import io.drover.lab.echo.EchoPort;
import io.drover.lab.echo.EchoServer;
import io.drover.lab.echo.EchoServerException;
import io.drover.lab.net.Protocol;
import io.drover.lab.net.SctpSupport;
import io.drover.lab.runtime.LabStateStore;
import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The echo server in one namespace, reached over a veth pair from another: the server's sockets live in its pod
 * namespace, and every client reads exactly {@code <namespace>/<pod>\n}.
 */
class EchoServerE2ETest {

    private static final InetSocketAddress SERVER_V4 = new InetSocketAddress("10.77.0.1", 80);
    private static final InetSocketAddress SERVER_V6 = new InetSocketAddress("fd00:77::1", 80);

    private final Kernel kernel = E2eKernel.get();
    private TestNamespaces namespaces;
    private NetNs server;
    private NetNs client;

    @BeforeAll
    static void needsRoot(@TempDir Path state) {
        assumeTrue(TestNamespaces.rootWithIp(), "needs root, ip and nft");
        TestNamespaces.sweepLeftovers(E2eKernel.get(), new LabStateStore(state));
    }

    @BeforeEach
    void twoNamespaces() {
        namespaces = new TestNamespaces(kernel);
        server = namespaces.create("srv");
        client = namespaces.create("cli");
        namespaces.link(server, "eth0", List.of(Address.parse("10.77.0.1/24"), Address.parse("fd00:77::1/64")),
                client, "eth0", List.of(Address.parse("10.77.0.2/24"), Address.parse("fd00:77::2/64")));
    }

    @AfterEach
    void cleanUp() {
        if (namespaces != null) {
            namespaces.close();
        }
    }

    @Test
    void answersTcpAndUdpWithItsTextOnBothFamilies() throws Exception {
        try (EchoServer echo = EchoServer.start(kernel, server, "x/a",
                List.of(new EchoPort(80, Protocol.TCP), new EchoPort(80, Protocol.UDP), new EchoPort(81, Protocol.TCP)))) {
            assertThat(echo.serving()).hasSize(3);
            assertThat(echo.skipped()).isEmpty();
            assertThat(tcp(SERVER_V4)).isEqualTo("x/a\n");
            assertThat(tcp(SERVER_V6)).isEqualTo("x/a\n");
            assertThat(tcp(new InetSocketAddress("10.77.0.1", 81))).isEqualTo("x/a\n");
            assertThat(udp(SERVER_V4)).isEqualTo("x/a\n");
            assertThat(udp(SERVER_V6)).isEqualTo("x/a\n");
            // Many connections one after the other, each answered.
            for (int i = 0; i < 20; i++) {
                assertThat(tcp(SERVER_V4)).isEqualTo("x/a\n");
            }
            assertThatThrownBy(() -> tcp(new InetSocketAddress("10.77.0.1", 82))).isInstanceOf(ConnectException.class);
        }
        // Closed: nothing listens any more.
        assertThatThrownBy(() -> tcp(SERVER_V4)).isInstanceOf(ConnectException.class);
    }

    @Test
    void servesSctpWhenTheMachineCan() throws Exception {
        try (EchoServer echo = EchoServer.start(kernel, server, "x/a", List.of(new EchoPort(80, Protocol.SCTP)))) {
            if (!SctpSupport.available()) {
                assertThat(echo.serving()).isEmpty();
                assertThat(echo.skipped()).singleElement().asString()
                        .startsWith("80/sctp: SCTP is unavailable: ");
                return;
            }
            assertThat(echo.serving()).containsExactly(new EchoPort(80, Protocol.SCTP));
            SctpChannel channel = kernel.inNamespace(client, SctpChannel::open);
            try (channel) {
                channel.connect(SERVER_V4);
                ByteBuffer buffer = ByteBuffer.allocate(256);
                MessageInfo info = channel.receive(buffer, null, null);
                assertThat(info).isNotNull();
                buffer.flip();
                assertThat(StandardCharsets.UTF_8.decode(buffer).toString()).isEqualTo("x/a\n");
            }
        }
    }

    @Test
    void aPortInUseFailsTheWholeStartAndLeavesNothingBound() {
        try (EchoServer _ = EchoServer.start(kernel, server, "x/a", List.of(new EchoPort(80, Protocol.TCP)))) {
            assertThatThrownBy(() -> EchoServer.start(kernel, server, "x/b",
                    List.of(new EchoPort(81, Protocol.TCP), new EchoPort(80, Protocol.TCP))))
                    .isInstanceOf(EchoServerException.class)
                    .hasMessageContaining("cannot serve 80/tcp in /run/netns/" + namespaces.prefix() + "srv");
            // Port 81, bound before the failure, was released again.
            try (EchoServer again = EchoServer.start(kernel, server, "x/b", List.of(new EchoPort(81, Protocol.TCP)))) {
                assertThat(again.serving()).hasSize(1);
            }
        }
    }

    @Test
    void startedInsideTheNamespaceItServesThatNamespace() throws Exception {
        // As a pod's own process would: the caller is already in the pod's namespace.
        try (EchoServer echo = kernel.inNamespace(server,
                () -> EchoServer.startHere("x/here", List.of(new EchoPort(80, Protocol.TCP))))) {
            assertThat(echo.text()).isEqualTo("x/here");
            assertThat(tcp(SERVER_V4)).isEqualTo("x/here\n");
        }
    }

    @Test
    void refusesTextThatIsNotOneLine() {
        assertThatThrownBy(() -> EchoServer.start(kernel, server, "a\nb", List.of(new EchoPort(80, Protocol.TCP))))
                .hasMessageContaining("one non-empty line");
    }

    /** Everything the server sends on one TCP connection, until it closes. */
    private String tcp(InetSocketAddress target) throws IOException {
        SocketChannel channel = kernel.inNamespace(client, () -> SocketChannel.open(
                target.getAddress().getAddress().length == 4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6));
        try (channel) {
            channel.socket().connect(target, 2000);
            channel.socket().setSoTimeout(2000);
            return new String(channel.socket().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String udp(InetSocketAddress target) throws IOException {
        DatagramChannel channel = kernel.inNamespace(client, () -> DatagramChannel.open(
                target.getAddress().getAddress().length == 4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6));
        try (channel) {
            channel.send(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)), target);
            channel.socket().setSoTimeout(2000);
            DatagramPacket packet = new DatagramPacket(new byte[256], 256);
            channel.socket().receive(packet);
            assertThat(packet.getSocketAddress()).isEqualTo(target);
            return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
        }
    }
}
