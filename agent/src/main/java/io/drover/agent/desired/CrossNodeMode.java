package io.drover.agent.desired;

/**
 * How pods reach pods of other nodes, by their own addresses and without NAT.
 * <ul>
 *   <li>{@link #NONE}: a single host; no routes to other nodes.</li>
 *   <li>{@link #ROUTED} (host-gw): every other node's blocks are routed through that node's underlay address. Fast
 *       (no encapsulation) but needs every node on one L2 segment: a router between nodes would not know the
 *       pods' addresses.</li>
 *   <li>{@link #VXLAN}: pod packets travel inside VXLAN (UDP 4789) between underlay addresses, so any IP underlay
 *       works; the pods' MTU is lowered by the encapsulation overhead.</li>
 * </ul>
 */
public enum CrossNodeMode {
    NONE, ROUTED, VXLAN;

    /** As written on the command line: none, routed, vxlan. */
    public static CrossNodeMode parse(String text) {
        return switch (text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "none" -> NONE;
            case "routed", "host-gw" -> ROUTED;
            case "vxlan" -> VXLAN;
            default -> throw new IllegalArgumentException("unknown cross-node mode '" + text
                    + "': use routed (host-gw, nodes on one L2 segment) or vxlan (any IP underlay)");
        };
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
