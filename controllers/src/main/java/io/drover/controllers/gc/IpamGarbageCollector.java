package io.drover.controllers.gc;

import io.drover.api.ResourceRegistry;
import io.drover.controllers.ipam.HandleId;
import io.drover.controllers.ipam.HandleRecord;
import io.drover.controllers.ipam.IpamService;
import io.drover.controllers.support.PeriodicTask;
import io.drover.model.ResourceKind;
import io.drover.model.meta.LabelSelector;
import io.drover.model.network.Network;
import io.drover.model.pod.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees allocations whose pod no longer exists: left behind when a server died between a pod's deletion and
 * the release of its addresses, or by anything else that went wrong. Only handles owned by pods are its
 * business; container handles (CNI) belong to the node agents, which know which containers exist.
 *
 * <p>Handles are listed before pods. A handle is only created for a pod that exists at that time, so a pod
 * missing from the later list was deleted: its handle is garbage. (Listing pods first would race with a pod
 * created, and addressed, between the two lists.)
 */
public final class IpamGarbageCollector implements AutoCloseable {

    /**
     * What one sweep found and freed.
     *
     * @param handlesSeen   handles of every owner type looked at
     * @param freed         pod handles released because their pod is gone
     * @param blocksDeleted empty blocks of networks that no longer exist, as {@code network/cidr}
     */
    public record Report(int handlesSeen, List<HandleRecord> freed, List<String> blocksDeleted) {}

    private static final Logger log = LoggerFactory.getLogger(IpamGarbageCollector.class);

    private final ResourceRegistry registry;
    private final IpamService ipam;
    private final Duration interval;
    private final PeriodicTask timer;

    public IpamGarbageCollector(ResourceRegistry registry, IpamService ipam, Duration interval) {
        this.registry = registry;
        this.ipam = ipam;
        this.interval = interval;
        this.timer = new PeriodicTask("ipam-gc", interval, this::sweepLogged);
    }

    /** Sweeps now (in the background) and then every interval. */
    public void start() {
        timer.start();
    }

    /** One sweep: frees every pod-owned handle whose pod is gone. */
    public Report sweep() {
        List<HandleRecord> handles = ipam.handles();
        Set<String> livePods = new HashSet<>();
        for (Pod pod : registry.<Pod>list(ResourceKind.POD, null, LabelSelector.everything()).items()) {
            livePods.add(pod.metadata().uid());
        }
        List<HandleRecord> freed = new ArrayList<>();
        for (HandleRecord handle : handles) {
            if (handle.ownerType() == HandleId.OwnerType.POD && !livePods.contains(handle.owner())
                    && ipam.release(handle.network(), handle.id())) {
                freed.add(handle);
            }
        }
        return new Report(handles.size(), List.copyOf(freed), deleteBlocksOfDeletedNetworks());
    }

    /**
     * A network can only be deleted once no pod joins it, so its blocks empty out; they are deleted so that a
     * network created later under the same name does not inherit them. A block that is written meanwhile
     * (the name reused at once) is left alone: its revision no longer matches.
     */
    private List<String> deleteBlocksOfDeletedNetworks() {
        Set<String> networks = new HashSet<>();
        for (Network n : registry.<Network>list(ResourceKind.NETWORK, null, LabelSelector.everything()).items()) {
            networks.add(n.name());
        }
        List<String> deleted = new ArrayList<>();
        for (String network : ipam.networksWithBlocks()) {
            if (!networks.contains(network)) {
                ipam.deleteEmptyBlocks(network).forEach(cidr -> deleted.add(network + "/" + cidr));
            }
        }
        return deleted;
    }

    private void sweepLogged() {
        try {
            Report report = sweep();
            for (HandleRecord h : report.freed()) {
                log.info("freed {} in network {}: pod {} no longer exists", h.addresses().stream().map(HandleRecord.Address::ip).toList(), h.network(), h.owner());
            }
            if (!report.blocksDeleted().isEmpty()) {
                log.info("deleted empty blocks of deleted networks: {}", report.blocksDeleted());
            }
        } catch (RuntimeException e) {
            log.warn("IPAM garbage collection failed; trying again in {}: {}", interval, e.toString());
        }
    }

    /** Stops the timer; a sweep running now is given a few seconds to finish rather than interrupted mid-write. */
    @Override
    public void close() {
        timer.close();
    }
}
