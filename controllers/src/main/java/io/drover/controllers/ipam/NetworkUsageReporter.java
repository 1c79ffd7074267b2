package io.drover.controllers.ipam;

import io.drover.api.ApiException;
import io.drover.api.ResourceRegistry;
import io.drover.controllers.support.PeriodicTask;
import io.drover.model.ResourceKind;
import io.drover.model.meta.LabelSelector;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkStatus;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each network's address usage into its status ({@code allocatedAddresses}, {@code blocks}) every
 * interval, for {@code drover get networks} and for operators watching a network fill up. Periodic rather than
 * per allocation: a status write per pod would double the store's write load for a number people read rarely.
 */
public final class NetworkUsageReporter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NetworkUsageReporter.class);

    private final ResourceRegistry registry;
    private final IpamService ipam;
    private final Duration interval;
    private final PeriodicTask timer;

    public NetworkUsageReporter(ResourceRegistry registry, IpamService ipam, Duration interval) {
        this.registry = registry;
        this.ipam = ipam;
        this.interval = interval;
        this.timer = new PeriodicTask("ipam-usage", interval, this::reportLogged);
    }

    public void start() {
        timer.start();
    }

    /** Updates every network whose usage changed; returns how many statuses were written. */
    public int report() {
        int written = 0;
        for (Network network : registry.<Network>list(ResourceKind.NETWORK, null, LabelSelector.everything()).items()) {
            List<AllocationBlock> blocks = ipam.blocks(network.name());
            long allocated = blocks.stream().mapToLong(AllocationBlock::allocatedCount).sum();
            NetworkStatus usage = new NetworkStatus(allocated, (long) blocks.size());
            if (Objects.equals(network.status(), usage)) {
                continue;
            }
            try {
                registry.replaceStatus(network.withStatus(usage));
                written++;
            } catch (ApiException e) {
                // Changed or deleted since listed: the next round sees the current version.
                if (e.reason() != ApiException.Reason.CONFLICT && e.reason() != ApiException.Reason.NOT_FOUND) {
                    throw e;
                }
            }
        }
        return written;
    }

    private void reportLogged() {
        try {
            report();
        } catch (RuntimeException e) {
            log.warn("reporting network usage failed; trying again in {}: {}", interval, e.toString());
        }
    }

    /** Stops the timer; a report running now is given a few seconds to finish rather than interrupted mid-write. */
    @Override
    public void close() {
        timer.close();
    }
}
