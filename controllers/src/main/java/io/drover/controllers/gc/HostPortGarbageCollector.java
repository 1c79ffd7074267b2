package io.drover.controllers.gc;

import io.drover.api.ResourceRegistry;
import io.drover.controllers.hostports.HostPortAllocator;
import io.drover.controllers.hostports.HostPortReservation;
import io.drover.controllers.support.PeriodicTask;
import io.drover.model.ResourceKind;
import io.drover.model.meta.LabelSelector;
import io.drover.model.pod.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees host port reservations whose pod no longer exists, or runs on another node than the reservation's: left
 * behind when a server died between a pod's deletion and the release of its ports, or by anything else that went
 * wrong. Ports a living pod merely stopped publishing are the controller's to give back (it does when the pod
 * changes), never this collector's: it cannot tell a stale reservation from one the controller is working on.
 *
 * <p>Reservations are listed before pods. A port is only reserved for a pod that exists at that time, on the node
 * it runs on (which never changes once set), so a pod missing from the later list was deleted. Each reservation is
 * deleted only if unchanged since it was listed.
 */
public final class HostPortGarbageCollector implements AutoCloseable {

    /**
     * What one sweep found and freed.
     *
     * @param reservationsSeen reservations looked at
     * @param freed            reservations deleted because their pod is gone (or elsewhere)
     */
    public record Report(int reservationsSeen, List<HostPortReservation> freed) {}

    private static final Logger log = LoggerFactory.getLogger(HostPortGarbageCollector.class);

    private final ResourceRegistry registry;
    private final HostPortAllocator hostPorts;
    private final Duration interval;
    private final PeriodicTask timer;

    public HostPortGarbageCollector(ResourceRegistry registry, HostPortAllocator hostPorts, Duration interval) {
        this.registry = registry;
        this.hostPorts = hostPorts;
        this.interval = interval;
        this.timer = new PeriodicTask("hostport-gc", interval, this::sweepLogged);
    }

    /** Sweeps now (in the background) and then every interval. */
    public void start() {
        timer.start();
    }

    /** One sweep: frees every reservation whose pod is gone or runs on another node. */
    public Report sweep() {
        List<HostPortAllocator.Stored> reservations = hostPorts.reservations();
        Map<String, Pod> live = new HashMap<>();
        for (Pod pod : registry.<Pod>list(ResourceKind.POD, null, LabelSelector.everything()).items()) {
            live.put(pod.metadata().uid(), pod);
        }
        List<HostPortReservation> freed = new ArrayList<>();
        for (HostPortAllocator.Stored stored : reservations) {
            HostPortReservation r = stored.reservation();
            Pod pod = live.get(r.podUid());
            boolean garbage = pod == null || !r.node().equals(pod.spec().node());
            if (garbage && hostPorts.releaseIfUnchanged(stored)) {
                freed.add(r);
            }
        }
        return new Report(reservations.size(), List.copyOf(freed));
    }

    private void sweepLogged() {
        try {
            for (HostPortReservation r : sweep().freed()) {
                log.info("freed host port {}/{} of node {}: pod {} ({}) no longer exists there", r.hostPort(), r.protocol(),
                        r.node(), r.pod(), r.podUid());
            }
        } catch (RuntimeException e) {
            log.warn("host port garbage collection failed; trying again in {}: {}", interval, e.toString());
        }
    }

    /** Stops the timer; a sweep running now is given a few seconds to finish rather than interrupted mid-write. */
    @Override
    public void close() {
        timer.close();
    }
}
