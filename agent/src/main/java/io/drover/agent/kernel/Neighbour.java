package io.drover.agent.kernel;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A permanent neighbour (ARP/NDP) entry: on {@code device}, {@code address} is at {@code mac}. Drover writes one per
 * remote VXLAN endpoint, so that no ARP request ever has to cross the overlay.
 */
public record Neighbour(String device, InetAddress address, String mac) {

    public Neighbour {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(address, "address");
        mac = Link.normalizeMac(Objects.requireNonNull(mac, "mac"));
    }
}
