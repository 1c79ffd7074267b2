package io.drover.dns.transport;

import io.drover.dns.query.QueryHandler;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The UDP and TCP listeners of one address and port. Port 0 picks a port free for both: the UDP one the kernel
 * chooses, then TCP on the same number (tried again a few times when another program holds it for TCP).
 */
public final class DnsTransports implements AutoCloseable {

    private static final int PORT_ATTEMPTS = 10;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel udp;
    private final Channel tcp;

    private DnsTransports(EventLoopGroup boss, EventLoopGroup workers, Channel udp, Channel tcp) {
        this.boss = boss;
        this.workers = workers;
        this.udp = udp;
        this.tcp = tcp;
    }

    /**
     * Listens on {@code address}; throws {@link ListenException} saying what to do when the address is taken
     * or not on this machine, or when the port needs privileges.
     */
    public static DnsTransports bind(InetSocketAddress address, QueryHandler handler) {
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        try {
            for (int attempt = 1; ; attempt++) {
                Channel udp = UdpTransport.bind(workers, address, handler);
                InetSocketAddress bound = (InetSocketAddress) udp.localAddress();
                try {
                    Channel tcp = TcpTransport.bind(boss, workers, bound, handler);
                    return new DnsTransports(boss, workers, udp, tcp);
                } catch (Exception e) {
                    udp.close().syncUninterruptibly();
                    if (address.getPort() != 0 || attempt >= PORT_ATTEMPTS) {
                        throw e;
                    }
                }
            }
        } catch (Exception e) {
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new ListenException(cannotListen(address, e), e);
        }
    }

    private static String cannotListen(InetSocketAddress address, Exception e) {
        String where = address.getAddress().getHostAddress() + ":" + address.getPort();
        if (e instanceof BindException && address.getPort() > 0 && address.getPort() < 1024
                && String.valueOf(e.getMessage()).toLowerCase().contains("permission")) {
            return "cannot listen on " + where + " for DNS: ports below 1024 need root (or CAP_NET_BIND_SERVICE); "
                    + "run as root or choose a port from 1024 up, e.g. 127.0.0.1:1053";
        }
        return "cannot listen on " + where + " for DNS (" + e.getMessage() + "): the port is in use (UDP or TCP) or "
                + "the address is not on this machine; choose another ADDR:PORT";
    }

    /** Where it listens, with the port chosen when 0 was asked for. */
    public InetSocketAddress address() {
        return (InetSocketAddress) udp.localAddress();
    }

    @Override
    public void close() {
        udp.close().syncUninterruptibly();
        tcp.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
