package io.drover.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CniSocketServerTest {

    @TempDir
    Path dir;

    private static CniWire.Response exchange(Path socket, byte[] frame) throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            c.write(ByteBuffer.wrap(frame));
            return CniWire.readResponse(Channels.newInputStream(c));
        }
    }

    @Test
    void servesOneCallPerConnectionAndRemovesItsSocketOnClose() throws IOException {
        Path socket = dir.resolve("run/drover/agent.sock");
        try (CniSocketServer server = CniSocketServer.start(socket, new CniDispatcher(new FakeHandler()))) {
            assertThat(server.socket()).isEqualTo(socket);
            CniWire.Response r = exchange(socket,
                    CniWire.encodeRequest(new CniWire.Request(Map.of("CNI_COMMAND", "VERSION"), new byte[0])));
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdoutText()).startsWith("{\"cniVersion\":\"1.1.0\",\"supportedVersions\":");
        }
        assertThat(socket).doesNotExist();
    }

    @Test
    void replacesASocketLeftBehindButNotOneInUse() throws IOException {
        Path socket = dir.resolve("agent.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        try (CniSocketServer server = CniSocketServer.start(socket, new CniDispatcher(new FakeHandler()))) {
            assertThatThrownBy(() -> CniSocketServer.start(socket, new CniDispatcher(new FakeHandler())))
                    .isInstanceOf(IOException.class).hasMessageContaining("another process already serves");
            assertThat(socket).exists();
        }
    }

    @Test
    void answersAMalformedRequestWithAnIoFailure() throws IOException {
        Path socket = dir.resolve("agent.sock");
        try (CniSocketServer server = CniSocketServer.start(socket, new CniDispatcher(new FakeHandler()))) {
            byte[] notOurs = CniWireTest.concat(CniWireTest.u32(12), "GET ".getBytes(), CniWireTest.u32(0),
                    CniWireTest.u32(0));
            CniWire.Response r = exchange(socket, notOurs);
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.stdoutText()).contains("\"code\": 5").contains("bad request to the Drover node agent");
        }
    }

    @Test
    void dropsAClientThatSendsNothing() throws IOException {
        Path socket = dir.resolve("agent.sock");
        try (CniSocketServer server = CniSocketServer.start(socket, req -> new CniWire.Response(0, ""),
                Duration.ofMillis(200));
                SocketChannel idle = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            long start = System.nanoTime();
            int read = idle.read(ByteBuffer.allocate(16));
            assertThat(read).as("the server hung up").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            // It still serves others.
            CniWire.Response r = exchange(socket,
                    CniWire.encodeRequest(new CniWire.Request(Map.of("CNI_COMMAND", "VERSION"), new byte[0])));
            assertThat(r.exitCode()).isZero();
        }
        assertThat(Files.exists(socket)).isFalse();
    }
}
