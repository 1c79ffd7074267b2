package io.drover.agent;

import io.drover.agent.desired.CrossNodeConfig;
import io.drover.agent.desired.CrossNodeMode;
import io.drover.agent.desired.DesiredNode;
import io.drover.agent.desired.LoadBalancerAnnouncements;
import io.drover.agent.desired.NodeCalculator;
import io.drover.agent.desired.PolicyCalculator;
import io.drover.agent.desired.PodNamespaces;
import io.drover.agent.desired.ServiceCalculator;
import io.drover.agent.kernel.Kernel;
import io.drover.agent.reconcile.Reconciler;
import io.drover.agent.reconcile.SyncError;
import io.drover.agent.reconcile.SyncResult;
import io.drover.agent.rules.PortClash;
import io.drover.agent.rules.ServiceNodeConfig;
import io.drover.agent.rules.ServiceRules;
import io.drover.api.ResourceRegistry;
import io.drover.api.mirror.MirrorListener;
import io.drover.api.mirror.ResourceMirror;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.ipam.Block;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpFamily;
import io.drover.model.network.Network;
import io.drover.model.node.Node;
import io.drover.model.pod.Pod;
import io.drover.model.firewall.FirewallPolicy;
import io.drover.model.firewall.FirewallSettings;
import io.drover.model.firewall.SecurityGroup;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServiceNetworkOptions;
import io.drover.policy.Firewall;
import io.drover.model.tenant.Namespace;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code drover agent}: keeps one node's kernel in line with the store. It mirrors pods, networks, namespaces and
 * NetworkPolicies (list, then watch), and one sync thread recomputes the node's {@link DesiredNode} and hands it to the
 * {@link Reconciler}. Level-triggered: an event only marks the node dirty, so a burst of events costs one sync;
 * a failed sync is retried with backoff; and a periodic resync repairs drift nobody announced (a link set down by
 * hand, a flushed rule table).
 *
 * <p>Closing stops the agent and leaves the data plane exactly as it is: pods keep their interfaces and established
 * connections keep flowing while the agent is down or restarting; the next agent adopts what is there.
 */
public final class NodeAgent implements AutoCloseable {

    /**
     * @param resyncInterval how often the kernel is reconciled without any change in the store, to repair drift
     * @param settle         how long a change waits for others before the sync, so a burst costs one sync
     * @param minRetry       the first retry of a sync that left errors; doubled up to {@code maxRetry}
     */
    public record Options(Duration resyncInterval, Duration settle, Duration minRetry, Duration maxRetry,
            CrossNodeConfig crossNode, List<Cidr> serviceCidrs) {
        public static final Options DEFAULTS = new Options(Duration.ofSeconds(30), Duration.ofMillis(10),
                Duration.ofMillis(200), Duration.ofSeconds(30), CrossNodeConfig.SINGLE_HOST);

        /** A single host: nothing routed to other nodes. */
        public Options(Duration resyncInterval, Duration settle, Duration minRetry, Duration maxRetry) {
            this(resyncInterval, settle, minRetry, maxRetry, CrossNodeConfig.SINGLE_HOST);
        }

        /** With the default service CIDR, the server's default. */
        public Options(Duration resyncInterval, Duration settle, Duration minRetry, Duration maxRetry,
                CrossNodeConfig crossNode) {
            this(resyncInterval, settle, minRetry, maxRetry, crossNode,
                    List.of(Cidr.parse(ServiceNetworkOptions.DEFAULT_SERVICE_CIDR)));
        }

        /**
         * @param serviceCidrs the ranges the servers allocate cluster IPs from (their {@code --service-cidr}): an
         *                     unallocated address in them is dropped
         */
        public Options {
            crossNode = crossNode == null ? CrossNodeConfig.SINGLE_HOST : crossNode;
            serviceCidrs = serviceCidrs == null ? List.of() : List.copyOf(serviceCidrs);
        }

        public Options withCrossNode(CrossNodeConfig config) {
            return new Options(resyncInterval, settle, minRetry, maxRetry, config, serviceCidrs);
        }

        public Options withServiceCidrs(List<Cidr> cidrs) {
            return new Options(resyncInterval, settle, minRetry, maxRetry, crossNode, cidrs);
        }

        /** What the service rules need to know of this node: the service CIDRs, and its underlay address if any. */
        ServiceNodeConfig serviceConfig() {
            List<InetAddress> own = crossNode.mode() == CrossNodeMode.NONE || !(crossNode.underlayAddress() instanceof Inet4Address)
                    ? List.of() : List.of(crossNode.underlayAddress());
            return new ServiceNodeConfig(serviceCidrs.stream().filter(c -> c.family() == IpFamily.IPV4).toList(), own, own);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

    private final String nodeName;
    private final Reconciler reconciler;
    private final PodNamespaces namespaces;
    private final Options options;
    private final ScheduledExecutorService relister;
    private final ResourceMirror<Pod> pods;
    private final ResourceMirror<Network> networks;
    /** NetworkPolicies and the namespaces they select by label: what the node's pods may send and receive. */
    private final ResourceMirror<NetworkPolicy> policies;
    private final ResourceMirror<Namespace> namespaceObjects;
    /** The distributed firewall: groups, tiered policies and the default action. */
    private final ResourceMirror<SecurityGroup> groups;
    private final ResourceMirror<FirewallPolicy> firewallPolicies;
    private final ResourceMirror<FirewallSettings> firewallSettings;
    /** Every service and its endpoints: each node balances every service. */
    private final ResourceMirror<Service> services;
    private final ResourceMirror<ServiceEndpoints> serviceEndpoints;
    /** Every node and block of the cluster, to route to the pods of other nodes; null on a single host. */
    private final ResourceMirror<Node> nodes;
    private final ResourceMirror<Block> blocks;
    /** The service rules last computed without error: kept while a bad service would break them all. */
    private ServiceRules lastServiceRules = ServiceRules.NONE;
    /** Keeps each service's rules across syncs: a sync computes only the services that changed. */
    private final ServiceCalculator serviceCalculator = new ServiceCalculator();
    /** Keeps the rules of pods whose policy did not change from one sync to the next. */
    private final PolicyCalculator policyCalculator = new PolicyCalculator();
    /** Each pod's interfaces from the last sync, reused while the pod and its networks are unchanged. */
    private final NodeCalculator.InterfaceMemo interfaceMemo = new NodeCalculator.InterfaceMemo();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Condition synced = lock.newCondition();
    /** Counts changes seen in the store; {@link #covered} is the count the last finished sync started from. */
    private long changes;
    private long covered = -1;
    private boolean closed;
    private boolean fullSyncRequested;
    private Thread loop;

    private volatile SyncResult lastResult;
    private volatile DesiredNode lastDesired;
    private Set<String> reportedProblems = Set.of();

    public NodeAgent(String nodeName, ResourceRegistry registry, Kernel kernel, PodNamespaces namespaces) {
        this(nodeName, registry, new Reconciler(kernel), namespaces, Options.DEFAULTS);
    }

    public NodeAgent(String nodeName, ResourceRegistry registry, Reconciler reconciler, PodNamespaces namespaces,
            Options options) {
        this.nodeName = nodeName;
        this.reconciler = reconciler;
        this.namespaces = namespaces;
        this.options = options;
        this.relister = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("drover-agent-relist").daemon().factory());
        // Every pod, not only this node's: the peers of network policies are pods wherever they run. A change to a pod
        // of another node costs a computation here, and touches the kernel only when it changes a peer set.
        this.pods = mirror(registry, ResourceKind.POD);
        this.networks = mirror(registry, ResourceKind.NETWORK);
        this.policies = mirror(registry, ResourceKind.NETWORK_POLICY);
        this.namespaceObjects = mirror(registry, ResourceKind.NAMESPACE);
        this.groups = mirror(registry, ResourceKind.SECURITY_GROUP);
        this.firewallPolicies = mirror(registry, ResourceKind.FIREWALL_POLICY);
        this.firewallSettings = mirror(registry, ResourceKind.FIREWALL_SETTINGS);
        this.services = mirror(registry, ResourceKind.SERVICE);
        this.serviceEndpoints = mirror(registry, ResourceKind.SERVICE_ENDPOINTS);
        boolean clustered = options.crossNode().mode() != CrossNodeMode.NONE;
        this.nodes = clustered ? mirror(registry, ResourceKind.NODE) : null;
        this.blocks = clustered ? mirror(registry, ResourceKind.BLOCK) : null;
    }

    /** A copy of every object of the kind; each change wakes the sync loop, which recomputes from all the copies. */
    private <T extends Resource> ResourceMirror<T> mirror(ResourceRegistry registry, ResourceKind kind) {
        return new ResourceMirror<>("agent of " + nodeName, registry, kind, MirrorListener.onChange(this::changed), relister);
    }

    /**
     * Lists networks and the node's pods, reconciles the kernel once (on the caller's thread, so that when this
     * returns the node is plumbed as far as it can be), then watches for changes and keeps reconciling.
     */
    public void start() {
        lock.lock();
        try {
            if (loop != null || closed) {
                throw new IllegalStateException("the agent of " + nodeName + " was already started");
            }
        } finally {
            lock.unlock();
        }
        networks.list();
        namespaceObjects.list();
        policies.list();
        groups.list();
        firewallPolicies.list();
        firewallSettings.list();
        services.list();
        serviceEndpoints.list();
        pods.list();
        if (nodes != null) {
            nodes.list();
            blocks.list();
        }
        SyncResult first = syncOnce(true);
        networks.watch();
        namespaceObjects.watch();
        policies.watch();
        groups.watch();
        firewallPolicies.watch();
        firewallSettings.watch();
        services.watch();
        serviceEndpoints.watch();
        pods.watch();
        if (nodes != null) {
            nodes.watch();
            blocks.watch();
        }
        lock.lock();
        try {
            loop = Thread.ofPlatform().name("drover-agent-" + nodeName).daemon().start(this::run);
        } finally {
            lock.unlock();
        }
        log.info("agent of node {} started: {} pod interfaces, {} bridges{}", nodeName,
                lastDesired == null ? 0 : lastDesired.interfaces().size(), lastDesired == null ? 0 : lastDesired.bridges().size(),
                first.ok() ? "" : ", " + first.errors().size() + " errors (retrying)");
    }

    /** Asks for a sync that reads the kernel now, whether or not anything changed. */
    public void requestSync() {
        lock.lock();
        try {
            fullSyncRequested = true;
        } finally {
            lock.unlock();
        }
        changed();
    }

    /**
     * Waits until a sync has finished that started after every change seen so far; false on timeout. It says
     * nothing about errors: see {@link #lastResult()}.
     */
    public boolean awaitSynced(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (covered != changes) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                synced.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    public Optional<SyncResult> lastResult() {
        return Optional.ofNullable(lastResult);
    }

    public Optional<DesiredNode> lastDesired() {
        return Optional.ofNullable(lastDesired);
    }

    public String nodeName() {
        return nodeName;
    }

    /** Where this node's pods live: what a health check's script enters ({@code io.drover.agent.health}). */
    public PodNamespaces podNamespaces() {
        return namespaces;
    }

    /**
     * The services as mirrored now: the same list object until one changes, so that a reader polling it recognises
     * "nothing changed" by identity (the health checks do).
     */
    public List<Service> services() {
        return services.items();
    }

    /** Every service's endpoints as mirrored now; the same list object until one changes. */
    public List<ServiceEndpoints> serviceEndpoints() {
        return serviceEndpoints.items();
    }

    /** Every pod of the cluster as mirrored now; the same list object until one changes. */
    public List<Pod> pods() {
        return pods.items();
    }

    /** Stops watching and syncing (a sync under way is finished first); the data plane is left as it is. */
    @Override
    public void close() {
        Thread running;
        lock.lock();
        try {
            closed = true;
            running = loop;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        pods.close();
        networks.close();
        policies.close();
        namespaceObjects.close();
        groups.close();
        firewallPolicies.close();
        firewallSettings.close();
        services.close();
        serviceEndpoints.close();
        if (nodes != null) {
            nodes.close();
            blocks.close();
        }
        relister.shutdownNow();
        if (running != null) {
            try {
                running.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void changed() {
        lock.lock();
        try {
            changes++;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        long nextResync = System.nanoTime() + options.resyncInterval().toNanos();
        long retryAt = Long.MAX_VALUE;
        long drainCheckAt = Long.MAX_VALUE;
        Duration backoff = options.minRetry();
        while (true) {
            boolean dirty;
            boolean requested;
            lock.lock();
            try {
                while (!closed && covered == changes
                        && System.nanoTime() - Math.min(nextResync, Math.min(retryAt, drainCheckAt)) < 0) {
                    wake.awaitNanos(Math.max(1, Math.min(nextResync, Math.min(retryAt, drainCheckAt)) - System.nanoTime()));
                }
                if (closed) {
                    return;
                }
                dirty = covered != changes;
                requested = fullSyncRequested;
                fullSyncRequested = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            if (dirty && !options.settle().isZero()) {
                sleep(options.settle());
            }
            boolean resync = System.nanoTime() - nextResync >= 0;
            if (resync) {
                // Everything is compared with the kernel again, not with memory, so that what someone changed behind
                // the agent's back (a flushed table, an address removed inside a pod) is repaired.
                reconciler.forgetVerifiedState();
                nextResync = System.nanoTime() + options.resyncInterval().toNanos();
            }
            boolean drainCheck = System.nanoTime() - drainCheckAt >= 0;
            SyncResult result = syncOnce(resync || requested || drainCheck || retryAt != Long.MAX_VALUE);
            drainCheckAt = reconciler.draining()
                    ? System.nanoTime() + Reconciler.DRAIN_CHECK_INTERVAL.toNanos() : Long.MAX_VALUE;
            if (result.ok()) {
                retryAt = Long.MAX_VALUE;
                backoff = options.minRetry();
            } else {
                retryAt = System.nanoTime() + backoff.toNanos();
                backoff = min(backoff.multipliedBy(2), options.maxRetry());
            }
        }
    }

    /**
     * The services this node balances. Two services claiming one address and port (external IPs are the users' to
     * choose) cannot both be programmed: the node keeps balancing what it balanced before and says which ones clash,
     * rather than dropping every service.
     */
    private ServiceRules serviceRules() {
        try {
            lastServiceRules = serviceCalculator.calculate(nodeName, options.serviceConfig(), services.items(),
                    serviceEndpoints.items());
        } catch (IllegalArgumentException e) {
            log.error("node {}: services not updated: {}", nodeName, e.getMessage());
        }
        return lastServiceRules;
    }

    /**
     * One sync from the mirrors; never throws (a failure becomes the result's error, retried later). A change in the
     * store that changes nothing the kernel holds (a new pod still waiting for its addresses, a label) costs only the
     * computation: the kernel is not read, unless {@code full} (the first sync, the periodic resync, a retry).
     */
    private SyncResult syncOnce(boolean full) {
        long startedAt;
        lock.lock();
        try {
            startedAt = changes;
        } finally {
            lock.unlock();
        }
        SyncResult result;
        try {
            DesiredNode desired = nodes == null
                    ? NodeCalculator.compute(nodeName, networks.items(), pods.items(), namespaces,
                            CrossNodeConfig.SINGLE_HOST, List.of(), List.of(), interfaceMemo)
                    : NodeCalculator.compute(nodeName, networks.items(), pods.items(), namespaces, options.crossNode(),
                            nodes.items(), blocks.items(), interfaceMemo);
            desired = desired.withPolicy(
                    policyCalculator.calculate(nodeName, namespaceObjects.items(), pods.items(), policies.items(),
                            Firewall.of(groups.items(), firewallPolicies.items(),
                                    firewallSettings.items().stream().findFirst())));
            desired = desired.withServices(serviceRules());
            desired = desired.withAnnounced(LoadBalancerAnnouncements.of(nodeName, services.items(),
                    serviceEndpoints.items(), nodes == null ? null : nodes.items()));
            DesiredNode previous = lastDesired;
            SyncResult last = lastResult;
            lastDesired = desired;
            if (!full && last != null && last.ok() && desired.sameDataPlaneAs(previous)) {
                result = new SyncResult(List.of(), List.of(), desired.waiting(), Duration.ZERO);
            } else {
                result = reconciler.sync(desired);
            }
            report(desired, result);
        } catch (RuntimeException e) {
            log.error("sync of node {} failed", nodeName, e);
            result = new SyncResult(List.of(), List.of(new SyncError("node " + nodeName, null, e.toString())), List.of(),
                    Duration.ZERO);
        }
        lastResult = result;
        lock.lock();
        try {
            covered = startedAt;
            synced.signalAll();
        } finally {
            lock.unlock();
        }
        return result;
    }

    /** Logs what changed, and each problem once when it appears (not at every retry). */
    private void report(DesiredNode desired, SyncResult result) {
        if (result.changed()) {
            log.info("node {}: {} changes in {} ms{}", nodeName, result.applied().size(), result.took().toMillis(),
                    result.ok() ? "" : ", " + result.errors().size() + " errors");
            result.applied().forEach(c -> log.debug("  {}", c));
        }
        Set<String> problems = result.errors().stream().map(SyncError::toString).collect(Collectors.toSet());
        desired.refusedPorts().stream().map(PortClash::message).forEach(problems::add);
        problems.addAll(desired.crossNode().problems());
        for (String p : problems) {
            if (!reportedProblems.contains(p)) {
                log.warn("node {}: {}", nodeName, p);
            }
        }
        reportedProblems = Set.copyOf(problems);
        result.waiting().forEach(w -> log.debug("node {}: pod {} waits: {}", nodeName, w.pod(), w.reason()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(Duration d) {
        try {
            TimeUnit.NANOSECONDS.sleep(d.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
