package io.drover.agent.cni;

import io.drover.agent.NodeAgent;
import io.drover.agent.desired.PodNamespaces;
import io.drover.agent.kernel.Kernel;
import io.drover.agent.reconcile.Reconciler;
import io.drover.api.ResourceRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A node agent that serves CNI: the {@link NodeAgent} (with {@link CniPodNamespaces} around the node's own pod
 * namespaces, so that it plumbs CNI pods into their runtimes' namespaces), the {@link CniService} and its
 * {@link CniEndpoint} on the socket drover-cni talks to. What {@code drover agent} runs, and what the tests and the
 * CNI benchmark run in-process.
 */
public final class CniAgent implements AutoCloseable {

    /**
     * The agent's options for a node that serves CNI: no settle time, because a runtime waits on the syncs an ADD
     * needs (two: the veth pair, then the addresses) and a settle delays each; bursts still cost one sync each, since
     * changes that arrive during a sync are all taken by the next.
     */
    public static final NodeAgent.Options AGENT_OPTIONS = new NodeAgent.Options(NodeAgent.Options.DEFAULTS.resyncInterval(),
            Duration.ZERO, NodeAgent.Options.DEFAULTS.minRetry(), NodeAgent.Options.DEFAULTS.maxRetry());

    private final NodeAgent agent;
    private final CniService service;
    private final CniEndpoint endpoint;

    private CniAgent(NodeAgent agent, CniService service, CniEndpoint endpoint) {
        this.agent = agent;
        this.service = service;
        this.endpoint = endpoint;
    }

    /**
     * Starts the agent (its first sync done when this returns), then serves CNI on {@code socket}.
     *
     * @param namespaces where the node's other pods live (e.g. {@code ManagedPodNamespaces}); its node namespace is
     *                   where bridges and host veths go
     */
    public static CniAgent start(String nodeName, ResourceRegistry registry, Kernel kernel, PodNamespaces namespaces,
            Path socket, NodeAgent.Options agentOptions, CniService.Options cniOptions) throws IOException {
        CniPodNamespaces all = namespaces instanceof CniPodNamespaces c ? c : new CniPodNamespaces(namespaces);
        NodeAgent agent = new NodeAgent(nodeName, registry, new Reconciler(kernel), all, agentOptions);
        try {
            agent.start();
            CniService service = new CniService(registry, agent, kernel, all.nodeNamespace(), cniOptions);
            return new CniAgent(agent, service, CniEndpoint.start(socket, service, cniOptions.netnsExists()));
        } catch (IOException | RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    public NodeAgent agent() {
        return agent;
    }

    public CniService service() {
        return service;
    }

    public Path socket() {
        return endpoint.socket();
    }

    /** Stops serving CNI, then the agent; the data plane stays as it is. */
    @Override
    public void close() throws IOException {
        try {
            endpoint.close();
        } finally {
            agent.close();
        }
    }
}
