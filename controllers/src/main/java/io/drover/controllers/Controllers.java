package io.drover.controllers;

import io.drover.api.ResourceRegistry;
import io.drover.controllers.endpoints.EndpointsController;
import io.drover.controllers.gc.HostPortGarbageCollector;
import io.drover.controllers.gc.IpamGarbageCollector;
import io.drover.controllers.hostports.HostPortAllocator;
import io.drover.controllers.hostports.HostPortRange;
import io.drover.controllers.ipam.IpamController;
import io.drover.controllers.ipam.IpamService;
import io.drover.controllers.ipam.NetworkSource;
import io.drover.controllers.ipam.NetworkUsageReporter;
import io.drover.controllers.nodes.NodeLifecycleController;
import io.drover.store.KeyValueStore;
import java.time.Duration;

/**
 * Everything a server runs to derive state from desired state, started and stopped together: the IPAM
 * controller (pod addresses, and automatic host ports of pods that publish all their ports), the garbage
 * collectors of addresses and host ports, the network usage reporter, the node lifecycle controller (silent
 * nodes become NotReady) and the endpoints controller (services' endpoints from their selectors). In a cluster
 * only the leader runs them (see {@link io.drover.controllers.leader.LeaderElection}), on a store fenced by its term;
 * {@link #ipam()} is safe to use from every server (the CNI path), leader or not.
 */
public final class Controllers implements AutoCloseable {

    /**
     * @param ipam          the IPAM controller's workers and resync
     * @param gcInterval    how often allocations (addresses, host ports) of deleted pods are looked for
     * @param usageInterval how often network status (addresses and blocks in use) is refreshed
     * @param hostPorts     the node ports automatic host ports come from ({@code spec.publishAllPorts})
     */
    public record Options(IpamController.Options ipam, Duration gcInterval, Duration usageInterval, HostPortRange hostPorts,
            NodeLifecycleController.Options nodes) {
        public static final Options DEFAULTS = new Options(IpamController.Options.DEFAULTS, Duration.ofMinutes(1),
                Duration.ofSeconds(10), HostPortRange.DEFAULT, NodeLifecycleController.Options.DEFAULTS);

        public Options {
            hostPorts = hostPorts == null ? HostPortRange.DEFAULT : hostPorts;
            nodes = nodes == null ? NodeLifecycleController.Options.DEFAULTS : nodes;
        }

        /** With the default host port range and node grace period. */
        public Options(IpamController.Options ipam, Duration gcInterval, Duration usageInterval) {
            this(ipam, gcInterval, usageInterval, HostPortRange.DEFAULT, NodeLifecycleController.Options.DEFAULTS);
        }

        /** With the default node grace period. */
        public Options(IpamController.Options ipam, Duration gcInterval, Duration usageInterval, HostPortRange hostPorts) {
            this(ipam, gcInterval, usageInterval, hostPorts, NodeLifecycleController.Options.DEFAULTS);
        }

        public Options withHostPorts(HostPortRange range) {
            return new Options(ipam, gcInterval, usageInterval, range, nodes);
        }

        /** @param nodes how long a node's heartbeat may be silent before it is NotReady, and how often that is checked */
        public Options withNodeLifecycle(NodeLifecycleController.Options nodes) {
            return new Options(ipam, gcInterval, usageInterval, hostPorts, nodes);
        }
    }

    private final IpamService ipam;
    private final IpamController ipamController;
    private final IpamGarbageCollector gc;
    private final HostPortAllocator hostPorts;
    private final HostPortGarbageCollector hostPortGc;
    private final NetworkUsageReporter usage;
    private final NodeLifecycleController nodes;
    private final EndpointsController endpoints;

    public Controllers(KeyValueStore store, ResourceRegistry registry) {
        this(store, registry, Options.DEFAULTS);
    }

    public Controllers(KeyValueStore store, ResourceRegistry registry, Options options) {
        this.ipam = new IpamService(store, NetworkSource.of(registry));
        this.hostPorts = new HostPortAllocator(store, options.hostPorts());
        this.ipamController = new IpamController(registry, ipam, hostPorts, options.ipam());
        this.gc = new IpamGarbageCollector(registry, ipam, options.gcInterval());
        this.hostPortGc = new HostPortGarbageCollector(registry, hostPorts, options.gcInterval());
        this.usage = new NetworkUsageReporter(registry, ipam, options.usageInterval());
        this.nodes = new NodeLifecycleController(registry, options.nodes());
        this.endpoints = new EndpointsController(registry);
    }

    /** Creates and starts the controllers with default options. */
    public static Controllers start(KeyValueStore store, ResourceRegistry registry) {
        return start(store, registry, Options.DEFAULTS);
    }

    /** Creates and starts the controllers. */
    public static Controllers start(KeyValueStore store, ResourceRegistry registry, Options options) {
        Controllers controllers = new Controllers(store, registry, options);
        controllers.start();
        return controllers;
    }

    /** Starts them all; returns once the IPAM controller has listed pods and networks. */
    public void start() {
        ipamController.start();
        gc.start();
        hostPortGc.start();
        usage.start();
        nodes.start();
        endpoints.start();
    }

    /** Address allocation for callers other than the controller (the CNI path). */
    public IpamService ipam() {
        return ipam;
    }

    public IpamController ipamController() {
        return ipamController;
    }

    public IpamGarbageCollector garbageCollector() {
        return gc;
    }

    /** Automatic host ports: their range and reservations. */
    public HostPortAllocator hostPorts() {
        return hostPorts;
    }

    public HostPortGarbageCollector hostPortGarbageCollector() {
        return hostPortGc;
    }

    public NodeLifecycleController nodeLifecycle() {
        return nodes;
    }

    /** Services' endpoints from their selectors. */
    public EndpointsController endpoints() {
        return endpoints;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /** Stops them all, waiting up to {@code timeout} for work in progress (a pod being addressed) to finish. */
    public void close(Duration timeout) {
        endpoints.close();
        nodes.close();
        usage.close();
        hostPortGc.close();
        gc.close();
        ipamController.close(timeout);
    }
}
