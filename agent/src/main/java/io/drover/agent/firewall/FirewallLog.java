package io.drover.agent.firewall;

import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.rules.FirewallChains;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The firewall's log on a node: every connection a firewall rule with {@code logging: true} (or the default action
 * with {@code FirewallSettings.spec.logging}) decides becomes one line of logger {@code io.drover.firewall}, e.g.
 * {@code fw-1a2b3c4d5e6f drop x/a: TCP 10.77.0.2:41234 -> 10.77.0.3:80}. The rules send the packets to NFLOG
 * group {@value FirewallChains#LOG_GROUP} of the node's namespace (kernel logging is not available in network
 * namespaces other than the host's); this reads them there.
 */
public final class FirewallLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("io.drover.firewall");
    private static final Logger self = LoggerFactory.getLogger(FirewallLog.class);

    private final AutoCloseable subscription;

    private FirewallLog(AutoCloseable subscription) {
        this.subscription = subscription;
    }

    /** Starts reading; when NFLOG cannot be bound (another reader holds the group), says so and reads nothing. */
    public static FirewallLog start(Kernel kernel, NetNs nodeNamespace) {
        try {
            return new FirewallLog(kernel.followNflog(nodeNamespace, FirewallChains.LOG_GROUP, r -> log.info("{}", r)));
        } catch (RuntimeException e) {
            self.warn("firewall rules that ask for logging will not be logged on this node: cannot follow NFLOG group {}: {}",
                    FirewallChains.LOG_GROUP, e.getMessage());
            return new FirewallLog(() -> { });
        }
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            self.debug("closing the firewall log: {}", e.toString());
        }
    }
}
