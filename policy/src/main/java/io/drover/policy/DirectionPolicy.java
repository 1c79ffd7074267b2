package io.drover.policy;

import java.net.InetAddress;
import java.util.List;

/**
 * What a pod lets through in one direction: everything when not isolated, else only what an entry allows.
 *
 * @param allowed empty when not isolated (everything passes) or when isolated by policies that allow nothing
 */
public record DirectionPolicy(boolean isolated, List<AllowEntry> allowed) {

    public static final DirectionPolicy NOT_ISOLATED = new DirectionPolicy(false, List.of());

    public DirectionPolicy {
        allowed = List.copyOf(allowed);
        if (!isolated && !allowed.isEmpty()) {
            throw new IllegalArgumentException("a direction that is not isolated allows everything; it has no entries");
        }
    }

    /** @param peer the other end: the source of an ingress connection, the destination of an egress one */
    public boolean allows(InetAddress peer, String protocol, int port) {
        return !isolated || allowed.stream().anyMatch(entry -> entry.allows(peer, protocol, port));
    }
}
