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
    /** Spoofguard drops what ports of this prefix send unless their pod's elements let it through. */
    public static final String HOST_VETH_PREFIX = io.drover.agent.rules.SpoofGuard.POD_PORT_PREFIX;
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
     * The MAC address of a pod interface: {@code 0a} (locally administered, unicast) and 40 bits of a hash of the
     * pod's identity and the interface. Fixed before the interface exists and never changed after, so that spoofguard
     * can pin it from the first frame; not derived from the address, which a runtime's pod (CNI) gets only after its
     * interface is made, and changing the MAC then would cost every ADD a rule change.
     */
    /**
     * The MAC address of a network's bridge: {@code 0e} (locally administered, unicast; not a pod's {@code 0a}) and
     * 40 bits of a hash of the network's name, the same on every node as the gateway address is. Set by the agent,
     * because a bridge left to itself takes the lowest MAC of its ports and changes it as pods come and go, and pods
     * that learned the old one (for their gateway, and through proxy ARP for other nodes' pods) then send to a MAC the
     * bridge no longer answers to, until their neighbour entries time out.
     */
    public static String bridgeMac(String network) {
        return "0e:" + HexFormat.ofDelimiter(":").formatHex(HexFormat.of().parseHex(hash("bridge/" + network, 10)));
    }

    public static String podMac(String podIdentity, String podInterface) {
        return "0a:" + HexFormat.ofDelimiter(":").formatHex(HexFormat.of().parseHex(hash(podIdentity + "/" + podInterface, 10)));
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
