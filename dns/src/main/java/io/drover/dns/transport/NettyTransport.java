package io.drover.dns.transport;

import io.drover.dns.net.SocketPlace;
import io.netty.channel.ChannelFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * Which of Netty's transports carries the queries: Linux's epoll one where its native library loads (it reads and
 * sends datagrams in batches, one system call for many, where NIO needs one per datagram), else the JDK's NIO. Every
 * channel of a server uses the same one, as its event loops must match its channels.
 */
enum NettyTransport {
    EPOLL, NIO;

    /** Epoll when available, else NIO. */
    static NettyTransport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    IoHandlerFactory ioHandlers() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    ChannelFactory<DatagramChannel> datagrams(SocketPlace place) {
        return this == EPOLL ? PlacedChannels.in(place, EpollDatagramChannel::new)
                : PlacedChannels.in(place, NioDatagramChannel::new);
    }

    ChannelFactory<ServerChannel> servers(SocketPlace place) {
        return this == EPOLL ? PlacedChannels.in(place, EpollServerSocketChannel::new)
                : PlacedChannels.in(place, NioServerSocketChannel::new);
    }
}
