package io.drover.agent.reconcile;

import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.rules.NodeRules;
import io.drover.agent.rules.ServiceRules;
import io.drover.model.net.IpAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The former service endpoints that the fast path keeps exempt on this node while the node's conntrack still
 * translates connections to them.
 *
 * <p>A connection through a cluster IP (or a NodePort) outlives its endpoint's leaving the service, as it does with
 * kube-proxy: its conntrack entry keeps translating. But its replies must still reach that entry, which the fast
 * path would skip once the address is no endpoint; so an address that stops being one drains instead: it stays in
 * {@code fastpath_exempt4} until this node's conntrack holds no translated connection to it. Checked at most every
 * {@link #CHECK_INTERVAL}, on the syncs that happen anyway (the periodic resync at the latest). Each node decides for
 * itself: the node that translated a connection is the one that must see its replies.
 */
final class ExemptDrain {

    static final Duration CHECK_INTERVAL = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(ExemptDrain.class);

    private final Kernel kernel;
    private final LongSupplier nanoClock;
    private final Set<InetAddress> draining = new HashSet<>();
    private ServiceRules last;
    private long checkedAt;
    private boolean checked;

    ExemptDrain(Kernel kernel, LongSupplier nanoClock) {
        this.kernel = kernel;
        this.nanoClock = nanoClock;
    }

    boolean isEmpty() {
        return draining.isEmpty();
    }

    /** The addresses draining now, for rules that are about to be programmed in {@code node}. */
    Set<InetAddress> update(NetNs node, NodeRules wanted) {
        if (!wanted.fastPath().enabled()) {
            draining.clear(); // no fast path: nothing to keep off it
            last = null;
            return Set.of();
        }
        ServiceRules services = wanted.services();
        if (last != null && last != services) {
            for (InetAddress gone : services.endpointAddressesGoneSince(last)) {
                if (gone instanceof Inet4Address && draining.add(gone)) {
                    log.info("{} is no service's endpoint any more: it stays off the fast path while this node's"
                            + " conntrack translates connections to it", IpAddresses.format(gone));
                }
            }
        }
        last = services;
        draining.removeIf(services::isEndpointAddress);
        long now = nanoClock.getAsLong();
        if (!draining.isEmpty() && (!checked || now - checkedAt >= CHECK_INTERVAL.toNanos())) {
            checked = true;
            checkedAt = now;
            draining.removeIf(address -> {
                if (stillTranslated(node, address)) {
                    return false;
                }
                log.info("{} drained: no connection translated to it is left; it may take the fast path again",
                        IpAddresses.format(address));
                return true;
            });
        }
        return Set.copyOf(draining);
    }

    private boolean stillTranslated(NetNs node, InetAddress address) {
        try {
            return kernel.countTranslatedConnections(node, address) > 0;
        } catch (RuntimeException e) {
            // Unknown: keep it exempt, which costs only the fast path for that pod's traffic, and ask again later.
            log.warn("cannot tell whether conntrack still translates connections to {}: {}", IpAddresses.format(address),
                    e.getMessage());
            return true;
        }
    }
}
