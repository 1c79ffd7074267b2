package io.drover.agent.desired;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The names Drover gives to kernel objects. Linux interface names have at most 15 characters (IFNAMSIZ - 1), so
 * per-pod names are short hashes: deterministic, so that an agent that restarts finds the interfaces it made
 * under the names it would make them again.
 */
public final class InterfaceNames {

    public static final int MAX_LENGTH = 15;
    public static final String BRIDGE_PREFIX = "dr-";
    public static final String HOST_VETH_PREFIX = "dv";
    /** 40 bits of hash: a collision among the pods of one node is vanishingly unlikely. */
    private static final int HASH_CHARS = 10;

    private InterfaceNames() {}

    /** {@code dr-<network>}; network names are validated to at most 12 characters so that this fits. */
    public static String bridge(String network) {
        String name = BRIDGE_PREFIX + network;
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("network name '" + network + "' is too long for a bridge name (" + name
                    + " has " + name.length() + " characters, Linux allows " + MAX_LENGTH + ")");
        }
        return name;
    }

    /**
     * The node-side end of a pod interface's veth pair: {@code dv} and 10 hex characters of a hash of the pod's
     * identity (its uid) and the interface. A pod deleted and created again under the same name has another uid,
     * so its new veth never collides with the old one still being removed.
     */
    public static String hostVeth(String podIdentity, String podInterface) {
        return HOST_VETH_PREFIX + hash(podIdentity + "/" + podInterface, HASH_CHARS);
    }

    /**
     * The MAC address of a pod interface: {@code 0a:58:} and the interface's IPv4 address (as Kubernetes' CNI
     * plugins make it), unique on the network because the address is; for an IPv6-only interface {@code 0a:59:} and
     * a hash of the pod's identity and the interface. Locally administered and unicast either way. Fixed in
     * advance, rather than left to the kernel's random choice, so that the rules can say which MAC each pod port
     * may send with.
     */
    public static String podMac(String podIdentity, String podInterface, java.util.List<io.drover.agent.kernel.Address> addresses) {
        byte[] tail = addresses.stream()
                .map(io.drover.agent.kernel.Address::ip)
                .filter(ip -> ip instanceof java.net.Inet4Address)
                .map(java.net.InetAddress::getAddress)
                .findFirst()
                .orElse(null);
        String prefix = "0a:58:";
        if (tail == null) {
            prefix = "0a:59:";
            tail = HexFormat.of().parseHex(hash(podIdentity + "/" + podInterface, 8));
        }
        return prefix + HexFormat.ofDelimiter(":").formatHex(tail);
    }

    /** The first {@code hexChars} hex characters of the SHA-256 of {@code text}. */
    public static String hash(String text, int hexChars) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, hexChars);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
