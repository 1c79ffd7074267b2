package io.drover.agent.rules;

import io.drover.model.net.Cidr;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One Drover network as this node's rules see it: its bridge, its subnets (the whole network's, not just this
 * node's block, so that every address of the network, on any node, counts as inside it) and whether traffic
 * leaving it is masqueraded.
 *
 * @param network     the network's name, for comments
 * @param bridge      the bridge's interface name, {@code dr-<network>}
 * @param subnets     the network's subnets, at most one per family in practice; kept sorted
 * @param natOutgoing masquerade traffic from the network that leaves the node through a non-Drover interface
 */
public record BridgeNetwork(String network, String bridge, List<Cidr> subnets, boolean natOutgoing) {

    /** What the kernel accepts as an interface name: at most 15 bytes (IFNAMSIZ - 1), no '/', ':' or spaces. */
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    public BridgeNetwork {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(bridge, "bridge");
        if (network.isBlank()) {
            throw new IllegalArgumentException("a bridge network needs the network's name");
        }
        if (!IFNAME.matcher(bridge).matches() || bridge.equals(".") || bridge.equals("..")) {
            throw new IllegalArgumentException("bridge '" + bridge + "' of network " + network
                    + " is not a valid interface name: use 1-15 letters, digits, '_', '.' or '-'");
        }
        subnets = subnets == null ? List.of() : subnets.stream().map(Objects::requireNonNull).sorted().toList();
        for (int i = 1; i < subnets.size(); i++) {
            if (subnets.get(i - 1).overlaps(subnets.get(i))) {
                throw new IllegalArgumentException("network " + network + " lists overlapping subnets "
                        + subnets.get(i - 1) + " and " + subnets.get(i));
            }
        }
    }

    /** The bridge name Drover gives a network: {@code dr-} and the network's name (at most 12 characters). */
    public static String bridgeName(String network) {
        return "dr-" + network;
    }

    /** A network on its conventional bridge. */
    public static BridgeNetwork of(String network, List<Cidr> subnets, boolean natOutgoing) {
        return new BridgeNetwork(network, bridgeName(network), subnets, natOutgoing);
    }
}
