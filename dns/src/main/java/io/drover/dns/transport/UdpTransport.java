package io.drover.dns.transport;

import io.drover.dns.query.PacketHandler;
import io.drover.dns.query.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.unix.UnixChannelOption;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DNS over UDP: each datagram is one query; the reply goes back to its sender from the same socket. Replies ready at
 * once (everything but forwarded names) are written as they come and flushed once per batch of datagrams read, so a
 * busy socket costs one send call per batch rather than per reply.
 */
final class UdpTransport extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final Logger log = LoggerFactory.getLogger(UdpTransport.class);
    /**
     * The largest query read: one question and at most an OPT record (with cookies or a TSIG) stay far under 4 KiB, and
     * a longer datagram is cut to this and then refused as malformed. (A 64 KiB buffer would be allocated, unpooled and
     * zeroed, for every datagram: the costliest part of answering a query.)
     */
    private static final int MAX_DATAGRAM = 4096;

    private final PacketHandler handler;

    private UdpTransport(PacketHandler handler) {
        this.handler = handler;
    }

    /** How many datagrams epoll reads in one system call (recvmmsg). */
    private static final int BATCH = 8;

    /**
     * @param sharedPort whether other sockets serve the same address and port (SO_REUSEPORT: the kernel spreads
     *                   clients over them, one per event loop, so that every thread reads and answers)
     */
    static Channel bind(NettyTransport transport, EventLoopGroup group, Listener listener, InetSocketAddress address,
            PacketHandler handler, boolean sharedPort) throws InterruptedException {
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channelFactory(transport.datagrams(listener.place()))
                .option(ChannelOption.SO_RCVBUF, 1 << 20)
                // The pooled allocator's per-thread caches hand the receive buffer out again at once; the adaptive
                // default allocates (and zeroes) buffers this size anew in a JVM of modest memory.
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .handler(new UdpTransport(handler));
        if (transport == NettyTransport.EPOLL) {
            // A buffer for a batch of datagrams, each in a slot of MAX_DATAGRAM bytes: read with one recvmmsg.
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * BATCH));
            if (sharedPort) {
                bootstrap.option(UnixChannelOption.SO_REUSEPORT, true);
            }
        } else {
            bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM));
            if (sharedPort) {
                bootstrap.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
            }
        }
        return bootstrap.bind(address).sync().channel();
    }

    private boolean unflushed;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        byte[] query = ByteBufUtil.getBytes(packet.content());
        InetSocketAddress sender = packet.sender();
        CompletableFuture<byte[]> reply = handler.handle(query, Transport.UDP);
        if (reply.isDone()) {
            byte[] bytes = reply.join();
            if (bytes != null) {
                ctx.write(new DatagramPacket(Unpooled.wrappedBuffer(bytes), sender), ctx.voidPromise());
                unflushed = true;
            }
            return;
        }
        Channel channel = ctx.channel();
        reply.thenAccept(bytes -> {
            if (bytes != null) {
                channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), sender), channel.voidPromise());
            }
        });
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // e.g. an ICMP port unreachable surfacing as a send error: the socket stays open for everyone else.
        log.debug("DNS over UDP: {}", cause.toString());
    }
}
