package io.drover.agent.health;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/** A tcp check: passes when a connection to the endpoint's port is accepted within the timeout, then closes it. */
final class TcpProber {

    private final SocketOpener sockets;

    TcpProber(SocketOpener sockets) {
        this.sockets = sockets;
    }

    Outcome probe(Probe.Tcp probe, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos(); // making the socket counts too (SocketOpener)
        String target = Endpoints.format(probe.address(), probe.port());
        InetAddress ip;
        try {
            ip = InetAddress.ofLiteral(probe.address());
        } catch (IllegalArgumentException e) {
            return Outcome.fail("'" + probe.address() + "' is not an IP address");
        }
        try (SocketChannel channel = sockets.open(Endpoints.family(ip))) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException();
            }
            channel.socket().connect(new InetSocketAddress(ip, probe.port()), Endpoints.millis(Duration.ofNanos(left)));
            return Outcome.pass("connected to " + target);
        } catch (SocketTimeoutException e) {
            return Outcome.fail("no answer from " + target + " within " + Endpoints.seconds(timeout));
        } catch (IOException | RuntimeException e) {
            return Outcome.fail("connect to " + target + ": " + Endpoints.message(e));
        }
    }
}
