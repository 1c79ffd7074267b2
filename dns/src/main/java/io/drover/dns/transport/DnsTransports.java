package io.drover.dns.transport;

import io.drover.dns.query.PacketHandler;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The UDP and TCP listeners of one or more addresses, served by one set of event loops. Each address has one UDP socket
 * per event loop, sharing the port (SO_REUSEPORT), so that every thread reads and answers queries; TCP connections
 * are spread over the same threads. Port 0 picks a port free for both: the UDP one the kernel chooses, then TCP on the
 * same number (tried again a few times when another program holds it for TCP). All or nothing: when one address
 * cannot be served, none is.
 */
public final class DnsTransports implements AutoCloseable {

    private static final int PORT_ATTEMPTS = 10;

    private final NettyTransport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    /** One UDP socket per worker thread and address: a socket is read by one thread only. */
    private final int udpSockets;
    private final List<Channel> channels = new ArrayList<>();
    private final List<InetSocketAddress> addresses = new ArrayList<>();

    private DnsTransports(NettyTransport transport, EventLoopGroup boss, EventLoopGroup workers, int udpSockets) {
        this.transport = transport;
        this.boss = boss;
        this.workers = workers;
        this.udpSockets = udpSockets;
    }

    /** Listens on {@code address} in this process's namespace, as {@link #bind(List, PacketHandler, int)}. */
    public static DnsTransports bind(InetSocketAddress address, PacketHandler handler) {
        return bind(List.of(Listener.here(address)), handler, 0);
    }

    /**
     * Listens on every listener's address, serving on {@code threads} threads (0: one per CPU); throws
     * {@link ListenException} saying what to do when an address is taken or not there, or when the port needs
     * privileges.
     */
    public static DnsTransports bind(List<Listener> listeners, PacketHandler handler, int threads) {
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("a DNS server needs at least one address to listen on");
        }
        int workers = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        NettyTransport transport = NettyTransport.best();
        DnsTransports transports = new DnsTransports(transport, new MultiThreadIoEventLoopGroup(1, transport.ioHandlers()),
                new MultiThreadIoEventLoopGroup(workers, transport.ioHandlers()), workers);
        for (Listener listener : listeners) {
            try {
                transports.listen(listener, handler);
            } catch (Exception e) {
                transports.close();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new ListenException(cannotListen(listener, e), e);
            }
        }
        return transports;
    }

    private void listen(Listener listener, PacketHandler handler) throws Exception {
        boolean shared = udpSockets > 1;
        for (int attempt = 1; ; attempt++) {
            List<Channel> udp = new ArrayList<>();
            udp.add(UdpTransport.bind(transport, workers, listener, listener.address(), handler, shared));
            InetSocketAddress bound = (InetSocketAddress) udp.getFirst().localAddress();
            try {
                while (udp.size() < udpSockets) {
                    udp.add(UdpTransport.bind(transport, workers, listener, bound, handler, shared));
                }
                Channel tcp = TcpTransport.bind(transport, boss, workers, listener, bound, handler);
                channels.addAll(udp);
                channels.add(tcp);
                addresses.add(bound);
                return;
            } catch (Exception e) {
                udp.forEach(c -> c.close().syncUninterruptibly());
                if (listener.address().getPort() != 0 || attempt >= PORT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static String cannotListen(Listener listener, Exception e) {
        InetSocketAddress address = listener.address();
        String where = listener.description();
        if (e instanceof BindException && address.getPort() > 0 && address.getPort() < 1024
                && String.valueOf(e.getMessage()).toLowerCase().contains("permission")) {
            return "cannot listen on " + where + " for DNS: ports below 1024 need root (or CAP_NET_BIND_SERVICE); "
                    + "run as root or choose a port from 1024 up, e.g. 127.0.0.1:1053";
        }
        return "cannot listen on " + where + " for DNS (" + e.getMessage() + "): the port is in use (UDP or TCP) or "
                + "the address is not there; choose another ADDR:PORT";
    }

    /** The Netty transport it runs on: epoll on Linux, else NIO. */
    public String transport() {
        return transport.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Where it listens (the first listener's address), with the port chosen when 0 was asked for. */
    public InetSocketAddress address() {
        return addresses.getFirst();
    }

    /** Every address it listens on, in the listeners' order. */
    public List<InetSocketAddress> addresses() {
        return List.copyOf(addresses);
    }

    @Override
    public void close() {
        channels.forEach(c -> c.close().syncUninterruptibly());
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
