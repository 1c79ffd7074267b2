package io.drover.cli.lab;

import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.NetNs;
import io.drover.lab.runtime.LabNames;
import io.drover.model.pod.Pod;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * TCP from inside lab pods, for tests that need more than the probe: a listener or a connection opened in a pod's
 * namespace (beside the pod's own echo server), the address a server sees a client come from, and lines sent back
 * and forth over an established connection.
 */
final class PodSockets {

    private final Kernel kernel;
    private final LabNames names;

    PodSockets(Kernel kernel, LabNames names) {
        this.kernel = kernel;
        this.names = names;
    }

    static String ip(Pod pod) {
        return pod.status().addresses().getFirst().ip();
    }

    NetNs namespaceOf(Pod pod) {
        return NetNs.named(names.podNamespace(pod.metadata().namespace(), pod.metadata().name()));
    }

    /** A listener opened inside the pod's namespace. */
    ServerSocketChannel listen(Pod pod, int port) {
        return kernel.inNamespace(namespaceOf(pod), () -> {
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(port));
            return server;
        });
    }

    /** A connection from inside {@code client}'s namespace (the socket is made there) to {@code ip:port}. */
    Socket connect(Pod client, String ip, int port) throws Exception {
        SocketChannel channel = kernel.inNamespace(namespaceOf(client), SocketChannel::open);
        Socket socket = channel.socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.ofLiteral(ip), port), 2000);
            socket.setSoTimeout(5000);
        } catch (Exception e) {
            channel.close();
            throw e;
        }
        return socket;
    }

    /** The address {@code server}'s namespace sees a connection from {@code client}'s namespace come from. */
    String peerSeenBy(Pod client, Pod server, int port) throws Exception {
        try (ServerSocketChannel listener = listen(server, port);
                Socket socket = connect(client, ip(server), port);
                SocketChannel accepted = listener.accept()) {
            return ((InetSocketAddress) accepted.getRemoteAddress()).getAddress().getHostAddress();
        }
    }

    /** A line from the client to the accepted side and back. */
    static String roundTrip(Socket client, Socket accepted, String line) throws Exception {
        send(client, line);
        String got = receive(accepted);
        send(accepted, got);
        return receive(client);
    }

    /** {@code bytes} bytes from the client to the accepted side, read there to the last one. */
    static void stream(Socket client, Socket accepted, int bytes) throws Exception {
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = client.getOutputStream();
                byte[] chunk = new byte[64 * 1024];
                for (int sent = 0; sent < bytes; sent += chunk.length) {
                    out.write(chunk, 0, Math.min(chunk.length, bytes - sent));
                }
                out.flush();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        byte[] buffer = new byte[64 * 1024];
        int received = 0;
        while (received < bytes) {
            int n = accepted.getInputStream().read(buffer, 0, Math.min(buffer.length, bytes - received));
            if (n < 0) {
                throw new java.io.EOFException("the stream ended after " + received + " of " + bytes + " bytes");
            }
            received += n;
        }
        writer.join();
    }

    private static void send(Socket socket, String line) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String receive(Socket socket) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8), 1);
        StringBuilder got = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            got.append((char) c);
        }
        return got.toString();
    }
}
