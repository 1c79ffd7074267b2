package io.drover.dns.transport;

import io.drover.dns.net.SocketPlace;
import java.net.InetSocketAddress;

/**
 * One address to serve UDP and TCP on, and where its sockets are made.
 *
 * @param description how to name it in messages ({@code drl-lab-node-1/172.31.0.1:53})
 */
public record Listener(InetSocketAddress address, SocketPlace place, String description) {

    public static Listener here(InetSocketAddress address) {
        return new Listener(address, SocketPlace.HERE, io.drover.dns.net.NetnsAddress.display(address));
    }
}
