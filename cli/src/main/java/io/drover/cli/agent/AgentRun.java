package io.drover.cli.agent;

import io.drover.agent.NodeAgent;
import io.drover.agent.desired.CrossNodeMode;
import io.drover.agent.node.Underlay;
import io.drover.model.net.IpAddresses;
import io.drover.agent.cni.CniEndpoint;
import io.drover.agent.cni.CniPodNamespaces;
import io.drover.agent.cni.CniService;
import io.drover.agent.desired.PodNamespaces;
import io.drover.agent.kernel.Kernel;
import io.drover.agent.node.NodeRegistration;
import io.drover.api.ResourceRegistry;
import io.drover.lab.pods.LabPodServers;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabProcesses;
import io.drover.lab.runtime.LabState;
import io.drover.lab.runtime.LabStateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node agent running in this process with what goes with it: the {@link NodeAgent} itself; the health checks of
 * the node's service endpoints ({@link io.drover.agent.health.HealthChecks}); in a lab, the pods' echo servers and
 * commands ({@link LabPodServers}); the CNI endpoint when asked for; and the node's registration,
 * written last so that the node turns Ready only once its data plane is synced. Closing stops them in the reverse
 * order and leaves the data plane (and lab pods' commands) as they are, for the next agent to adopt.
 */
public final class AgentRun implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AgentRun.class);

    private final List<AutoCloseable> parts = new ArrayList<>();
    private final NodeAgent agent;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean closed;

    private AgentRun(NodeAgent agent) {
        this.agent = agent;
    }

    /**
     * Starts everything; when a part fails to start, those started are stopped again before the error is thrown.
     *
     * @param labStore the lab state store (for the pods' commands), only used in a lab
     */
    public static AgentRun start(AgentSetup setup, ResourceRegistry registry, Kernel kernel, LabStateStore labStore) {
        return start(setup, registry, kernel, labStore, NodeAgent.Options.DEFAULTS.serviceCidrs());
    }

    /**
     * As {@link #start(AgentSetup, ResourceRegistry, Kernel, LabStateStore)}, for a cluster whose servers allocate
     * cluster IPs from {@code serviceCidrs}.
     */
    public static AgentRun start(AgentSetup setup, ResourceRegistry registry, Kernel kernel, LabStateStore labStore,
            java.util.List<io.drover.model.net.Cidr> serviceCidrs) {
        PodNamespaces namespaces = setup.cniSocket().isPresent()
                ? new CniPodNamespaces(setup.namespaces())
                : setup.namespaces();
        // With CNI, a runtime waits on every sync an ADD needs: no settle delay (CniAgent.AGENT_OPTIONS).
        NodeAgent.Options options = setup.cniSocket().isPresent()
                ? io.drover.agent.cni.CniAgent.AGENT_OPTIONS : NodeAgent.Options.DEFAULTS;
        options = options.withServiceCidrs(serviceCidrs);
        if (setup.crossNode() != CrossNodeMode.NONE) {
            options = options.withCrossNode(Underlay.discover(kernel, namespaces.nodeNamespace(), setup.crossNode(),
                    IpAddresses.parse(setup.address()), setup.vni()));
        }
        NodeAgent agent = new NodeAgent(setup.node(), registry, new io.drover.agent.reconcile.Reconciler(kernel),
                namespaces, options);
        AgentRun run = new AgentRun(agent);
        try {
            run.parts.add(agent);
            agent.start();
            // Services' health checks of this node's endpoints; closed before the agent, so no check outlives it.
            run.parts.add(io.drover.agent.health.HealthChecks.start(agent, registry, kernel));
            run.parts.add(io.drover.agent.firewall.FirewallLog.start(kernel, namespaces.nodeNamespace()));
            if (setup.inLab()) {
                // The pods' resolv.conf names the same cluster DNS as the CNI results (--cluster-dns).
                LabPodServers pods = new LabPodServers(setup.node(), registry, kernel, LabNames.of(setup.lab()),
                        new LabProcesses(labStore, LabState.create(setup.lab(), 0)), setup.clusterDns());
                run.parts.add(pods);
                pods.start();
            }
            if (setup.cniSocket().isPresent()) {
                // CNI: container runtimes attach their containers as pods of this node through this socket.
                CniService service = new CniService(registry, agent, kernel, namespaces.nodeNamespace(),
                        CniService.Options.DEFAULTS.withClusterDns(setup.clusterDns()));
                try {
                    run.parts.add(CniEndpoint.start(setup.cniSocket().get(), service));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot serve CNI on " + setup.cniSocket().get() + ": " + e.getMessage()
                            + "; choose another --cni-socket, or --cni-socket " + AgentSetup.NO_CNI, e);
                }
            }
            run.parts.add(NodeRegistration.start(registry, setup.node(), setup.address()).reportingWarnings(
                    () -> agent.lastDesired().map(d -> d.crossNode().problems()).orElse(List.of())));
            return run;
        } catch (RuntimeException e) {
            run.close();
            throw e;
        }
    }

    public NodeAgent agent() {
        return agent;
    }

    /** Blocks until {@link #close()} has finished (for the verb's main thread, while a shutdown hook closes). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AutoCloseable part : parts.reversed()) {
            try {
                part.close();
            } catch (Exception e) {
                log.warn("stopping {}: {}", part.getClass().getSimpleName(), e.toString());
            }
        }
        stopped.countDown();
    }
}
