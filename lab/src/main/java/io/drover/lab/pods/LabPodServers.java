package io.drover.lab.pods;

import io.drover.agent.cni.ClusterDns;
import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.NetNs;
import io.drover.api.ResourceEvent;
import io.drover.api.ResourceList;
import io.drover.api.ResourceRegistry;
import io.drover.api.ResourceWatcher;
import io.drover.lab.dns.PodResolvConf;
import io.drover.lab.dns.PodResolvers;
import io.drover.lab.echo.EchoServer;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabProcesses;
import io.drover.lab.runtime.LabState;
import io.drover.model.ResourceKind;
import io.drover.model.pod.Pod;
import io.drover.model.service.Service;
import io.drover.store.Watch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs what the pods of one lab node run, beside that node's agent: Drover's echo server on a pod's declared ports
 * (its sockets opened inside the pod's namespace, served by this process), or the command of the pod's spec
 * ({@code ip netns exec POD_NS COMMAND}, recorded in the lab state so that {@code lab down} stops it even if this
 * process is killed). A workload starts once its pod's namespace exists (the agent makes it; the echo server binds
 * the wildcard address, so it serves the pod's addresses as soon as the agent adds them) and stops when the pod
 * goes. A namespace that is made again gets its workload again, and a command that exits is started again.
 *
 * <p>Level-triggered: a watch on pods only says "look again"; each pass lists the node's pods and compares them
 * with what runs. Passes run on one thread: every 100 ms while a pod waits for its namespace or a retry, otherwise
 * every 2 s, and at once after a change.
 *
 * <p>Closing stops the echo servers (they live in this process) but leaves commands running, as the agent leaves
 * the data plane: the next agent of the node adopts them, and {@code lab down} stops them.
 */
public final class LabPodServers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LabPodServers.class);
    private static final Duration BUSY_TICK = Duration.ofMillis(100);
    private static final Duration IDLE_TICK = Duration.ofSeconds(2);
    private static final Duration RETRY = Duration.ofSeconds(3);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final String node;
    private final ResourceRegistry registry;
    private final Kernel kernel;
    private final LabNames names;
    private final LabProcesses processes;
    private final PodResolvers resolvers;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean dirty = true;
    private boolean closed;
    private long nextWake = System.nanoTime();
    private Watch watch;
    private Thread loop;

    /** Confined to the loop thread. */
    private final Map<String, Running> running = new HashMap<>();
    private final Map<String, Failure> failures = new HashMap<>();
    private boolean adopted;
    private String lastError;

    private volatile Map<String, String> serving = Map.of();

    /** A workload that runs: an echo server of this process, or a recorded command process. */
    private record Running(PodWorkload workload, long namespaceInode, EchoServer echo, LabState.ProcessRecord process) {}

    /** A workload that could not start, not tried again before {@code retryAt} unless the pod changes. */
    private record Failure(PodWorkload workload, long retryAt) {}

    /**
     * @param node      the lab node, e.g. {@code node-1}: only its pods are run here
     * @param processes records the commands in the lab's state
     */
    public LabPodServers(String node, ResourceRegistry registry, Kernel kernel, LabNames names, LabProcesses processes) {
        this(node, registry, kernel, names, processes, ClusterDns.NONE);
    }

    /**
     * @param clusterDns the cluster DNS the node's pods ask (their resolv.conf, written before their commands start);
     *                   {@link ClusterDns#NONE} for none
     */
    public LabPodServers(String node, ResourceRegistry registry, Kernel kernel, LabNames names, LabProcesses processes,
            ClusterDns clusterDns) {
        this.node = node;
        this.registry = registry;
        this.kernel = kernel;
        this.names = names;
        this.processes = processes;
        this.resolvers = new PodResolvers(node, names, clusterDns, new PodResolvConf(PodResolvConf.ETC_NETNS));
    }

    public void start() {
        lock.lock();
        try {
            if (loop != null || closed) {
                throw new IllegalStateException("the pod servers of " + node + " were already started");
            }
            loop = Thread.ofPlatform().name("lab-pods-" + node).daemon().start(this::run);
        } finally {
            lock.unlock();
        }
    }

    /** What runs now, by pod ({@code <namespace>/<pod>}): for logs and tests. */
    public Map<String, String> serving() {
        return serving;
    }

    @Override
    public void close() {
        Thread thread;
        lock.lock();
        try {
            closed = true;
            thread = loop;
            closeWatch();
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            while (awaitWork()) {
                boolean busy;
                try {
                    busy = pass();
                    lastError = null;
                } catch (RuntimeException e) {
                    // Typically the server is away (restarting, or the lab going down): say so once, retry calmly.
                    if (!e.toString().equals(lastError)) {
                        log.warn("lab pods of {}: {}; trying again every {} s", node, e, IDLE_TICK.toSeconds());
                        lastError = e.toString();
                    }
                    busy = false;
                }
                lock.lock();
                try {
                    nextWake = System.nanoTime() + (busy ? BUSY_TICK : IDLE_TICK).toNanos();
                } finally {
                    lock.unlock();
                }
            }
        } finally {
            running.values().forEach(r -> {
                if (r.echo() != null) {
                    r.echo().close();
                }
            });
            running.clear();
        }
    }

    /** Waits for a change or the next tick; false once closed. */
    private boolean awaitWork() {
        lock.lock();
        try {
            while (!closed && !dirty && nextWake - System.nanoTime() > 0) {
                wake.awaitNanos(nextWake - System.nanoTime());
            }
            dirty = false;
            return !closed;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void changed() {
        lock.lock();
        try {
            dirty = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** One pass: list, compare, start and stop. True when something waits and should be looked at again soon. */
    private boolean pass() {
        ResourceList<Pod> list = registry.list(ResourceKind.POD, null, null);
        ensureWatch(list.resourceVersion());
        Map<String, PodWorkload> wanted = new HashMap<>();
        for (Pod pod : list.items()) {
            if (node.equals(pod.spec().node())) {
                try {
                    PodWorkload.of(names, node, pod).ifPresent(w -> wanted.put(w.pod(), w));
                } catch (RuntimeException e) {
                    log.warn("lab pods of {}: pod {}/{} cannot run: {}", node, pod.metadata().namespace(),
                            pod.metadata().name(), e.getMessage());
                }
            }
        }
        if (!adopted) {
            adoptCommands(wanted);
            adopted = true;
        }
        // Before any command starts: it reads its resolver configuration as it starts.
        boolean busy = resolvers.sync(list.items());

        for (String pod : Set.copyOf(running.keySet())) {
            Running r = running.get(pod);
            PodWorkload w = wanted.get(pod);
            if (w == null || !w.equals(r.workload()) || namespaceInode(w.namespace()) != r.namespaceInode()
                    || r.process() != null && !r.process().identity().isRunning()) {
                if (w != null && w.equals(r.workload()) && r.process() != null && !r.process().identity().isRunning()) {
                    log.warn("lab pods of {}: the command of pod {} exited; see {}; starting it again", node, pod,
                            r.process().log());
                }
                stop(r);
                running.remove(pod);
            }
        }
        failures.keySet().removeIf(pod -> !wanted.containsKey(pod));
        stopStrayCommands();

        long now = System.nanoTime();
        for (PodWorkload w : wanted.values()) {
            if (running.containsKey(w.pod())) {
                continue;
            }
            Failure failed = failures.get(w.pod());
            if (failed != null && failed.workload().equals(w) && failed.retryAt() - now > 0) {
                busy = true;
                continue;
            }
            long inode = namespaceInode(w.namespace());
            if (inode < 0) {
                busy = true; // the agent has not made the namespace yet
                continue;
            }
            try {
                running.put(w.pod(), begin(w, inode));
                failures.remove(w.pod());
                log.info("lab pods of {}: started {}", node, w);
            } catch (RuntimeException e) {
                if (failed == null || !failed.workload().equals(w)) {
                    log.warn("lab pods of {}: cannot start {}: {} (trying again every {} s)", node, w, e.getMessage(),
                            RETRY.toSeconds());
                }
                failures.put(w.pod(), new Failure(w, System.nanoTime() + RETRY.toNanos()));
                busy = true;
            }
        }
        Map<String, String> described = new HashMap<>();
        running.forEach((pod, r) -> described.put(pod, r.workload().toString()));
        serving = Map.copyOf(described);
        return busy;
    }

    private Running begin(PodWorkload w, long inode) {
        if (w.runsCommand()) {
            LabState.ProcessRecord record = processes.start(w.role(), w.namespace(), w.command(), serviceLinks(w));
            return new Running(w, inode, null, record);
        }
        EchoServer echo = EchoServer.start(kernel, NetNs.named(w.namespace()), w.pod(), w.ports());
        return new Running(w, inode, echo, null);
    }

    /**
     * Kubernetes' service variables for a command as it starts ({@link ServiceEnvironment}). They are no part of the
     * workload: a service made later does not restart pods, as in Kubernetes.
     */
    private Map<String, String> serviceLinks(PodWorkload w) {
        String podNamespace = w.pod().substring(0, w.pod().indexOf('/'));
        List<Service> services = new ArrayList<>();
        services.addAll(registry.<Service>list(ResourceKind.SERVICE, podNamespace, null).items());
        if (!podNamespace.equals("default")) {
            registry.get(Service.class, "default", "kubernetes").ifPresent(services::add);
        }
        return ServiceEnvironment.of(podNamespace, services);
    }

    private void stop(Running r) {
        if (r.echo() != null) {
            r.echo().close();
        }
        if (r.process() != null) {
            processes.stop(r.process(), STOP_GRACE);
        }
        log.info("lab pods of {}: stopped {}", node, r.workload());
    }

    /**
     * After a restart of the agent: the commands an earlier agent of this node started and that still run are
     * taken over rather than started twice, when they run what their pod still asks for.
     */
    private void adoptCommands(Map<String, PodWorkload> wanted) {
        Map<String, PodWorkload> byRole = new HashMap<>();
        wanted.values().stream().filter(PodWorkload::runsCommand).forEach(w -> byRole.put(w.role(), w));
        for (LabState.ProcessRecord p : processes.recorded()) {
            PodWorkload w = byRole.get(p.role());
            if (w != null && p.identity().isRunning() && w.namespace().equals(p.namespace())
                    && w.command().equals(p.command())) {
                long inode = namespaceInode(w.namespace());
                if (inode >= 0) {
                    running.put(w.pod(), new Running(w, inode, null, p));
                    log.info("lab pods of {}: adopted the running command of pod {} (pid {})", node, w.pod(), p.pid());
                }
            }
        }
    }

    /**
     * Commands recorded for this node that this agent does not run: their pod went while no agent ran, or what
     * it asks for changed. Its own are started after this, so they are never stopped here.
     */
    private void stopStrayCommands() {
        Set<String> roles = new HashSet<>();
        running.values().forEach(r -> {
            if (r.process() != null) {
                roles.add(r.process().role());
            }
        });
        for (LabState.ProcessRecord p : processes.recorded()) {
            if (p.role().startsWith(PodWorkload.rolePrefix(node)) && !roles.contains(p.role())) {
                processes.stop(p, STOP_GRACE);
            }
        }
    }

    /** The inode of a named namespace, which changes when it is made again; -1 when there is none. */
    static long namespaceInode(String name) {
        try {
            Object inode = Files.getAttribute(Path.of("/run/netns", name), "unix:ino");
            return ((Number) inode).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    private void ensureWatch(long fromRevision) {
        lock.lock();
        try {
            if (watch != null || closed) {
                return;
            }
        } finally {
            lock.unlock();
        }
        Watch started = registry.watch(ResourceKind.POD, null, null, fromRevision, new ResourceWatcher() {
            @Override
            public void onEvents(List<ResourceEvent> events) {
                changed();
            }

            @Override
            public void onExpired(String message) {
                restartWatch();
            }

            @Override
            public void onError(Throwable error) {
                log.debug("lab pods of {}: the pod watch ended: {}", node, error.toString());
                restartWatch();
            }
        });
        lock.lock();
        try {
            if (closed) {
                started.close();
            } else {
                watch = started;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The next pass lists again and watches from there; closed from here it would wait for its own delivery. */
    private void restartWatch() {
        lock.lock();
        try {
            Watch old = watch;
            watch = null;
            if (old != null) {
                Thread.ofVirtual().start(old::close);
            }
            dirty = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void closeWatch() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }
}
