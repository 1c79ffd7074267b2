package io.drover.agent.desired;

import io.drover.agent.kernel.Link;
import java.util.regex.Pattern;

/**
 * How the agent marks the interfaces it creates, in the interface alias, so that it recognises them after a
 * restart and never touches what it did not make. Two shapes, told apart by their number of segments:
 * {@code drover:bridge/<network>} for a network's bridge and {@code drover:<namespace>/<pod>/<interface>} for
 * the node end of a pod interface; {@code drover:announce} for the device holding load-balancer addresses. Other
 * {@code drover:} aliases (an overlay device, the lab's fabric) belong to
 * other parts of Drover: the reconciler leaves them alone.
 */
public final class Ownership {

    private static final String BRIDGE = Link.OWNER_PREFIX + "bridge/";
    private static final Pattern HOST_VETH = Pattern.compile(InterfaceNames.HOST_VETH_PREFIX + "[0-9a-f]{10}");

    private Ownership() {}

    /** The device holding the load-balancer addresses this node answers for ({@link LoadBalancerAnnouncements}). */
    public static final String ANNOUNCE_ALIAS = Link.OWNER_PREFIX + "announce";

    public static String bridgeAlias(String network) {
        return BRIDGE + network;
    }

    /** @param podKey {@code <namespace>/<pod>} */
    public static String podInterfaceAlias(String podKey, String podInterface) {
        return Link.OWNER_PREFIX + podKey + "/" + podInterface;
    }

    public static boolean isBridgeAlias(String alias) {
        return alias != null && alias.startsWith(BRIDGE) && segments(alias) == 2;
    }

    public static boolean isPodInterfaceAlias(String alias) {
        return alias != null && alias.startsWith(Link.OWNER_PREFIX) && segments(alias) == 3;
    }

    /**
     * A node end of a pod interface that this agent made: a veth named {@code dv<10 hex>} with a pod alias. All
     * three must hold before the agent deletes one it no longer wants.
     */
    public static boolean isPodInterface(Link link) {
        return "veth".equals(link.kind()) && isPodInterfaceAlias(link.alias()) && HOST_VETH.matcher(link.name()).matches();
    }

    /** A network bridge that this agent made: a bridge named {@code dr-...} with a bridge alias. */
    public static boolean isBridge(Link link) {
        return "bridge".equals(link.kind()) && isBridgeAlias(link.alias())
                && link.name().startsWith(InterfaceNames.BRIDGE_PREFIX);
    }

    /** The announcement device this agent made: the bridge {@link LoadBalancerAnnouncements#DEVICE} with its alias. */
    public static boolean isAnnounceDevice(Link link) {
        return "bridge".equals(link.kind()) && ANNOUNCE_ALIAS.equals(link.alias())
                && LoadBalancerAnnouncements.DEVICE.equals(link.name());
    }

    private static int segments(String alias) {
        String rest = alias.substring(Link.OWNER_PREFIX.length());
        int n = 1;
        for (int i = 0; i < rest.length(); i++) {
            if (rest.charAt(i) == '/') {
                n++;
            }
        }
        return n;
    }
}
