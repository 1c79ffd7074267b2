package io.drover.controllers.ipam;

import io.drover.api.ApiException;
import io.drover.api.ResourceRegistry;
import io.drover.controllers.hostports.AutomaticPorts;
import io.drover.controllers.hostports.HostPortAllocator;
import io.drover.controllers.hostports.HostPortReservation;
import io.drover.controllers.hostports.PortClaims;
import io.drover.controllers.ipam.PodAttachments.Attachment;
import io.drover.controllers.support.KeyedWorkQueue;
import io.drover.controllers.support.ResourceInformer;
import io.drover.model.ResourceKind;
import io.drover.model.network.Network;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every pod that is placed on a node and joins networks its addresses, and takes them back when the pod
 * goes. Level-triggered: it watches pods and networks and, for each pod that may need work, computes what its
 * status should be from the store (an allocation for a handle that exists answers with what it holds), writing
 * only when that differs. A restart therefore changes no address. Pods created through the API mostly arrive
 * addressed already ({@link IpamPodAddressing} allocates with the same handles in the create): for them the pass
 * answers with what their handles hold, finds the status as it should be and writes nothing.
 *
 * <p>The same pass gives a pod that publishes all its ports ({@code spec.publishAllPorts}) an automatic host port
 * for each port without a {@code hostPort} ({@link HostPortAllocator}), so that the pod's status has one writer and
 * is written once: addresses, {@code publishedPorts}, phase and message together, compare-and-swap on the pod's
 * resourceVersion. A pod whose host ports cannot be allocated (the range of its node is exhausted) keeps its
 * addresses and the host ports it had and is {@code Failed} with a message; it is retried when a host port of its
 * node is given back and periodically.
 *
 * <p>Pods are processed by a pool of workers, never the same pod by two at once (a {@link KeyedWorkQueue} keyed
 * by pod uid); allocations of concurrent workers for the same node share store transactions through
 * {@link IpamService}.
 */
public final class IpamController implements AutoCloseable {

    /**
     * @param workers        pods processed at once. A worker spends nearly all its time waiting for store
     *                       commits, so throughput grows with workers well past the number of cores: the store
     *                       commits concurrent writes together, and concurrent allocations on one node share a
     *                       transaction.
     * @param resyncInterval how often pods whose allocation failed are tried again (they also are when a
     *                       network appears or changes, and when an address of their network is released)
     */
    public record Options(int workers, Duration resyncInterval) {
        public static final Options DEFAULTS = new Options(32, Duration.ofSeconds(30));
    }

    private static final Logger log = LoggerFactory.getLogger(IpamController.class);
    private static final int MAX_STATUS_ATTEMPTS = 10;

    private final ResourceRegistry registry;
    private final IpamService ipam;
    private final HostPortAllocator hostPorts;
    private final Options options;
    private final KeyedWorkQueue<String> queue;
    private final ResourceInformer<Pod> pods;
    private final ResourceInformer<Network> networks;
    /** Deleted pods (by uid) whose addresses are still to be released. */
    private final Map<String, Pod> tombstones = new ConcurrentHashMap<>();
    /** Pods (by uid) whose allocation failed, by the networks they join: retried when an address there frees up. */
    private final Map<String, Set<String>> failedByNetwork = new ConcurrentHashMap<>();
    /** Pods (uid to node) that did not get all their automatic host ports: retried when a port of the node frees up. */
    private final Map<String, String> portsFailed = new ConcurrentHashMap<>();
    private final ScheduledExecutorService resync;

    public IpamController(ResourceRegistry registry, IpamService ipam, HostPortAllocator hostPorts) {
        this(registry, ipam, hostPorts, Options.DEFAULTS);
    }

    public IpamController(ResourceRegistry registry, IpamService ipam, HostPortAllocator hostPorts, Options options) {
        this.registry = registry;
        this.ipam = ipam;
        this.hostPorts = hostPorts;
        this.options = options;
        this.queue = new KeyedWorkQueue<>("ipam", options.workers(), this::reconcile);
        this.pods = new ResourceInformer<>(registry, ResourceKind.POD, p -> p.metadata().uid(), new PodEvents());
        this.networks = new ResourceInformer<>(registry, ResourceKind.NETWORK, Network::name, new NetworkEvents());
        this.resync = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("ipam-resync").daemon().factory());
    }

    /** Lists pods and networks, queues every pod once (to adopt or repair what is stored), then follows changes. */
    public void start() {
        networks.start();
        pods.start();
        long every = options.resyncInterval().toMillis();
        resync.scheduleWithFixedDelay(this::requeueUnfinished, every, every, TimeUnit.MILLISECONDS);
        log.info("IPAM controller started with {} workers", options.workers());
    }

    /** Waits until every queued pod has been processed (not counting retries scheduled for later). For tests. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return queue.awaitIdle(timeout);
    }

    /** Stops watching and processing; a pod being processed now is finished first (waited for up to 10 s). */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /** Stops watching and processing, waiting up to {@code timeout} for pods being processed now. */
    public void close(Duration timeout) {
        resync.shutdownNow();
        pods.close();
        networks.close();
        queue.close(timeout);
    }

    private void requeueUnfinished() {
        for (Pod pod : pods.items()) {
            if (!PodAttachments.looksDone(pod)) {
                queue.add(pod.metadata().uid());
            }
        }
    }

    private final class PodEvents implements ResourceInformer.Handler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            tombstones.remove(pod.metadata().uid());
            // A pod created addressed was addressed by the server in its create, whose transaction checked that the
            // allocations are held (see IpamPodAddressing): there is nothing to do, and doing it anyway (a store
            // round trip per interface) would sit beside every CNI ADD. The first listing still checks every pod.
            if (!pods.hasSynced() || !PodAttachments.looksDone(pod)) {
                queue.add(pod.metadata().uid());
            }
            recheckAutomaticPorts(null, pod);
        }

        @Override
        public void onUpdate(Pod previous, Pod pod) {
            // Our own status writes come back here: a pod that is done needs nothing more, and a failed one is
            // retried when something it waits for changes (a network, a freed address, the periodic resync),
            // not because its failure was recorded.
            if (PodAttachments.ipamSpecChanged(previous, pod) || !(PodAttachments.looksDone(pod) || PodAttachments.failed(pod))) {
                queue.add(pod.metadata().uid());
            }
            recheckAutomaticPorts(previous, pod);
        }

        @Override
        public void onDelete(Pod pod) {
            tombstones.put(pod.metadata().uid(), pod);
            queue.add(pod.metadata().uid());
        }
    }

    /**
     * A pod that declares a new hostPort (or a host-mode pod with a new port) may name a port that an automatic port
     * of another pod of its node was given at the same moment: such pods are looked at again (the older of the two
     * keeps the port, see {@link PortClaims}).
     */
    private void recheckAutomaticPorts(Pod previous, Pod pod) {
        String node = pod.spec().node();
        if (node == null || !pods.hasSynced()) {
            return; // the first pod list queues every pod anyway
        }
        Set<String> before = previous == null ? Set.of() : nodePortsTaken(previous);
        Set<String> added = new java.util.HashSet<>(nodePortsTaken(pod));
        added.removeAll(before);
        if (added.isEmpty()) {
            return;
        }
        for (Pod other : pods.items()) {
            if (node.equals(other.spec().node()) && !other.metadata().uid().equals(pod.metadata().uid())
                    && other.status() != null && other.status().publishedPorts().stream()
                            .anyMatch(p -> added.contains(p.effectiveProtocol() + "/" + p.hostPort()))) {
                queue.add(other.metadata().uid());
            }
        }
    }

    /** The node ports a pod takes without a reservation: its hostPorts, or in host mode its ports. */
    private static Set<String> nodePortsTaken(Pod pod) {
        Set<String> out = new java.util.HashSet<>();
        boolean hostMode = pod.spec().effectiveNetworkMode().equals("host");
        for (PodPort p : pod.spec().ports()) {
            Integer port = p.hostPort() != null ? p.hostPort() : hostMode ? p.port() : null;
            if (port != null) {
                out.add(p.effectiveProtocol() + "/" + port);
            }
        }
        return out;
    }

    private final class NetworkEvents implements ResourceInformer.Handler<Network> {
        @Override
        public void onAdd(Network network) {
            retryPodsOf(network.name());
        }

        @Override
        public void onUpdate(Network previous, Network network) {
            if (!Objects.equals(previous.spec(), network.spec())) {
                retryPodsOf(network.name());
            }
        }

        @Override
        public void onDelete(Network network) {
            // Pods keep their addresses until they go; blocks of a deleted network are the collector's.
        }

        /** Pods that failed (or wait) because of this network may succeed now. */
        private void retryPodsOf(String network) {
            if (!pods.hasSynced()) {
                return; // the first pod list queues every pod anyway
            }
            for (Pod pod : pods.items()) {
                if (pod.spec().networks().contains(network) && !PodAttachments.looksDone(pod)) {
                    queue.add(pod.metadata().uid());
                }
            }
        }
    }

    /** Brings one pod's allocations and status in line with its spec; throwing makes the queue retry later. */
    private void reconcile(String uid) {
        Optional<Pod> current = pods.get(uid);
        if (current.isEmpty()) {
            Pod gone = tombstones.get(uid);
            if (gone != null) {
                releaseAll(gone);
                tombstones.remove(uid, gone);
                forgetFailure(uid, PodAttachments.desired(gone));
                portsFailed.remove(uid);
            }
            return;
        }
        Pod pod = current.get();
        List<Attachment> desired = PodAttachments.desired(pod);
        PodStatus status;
        try {
            status = allocate(pod, desired);
            forgetFailure(uid, desired);
            status = publish(pod, status);
        } catch (IpamException | IllegalArgumentException e) {
            if (e instanceof IpamException ie && ie.reason() == IpamException.Reason.CONTENDED) {
                throw ie; // transient: the queue retries soon, and what was allocated is answered again then
            }
            // Nothing half-allocated: a pod gets all its addresses or none (and without addresses, no host ports).
            releaseAll(pod);
            status = new PodStatus(PodStatus.FAILED, List.of(), e.getMessage());
            for (Attachment a : desired) {
                failedByNetwork.computeIfAbsent(a.network(), n -> ConcurrentHashMap.newKeySet()).add(uid);
            }
            log.info("pod {}/{}: {}", pod.namespace(), pod.name(), e.getMessage());
        }
        Set<Attachment> stale = new LinkedHashSet<>(PodAttachments.held(pod));
        if (status != null) {
            stale.removeAll(status.addresses().stream().map(a -> new Attachment(a.network(), a.interfaceName())).toList());
        }
        for (Attachment a : stale) {
            release(a.network(), a.handle(uid));
        }
        writeStatus(pod, status);
    }

    private PodStatus allocate(Pod pod, List<Attachment> desired) {
        if (desired.isEmpty()) {
            // Not placed yet, or not in bridge mode: no addresses; keep whatever else the status says.
            PodStatus old = pod.status();
            return old == null || old.addresses().isEmpty() ? old : new PodStatus(null, List.of(), null);
        }
        List<PodStatus.PodAddress> addresses = new ArrayList<>();
        String uid = pod.metadata().uid();
        for (Attachment a : desired) {
            for (AllocatedAddress address : ipam.allocate(a.network(), pod.spec().node(), a.handle(uid))) {
                addresses.add(PodAttachments.toPodAddress(a, address));
            }
        }
        return PodAttachments.allocated(addresses);
    }

    /**
     * Adds the automatic host ports of a pod that publishes all its ports to the status IPAM computed: those it
     * holds, new ones for ports without one, none for ports it no longer publishes. A pod that never had any and
     * wants none costs nothing here. When the range of its node has too few free ports left, the pod is Failed with
     * a message and keeps its addresses.
     */
    private PodStatus publish(Pod pod, PodStatus status) {
        String uid = pod.metadata().uid();
        List<AutomaticPorts.Wanted> wanted = AutomaticPorts.wanted(pod);
        String node = pod.spec().node();
        if (node == null || node.isEmpty()
                || wanted.isEmpty() && !AutomaticPorts.listed(pod) && !portsFailed.containsKey(uid)) {
            return status;
        }
        HostPortAllocator.Outcome ports = hostPorts.assign(new HostPortAllocator.Owner(uid, pod.namespace() + "/" + pod.name(), node),
                wanted, PortClaims.of(pod, pods.items()));
        portsReleased(node, uid, ports.released());
        if (ports.problem() == null) {
            portsFailed.remove(uid);
        } else {
            portsFailed.put(uid, node);
            log.info("pod {}/{}: {}", pod.namespace(), pod.name(), ports.problem());
        }
        PodStatus base = status == null ? new PodStatus(null, List.of(), null) : status;
        if (ports.problem() != null) {
            return new PodStatus(PodStatus.FAILED, base.addresses(), ports.published(), ports.problem());
        }
        PodStatus out = new PodStatus(base.phase(), base.addresses(), ports.published(), base.message());
        return status == null && out.equals(new PodStatus(null, List.of(), null)) ? null : out;
    }

    /** Host ports given back on {@code node} may be what pods that did not get theirs were waiting for. */
    private void portsReleased(String node, String releasingUid, List<HostPortReservation> released) {
        if (released.isEmpty()) {
            return;
        }
        portsFailed.forEach((uid, n) -> {
            if (n.equals(node) && !uid.equals(releasingUid)) {
                queue.add(uid);
            }
        });
    }

    /** Writes the status unless the pod already has it; when the pod is gone, gives its addresses back. */
    private void writeStatus(Pod pod, PodStatus status) {
        Pod target = pod;
        for (int attempt = 0; attempt < MAX_STATUS_ATTEMPTS; attempt++) {
            if (Objects.equals(target.status(), status)) {
                return;
            }
            try {
                registry.replaceStatus(target.withStatus(status));
                return;
            } catch (ApiException e) {
                if (e.reason() != ApiException.Reason.CONFLICT && e.reason() != ApiException.Reason.NOT_FOUND) {
                    throw e;
                }
            }
            Optional<Pod> fresh = registry.get(Pod.class, pod.namespace(), pod.name());
            if (fresh.isEmpty() || !Objects.equals(fresh.get().metadata().uid(), pod.metadata().uid())) {
                // Deleted while we allocated: the delete event may already have been handled, so release here.
                releaseAll(pod);
                return;
            }
            if (PodAttachments.ipamSpecChanged(pod, fresh.get())) {
                queue.add(pod.metadata().uid()); // the new spec needs a new plan
                return;
            }
            target = fresh.get();
        }
        throw new IllegalStateException("pod " + pod.namespace() + "/" + pod.name() + " kept changing while its status was written");
    }

    /**
     * Releases every handle the pod may hold (those of its spec and those its status lists), and its automatic host
     * ports when it may hold some.
     */
    private void releaseAll(Pod pod) {
        Set<Attachment> all = new LinkedHashSet<>(PodAttachments.desired(pod));
        all.addAll(PodAttachments.held(pod));
        String uid = pod.metadata().uid();
        String node = pod.spec().node();
        if (node != null && !node.isEmpty() && (pod.spec().publishesAllPorts() || AutomaticPorts.listed(pod)
                || portsFailed.containsKey(uid))) {
            try {
                portsReleased(node, uid, hostPorts.releaseAll(uid, node));
            } catch (RuntimeException e) {
                log.warn("pod {}/{}: cannot release its host ports on {} (the garbage collector will): {}",
                        pod.namespace(), pod.name(), node, e.toString());
            }
        }
        for (Attachment a : all) {
            try {
                release(a.network(), a.handle(uid));
            } catch (IpamException | IllegalArgumentException e) {
                log.warn("pod {}/{}: cannot release {} on {}: {}", pod.namespace(), pod.name(), a.interfaceName(), a.network(), e.getMessage());
            }
        }
    }

    /** Releases one handle; a freed address may be what a failed pod of that network was waiting for. */
    private void release(String network, HandleId handle) {
        if (ipam.release(network, handle)) {
            Set<String> waiting = failedByNetwork.get(network);
            if (waiting != null) {
                waiting.stream().filter(uid -> !uid.equals(handle.owner())).forEach(queue::add);
            }
        }
    }

    private void forgetFailure(String uid, List<Attachment> attachments) {
        for (Attachment a : attachments) {
            Set<String> waiting = failedByNetwork.get(a.network());
            if (waiting != null) {
                waiting.remove(uid);
            }
        }
    }
}
