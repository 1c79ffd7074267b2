package io.drover.agent.kernel;

import java.net.InetAddress;
import java.util.Objects;

/**
 * The VXLAN parameters of a device, as the kernel holds them (IFLA_VXLAN_*). Drover's devices never learn and never
 * flood: every remote MAC is a static FDB entry and every remote address a static neighbour entry.
 *
 * @param vni      the VXLAN network identifier (24 bits)
 * @param local    the source address of the encapsulating packets (the node's underlay address)
 * @param port     the UDP destination port (4789, IANA's)
 * @param learning whether the device learns remote MACs from traffic; always false for Drover's
 */
public record Vxlan(int vni, InetAddress local, int port, boolean learning) {

    public static final int IANA_PORT = 4789;

    public Vxlan {
        if (vni < 0 || vni > 0xFFFFFF) {
            throw new IllegalArgumentException("a VNI has 24 bits: " + vni);
        }
        Objects.requireNonNull(local, "local");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}
