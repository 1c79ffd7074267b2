package io.drover.dns.transport;

import io.drover.dns.query.PacketHandler;
import io.drover.dns.query.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** DNS over UDP: each datagram is one query; the reply goes back to its sender from the same socket. */
final class UdpTransport extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final Logger log = LoggerFactory.getLogger(UdpTransport.class);
    /** The largest UDP payload: a datagram is read whole, so a long query is parsed, not cut. */
    private static final int MAX_DATAGRAM = 65535;

    private final PacketHandler handler;

    private UdpTransport(PacketHandler handler) {
        this.handler = handler;
    }

    static Channel bind(EventLoopGroup group, Listener listener, InetSocketAddress address, PacketHandler handler)
            throws InterruptedException {
        return new Bootstrap()
                .group(group)
                .channelFactory(PlacedChannels.in(listener.place(), NioDatagramChannel::new))
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
                .option(ChannelOption.SO_RCVBUF, 1 << 20)
                .handler(new UdpTransport(handler))
                .bind(address).sync().channel();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        byte[] query = ByteBufUtil.getBytes(packet.content());
        InetSocketAddress sender = packet.sender();
        Channel channel = ctx.channel();
        handler.handle(query, Transport.UDP).thenAccept(reply -> {
            if (reply != null) {
                channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(reply), sender));
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // e.g. an ICMP port unreachable surfacing as a send error: the socket stays open for everyone else.
        log.debug("DNS over UDP: {}", cause.toString());
    }
}
