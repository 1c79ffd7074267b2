package io.drover.agent.kernel;

/**
 * A network interface as the kernel reports it.
 *
 * @param kind   {@code bridge}, {@code veth}, {@code vxlan}, ... (IFLA_INFO_KIND); empty for devices without one (lo)
 * @param master the name of the bridge it is enslaved to, or null
 * @param alias  the interface alias (IFLA_IFALIAS); Drover writes {@code drover:<owner>} there to recognise what it
 *               created, so that it never removes an interface it did not make
 */
public record Link(int index, String name, String kind, int mtu, boolean up, String mac, String master, String alias) {

    public static final String OWNER_PREFIX = "drover:";

    public boolean ownedByDrover() {
        return alias != null && alias.startsWith(OWNER_PREFIX);
    }

    /** A MAC address as the kernel prints it: six lower-case hex pairs joined by colons. */
    public static String normalizeMac(String mac) {
        String m = mac.toLowerCase(java.util.Locale.ROOT);
        if (!m.matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}")) {
            throw new IllegalArgumentException("not a MAC address (six hex pairs joined by ':'): " + mac);
        }
        return m;
    }
}
