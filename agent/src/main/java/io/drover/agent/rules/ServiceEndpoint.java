package io.drover.agent.rules;

import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.Objects;

/**
 * One endpoint of a service port, as the node's rules need it.
 *
 * @param ip     the endpoint's address (IPv4: the service rules are IPv4 for now)
 * @param port   the port traffic is DNATed to (the resolved targetPort)
 * @param local  whether the endpoint runs on this node: externalTrafficPolicy and internalTrafficPolicy Local only
 *               ever choose local endpoints
 * @param ready  whether it may receive new connections; an endpoint that is not ready is never chosen
 * @param weight its share under the weighted algorithm (0: never chosen by it); the other algorithms ignore it
 */
public record ServiceEndpoint(InetAddress ip, int port, boolean local, boolean ready, int weight) {

    /** By address, then port. An endpoint is IPv4: its address compares as an unsigned number, without allocating. */
    static final Comparator<ServiceEndpoint> ORDER = Comparator
            .comparingLong((ServiceEndpoint e) -> Integer.toUnsignedLong(ByteBuffer.wrap(e.ip().getAddress()).getInt()))
            .thenComparingInt(ServiceEndpoint::port);

    public ServiceEndpoint {
        Objects.requireNonNull(ip, "ip");
        if (IpFamily.of(ip) != IpFamily.IPV4) {
            throw new IllegalArgumentException("endpoint " + IpAddresses.format(ip)
                    + " is IPv6; the node's service rules handle IPv4 endpoints only");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint " + IpAddresses.format(ip) + " has port " + port
                    + "; a port is between 1 and 65535");
        }
        if (weight < 0) {
            throw new IllegalArgumentException("endpoint " + IpAddresses.format(ip) + " has weight " + weight
                    + "; a weight is 0 (never chosen by the weighted algorithm) or more");
        }
    }

    /** A ready endpoint of weight 1. */
    public static ServiceEndpoint ready(InetAddress ip, int port, boolean local) {
        return new ServiceEndpoint(ip, port, local, true, 1);
    }

    /** {@code 10.180.0.1:80}. */
    String address() {
        return IpAddresses.format(ip) + ":" + port;
    }
}
