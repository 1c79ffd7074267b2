package io.drover.dns.transport;

import io.drover.dns.query.PacketHandler;
import io.drover.dns.query.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DNS over TCP (RFC 7766): each message is prefixed by its two-byte length; a connection may carry many queries,
 * pipelined, and their replies may come back out of order (a forwarded one after a local one). An idle connection
 * is closed after {@value #IDLE_SECONDS} s, and one whose query cannot even be read as a header is closed at once.
 */
final class TcpTransport extends SimpleChannelInboundHandler<ByteBuf> {

    private static final Logger log = LoggerFactory.getLogger(TcpTransport.class);
    static final int IDLE_SECONDS = 10;

    private final PacketHandler handler;

    private TcpTransport(PacketHandler handler) {
        this.handler = handler;
    }

    static Channel bind(NettyTransport transport, EventLoopGroup boss, EventLoopGroup workers, Listener listener,
            InetSocketAddress address, PacketHandler handler) throws InterruptedException {
        return new ServerBootstrap()
                .group(boss, workers)
                .channelFactory(transport.servers(listener.place()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
                                .addLast(new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2))
                                .addLast(new LengthFieldPrepender(2))
                                .addLast(new TcpTransport(handler));
                    }
                })
                .bind(address).sync().channel();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        byte[] query = ByteBufUtil.getBytes(frame);
        Channel channel = ctx.channel();
        handler.handle(query, Transport.TCP).thenAccept(reply -> {
            if (reply != null) {
                channel.writeAndFlush(Unpooled.wrappedBuffer(reply));
            } else {
                channel.close();
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("DNS over TCP from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
