package io.drover.agent.kernel;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A permanent forwarding entry of a VXLAN device itself (NTF_SELF, as {@code bridge fdb append ... self}): frames
 * for {@code mac} are encapsulated towards the underlay address {@code destination}.
 */
public record FdbEntry(String device, String mac, InetAddress destination) {

    public FdbEntry {
        Objects.requireNonNull(device, "device");
        mac = Link.normalizeMac(Objects.requireNonNull(mac, "mac"));
        Objects.requireNonNull(destination, "destination");
    }
}
