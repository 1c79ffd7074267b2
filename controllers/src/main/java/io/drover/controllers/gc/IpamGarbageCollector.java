package io.drover.controllers.gc;

import io.drover.api.ResourceList;
import io.drover.api.ResourceRegistry;
import io.drover.controllers.ipam.HandleId;
import io.drover.controllers.ipam.HandleRecord;
import io.drover.controllers.ipam.IpamService;
import io.drover.controllers.ipam.StoredHandle;
import io.drover.controllers.support.PeriodicTask;
import io.drover.model.ResourceKind;
import io.drover.model.meta.LabelSelector;
import io.drover.model.network.Network;
import io.drover.model.pod.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
 * <p>A handle can exist before its pod: the registry addresses a pod in its create (see
 * {@link io.drover.controllers.ipam.IpamPodAddressing}), allocating first and writing the pod after. A handle
 * without a pod is therefore only garbage once it is older than a grace period, which is measured in store
 * revisions: each sweep remembers the revision of its pod listing and when it read it, and a handle is judged only
 * when it was written at or before the listing of a sweep at least the grace period ago. A handle written later
 * may belong to a pod whose create is still on its way; it is spared until a later sweep. (Should a create take
 * longer than that, its write finds the handle gone and allocates again: the registry stores a pod with addresses
 * only while their handles exist.)
 *
 * <p>Handles are listed before pods, so that a pod that exists when its handle is listed is in the later list too.
 */
public final class IpamGarbageCollector implements AutoCloseable {

    /** How long a pod's create may take between allocating its addresses and writing the pod, with room to spare. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

    /**
     * What one sweep found and freed.
     *
     * @param handlesSeen   handles of every owner type looked at
     * @param freed         pod handles released because their pod is gone
     * @param blocksDeleted empty blocks of networks that no longer exist, as {@code network/cidr}
     * @param spared        pod handles without a pod that were written too recently to judge (their pod may be
     *                      being created); a later sweep looks at them again
     */
    public record Report(int handlesSeen, List<HandleRecord> freed, List<String> blocksDeleted, int spared) {}

    /** A sweep's pod listing: the store revision it was read at, and when it had been read. */
    private record Listing(long revision, Instant readBy) {}

    private static final Logger log = LoggerFactory.getLogger(IpamGarbageCollector.class);

    private final ResourceRegistry registry;
    private final IpamService ipam;
    private final Duration interval;
    private final Duration grace;
    private final Clock clock;
    private final PeriodicTask timer;
    /** Listings of recent sweeps, oldest first: the newest one older than the grace period, and all newer ones. */
    private final Deque<Listing> listings = new ArrayDeque<>();

    /** A collector that judges handles once they are {@link #DEFAULT_GRACE} old. */
    public IpamGarbageCollector(ResourceRegistry registry, IpamService ipam, Duration interval) {
        this(registry, ipam, interval, DEFAULT_GRACE, Clock.systemUTC());
    }

    /**
     * @param grace how old a handle without a pod must be before it is freed; zero judges every handle at once
     *              (only where no pod is being created, e.g. offline)
     */
    public IpamGarbageCollector(ResourceRegistry registry, IpamService ipam, Duration interval, Duration grace, Clock clock) {
        this.registry = registry;
        this.ipam = ipam;
        this.interval = interval;
        this.grace = grace;
        this.clock = clock;
        this.timer = new PeriodicTask("ipam-gc", interval, this::sweepLogged);
    }

    /** Sweeps now (in the background) and then every interval. */
    public void start() {
        timer.start();
    }

    /** One sweep: frees every pod-owned handle whose pod is gone and that is old enough to tell. */
    public synchronized Report sweep() {
        List<StoredHandle> handles = ipam.storedHandles();
        ResourceList<Pod> pods = registry.list(ResourceKind.POD, null, LabelSelector.everything());
        Set<String> livePods = new HashSet<>();
        for (Pod pod : pods.items()) {
            livePods.add(pod.metadata().uid());
        }
        Instant now = clock.instant();
        listings.addLast(new Listing(pods.resourceVersion(), now));
        long judged = judgedUpTo(now.minus(grace));
        List<HandleRecord> freed = new ArrayList<>();
        int spared = 0;
        for (StoredHandle stored : handles) {
            HandleRecord handle = stored.record();
            if (handle.ownerType() != HandleId.OwnerType.POD || livePods.contains(handle.owner())) {
                continue;
            }
            if (stored.modRevision() > judged) {
                spared++;
            } else if (ipam.release(handle.network(), handle.id())) {
                freed.add(handle);
            }
        }
        return new Report(handles.size(), List.copyOf(freed), deleteBlocksOfDeletedNetworks(), spared);
    }

    /**
     * The revision up to which handles are old enough to judge: that of the newest listing read by {@code cutoff}
     * (0 when no sweep is that old yet). Older listings are forgotten: they could only judge fewer handles.
     */
    private long judgedUpTo(Instant cutoff) {
        Listing newest = null;
        for (Listing l : listings) {
            if (l.readBy().isAfter(cutoff)) {
                break;
            }
            newest = l;
        }
        if (newest == null) {
            return 0;
        }
        while (listings.peekFirst() != newest) {
            listings.removeFirst();
        }
        return newest.revision();
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
            if (report.spared() > 0) {
                log.debug("spared {} allocations without a pod that are too recent to judge (a pod may be being created)", report.spared());
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
