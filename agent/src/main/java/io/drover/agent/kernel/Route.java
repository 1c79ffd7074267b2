package io.drover.agent.kernel;

import io.drover.model.net.Cidr;
import java.net.InetAddress;

/**
 * A route in the main table.
 *
 * @param destination the prefix (0.0.0.0/0 or ::/0 for a default route)
 * @param gateway     the next hop, or null for a directly connected route
 * @param device      the outgoing interface name, or null to let the kernel choose from the gateway
 * @param onLink      pretend the gateway is directly reachable on the device (RTNH_F_ONLINK), for overlay routes
 */
public record Route(Cidr destination, InetAddress gateway, String device, boolean onLink) {

    public static Route via(Cidr destination, InetAddress gateway) {
        return new Route(destination, gateway, null, false);
    }
}
