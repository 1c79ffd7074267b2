package io.drover.dns.forward;

import io.drover.dns.net.SocketPlace;
import java.net.InetSocketAddress;

/**
 * A resolver names outside the cluster go to, and where the sockets that ask it are made (a lab's resolver is
 * reached from inside the lab).
 *
 * @param description how to name it in logs
 */
public record Upstream(InetSocketAddress address, SocketPlace place, String description) {

    public static Upstream here(InetSocketAddress address) {
        return new Upstream(address, SocketPlace.HERE, io.drover.dns.net.NetnsAddress.display(address));
    }

    @Override
    public String toString() {
        return description;
    }
}
