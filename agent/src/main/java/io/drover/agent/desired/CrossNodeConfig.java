package io.drover.agent.desired;

import io.drover.model.net.Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * What an agent knows about its own underlay, read once at start: the mode of the cluster, the node's underlay
 * address and the subnet of the interface that holds it, and that interface's MTU.
 *
 * <p>The VNI scheme: one VXLAN segment for all of a cluster's pod traffic, {@link #DEFAULT_VNI} unless configured,
 * on one device per node. Networks are not told apart by VNI but by the nftables rules at the receiving node, which
 * let a packet into a network's bridge only from that network's own subnets; so isolation does not depend on the
 * encapsulation, and routed and VXLAN nodes enforce it the same way. Every node's VTEP MAC is derived from its
 * underlay address ({@link #vtepMac}), so no node has to publish it and a restarted node keeps it.
 *
 * @param underlaySubnet the connected subnet of the underlay interface: in routed mode, the peers a node can reach
 *                       without a router
 */
public record CrossNodeConfig(CrossNodeMode mode, InetAddress underlayAddress, Cidr underlaySubnet, int underlayMtu,
        int vni, String underlayDevice) {

    public static final int DEFAULT_VNI = 4096;
    /** Outer IPv4 (20) + UDP (8) + VXLAN (8) + inner Ethernet (14) headers. */
    public static final int VXLAN_OVERHEAD_IPV4 = 50;
    /** Outer IPv6 (40) + UDP (8) + VXLAN (8) + inner Ethernet (14) headers. */
    public static final int VXLAN_OVERHEAD_IPV6 = 70;
    public static final String VXLAN_DEVICE = "drover-vxlan";

    public static final CrossNodeConfig SINGLE_HOST = new CrossNodeConfig(CrossNodeMode.NONE, null, null, 0, 0, null);

    /** A configuration whose underlay interface is not known (the fast path is then off in routed mode). */
    public CrossNodeConfig(CrossNodeMode mode, InetAddress underlayAddress, Cidr underlaySubnet, int underlayMtu, int vni) {
        this(mode, underlayAddress, underlaySubnet, underlayMtu, vni, null);
    }

    public CrossNodeConfig {
        Objects.requireNonNull(mode, "mode");
        if (mode != CrossNodeMode.NONE) {
            Objects.requireNonNull(underlayAddress, "the underlay address of a node in routed or vxlan mode");
            Objects.requireNonNull(underlaySubnet, "the underlay subnet of a node in routed or vxlan mode");
            if (underlayMtu < 1280) {
                throw new IllegalArgumentException("underlay MTU " + underlayMtu + " is too small");
            }
        }
    }

    /** The largest MTU a pod interface may have so that its packets cross the underlay whole. */
    public int podMtuLimit() {
        return switch (mode) {
            case NONE, ROUTED -> Integer.MAX_VALUE;
            case VXLAN -> underlayMtu - (underlayAddress instanceof Inet4Address ? VXLAN_OVERHEAD_IPV4 : VXLAN_OVERHEAD_IPV6);
        };
    }

    /**
     * The MAC of a node's VXLAN device, from its underlay address: {@code 0e:d0} (locally administered, unicast)
     * and the four bytes of the IPv4 address, or the last four of an IPv6 one.
     */
    public static String vtepMac(InetAddress underlay) {
        byte[] b = underlay.getAddress();
        int o = b.length - 4;
        return String.format("0e:d0:%02x:%02x:%02x:%02x", b[o] & 0xff, b[o + 1] & 0xff, b[o + 2] & 0xff, b[o + 3] & 0xff);
    }
}
