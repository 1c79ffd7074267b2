package io.drover.dns.forward;

import io.drover.dns.net.SocketPlace;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Message;
import org.xbill.DNS.io.DefaultIoClientFactory;
import org.xbill.DNS.io.IoClientFactory;
import org.xbill.DNS.io.TcpIoClient;
import org.xbill.DNS.io.UdpIoClient;

/**
 * dnsjava's UDP and TCP clients, each query started inside a {@link SocketPlace}: dnsjava opens the query's socket
 * (or the TCP connection it then reuses) synchronously in the call that sends it, so the socket is made, and stays,
 * in that place. Its retry over TCP after a truncated UDP answer goes through here too.
 */
final class PlacedIoClients implements IoClientFactory {

    private final SocketPlace place;
    private final IoClientFactory delegate = new DefaultIoClientFactory();

    PlacedIoClients(SocketPlace place) {
        this.place = place;
    }

    @Override
    public TcpIoClient createOrGetTcpClient() {
        TcpIoClient tcp = delegate.createOrGetTcpClient();
        return (local, remote, query, data, timeout) -> inPlace(() -> tcp.sendAndReceiveTcp(local, remote, query, data,
                timeout));
    }

    @Override
    public UdpIoClient createOrGetUdpClient() {
        UdpIoClient udp = delegate.createOrGetUdpClient();
        return (InetSocketAddress local, InetSocketAddress remote, Message query, byte[] data, int max,
                Duration timeout) -> inPlace(() -> udp.sendAndReceiveUdp(local, remote, query, data, max, timeout));
    }

    private CompletableFuture<byte[]> inPlace(java.util.concurrent.Callable<CompletableFuture<byte[]>> send) {
        try {
            return place.open(send);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
