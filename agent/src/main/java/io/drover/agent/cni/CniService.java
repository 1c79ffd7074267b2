package io.drover.agent.cni;

import io.drover.agent.NodeAgent;
import io.drover.agent.cni.CniPods.Claim;
import io.drover.agent.cni.CniPods.Free;
import io.drover.agent.cni.CniPods.Ours;
import io.drover.agent.cni.Plumbing.Plumbed;
import io.drover.agent.desired.PodKeys;
import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.NetNs;
import io.drover.api.ApiException;
import io.drover.api.ResourceRegistry;
import io.drover.cni.CniError;
import io.drover.cni.CniHandler;
import io.drover.cni.CniRequest;
import io.drover.cni.CniResult;
import io.drover.cni.NetworkConfig.Attachment;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpFamily;
import io.drover.model.network.Network;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CNI in the node agent: every attachment is a pod of this node in the Drover API, so that a container a runtime
 * starts is a pod like any other (addressed by IPAM, plumbed by the agent, seen by policies and services).
 *
 * <ul>
 *   <li>ADD makes the attachment's pod (see {@link CniPods} for its name) with the container's namespace and interface
 *       name as annotations and the runtime's port mappings as published ports, waits for IPAM to address it and for
 *       the agent to plumb it, and answers with what the kernel has. A retried ADD of the same attachment reuses the
 *       pod. Whatever fails, the pod is deleted again (releasing its addresses) and no interface is left.</li>
 *   <li>DEL deletes the pod and waits for the agent to remove its interface; nothing found is success.</li>
 *   <li>CHECK verifies the attachment ({@link AttachmentCheck}); GC deletes the network's pods of this node whose
 *       attachment the runtime no longer lists; STATUS says whether the API answers and knows the network.</li>
 * </ul>
 *
 * <p>Thread-safe: runtimes attach different containers at once, and every call works on its own pod.
 */
public final class CniService implements CniHandler {

    /**
     * @param addTimeout  how long ADD waits for IPAM and the agent together before it gives up (and undoes itself)
     * @param delTimeout  how long DEL and GC wait for the agent to remove interfaces before removing them themselves
     * @param netnsExists whether a namespace path still exists: a pod whose container namespace is gone is stale
     * @param clusterDns  what ADD results say about DNS
     */
    public record Options(Duration addTimeout, Duration delTimeout, Predicate<String> netnsExists,
            ClusterDns clusterDns) {
        public static final Options DEFAULTS =
                new Options(Duration.ofSeconds(10), Duration.ofSeconds(10), CniService::pathExists);

        public Options {
            Objects.requireNonNull(addTimeout, "addTimeout");
            Objects.requireNonNull(delTimeout, "delTimeout");
            Objects.requireNonNull(netnsExists, "netnsExists");
            Objects.requireNonNull(clusterDns, "clusterDns");
        }

        public Options(Duration addTimeout, Duration delTimeout, Predicate<String> netnsExists) {
            this(addTimeout, delTimeout, netnsExists, ClusterDns.NONE);
        }

        public Options withClusterDns(ClusterDns dns) {
            return new Options(addTimeout, delTimeout, netnsExists, dns);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(CniService.class);

    private final ResourceRegistry registry;
    private final NodeAgent agent;
    private final CniPods pods;
    private final Addressing addressing;
    private final Plumbing plumbing;
    private final AttachmentCheck check;
    private final Kernel kernel;
    private final Options options;

    /**
     * @param agent         the agent of this node; its pod namespaces must be {@link CniPodNamespaces}, so that it plumbs
     *                      the pods made here into their containers
     * @param kernel        the agent's kernel, to read what was plumbed
     * @param nodeNamespace where the agent keeps bridges and host veths ({@code PodNamespaces.nodeNamespace()})
     */
    public CniService(ResourceRegistry registry, NodeAgent agent, Kernel kernel, NetNs nodeNamespace, Options options) {
        this.registry = registry;
        this.agent = agent;
        this.kernel = kernel;
        this.options = options;
        this.pods = new CniPods(registry, agent.nodeName(), options.netnsExists());
        this.addressing = new Addressing(registry);
        this.plumbing = new Plumbing(agent, kernel, nodeNamespace);
        this.check = new AttachmentCheck(kernel, plumbing);
    }

    @Override
    public CniResult add(CniRequest request) throws CniError {
        try {
            return attach(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CniError(CniError.TRY_AGAIN_LATER, "the Drover agent is stopping", "ADD again");
        }
    }

    private CniResult attach(CniRequest request) throws CniError, InterruptedException {
        Deadline deadline = Deadline.after(options.addTimeout());
        CniAttachment attachment = new CniAttachment(request.containerId(), request.ifName(), request.netns(), true);
        NetNs netns = new NetNs(Path.of(request.netns()));
        List<PodPort> ports = PortMappings.toPodPorts(request.config().runtimeConfig().portMappings());
        Pod pod = switch (pods.claim(request)) {
            case Ours ours -> pods.refresh(ours.pod(), attachment, ports);
            case Free free -> {
                if (free.replaced() != null) {
                    plumbing.awaitGone(free.replaced(), CniAttachment.of(free.replaced()).orElseThrow().ifName(),
                            deadline);
                }
                if (!ports.isEmpty()) {
                    PortMappings.requireFree(ports, agent.lastDesired().orElse(null), families(request.config().network()));
                }
                // The container's namespace is read while the pod is created: the first visit to a namespace starts
                // its thread, a good part of a millisecond. A check that fails takes the pod back (nothing is left).
                FutureTask<Optional<CniError>> interfaceCheck = new FutureTask<>(() -> interfaceProblem(netns, request));
                Thread.ofVirtual().name("drover-cni-interface-check").start(interfaceCheck);
                Pod created = pods.create(free, attachment, request.config().network(), ports);
                Optional<CniError> notFree = outcome(interfaceCheck);
                if (notFree.isPresent()) {
                    undo(created, request.ifName(), notFree.get());
                    throw notFree.get();
                }
                yield created;
            }
        };
        try {
            Pod addressed = addressing.await(pod, deadline);
            Plumbed plumbed = plumbing.await(addressed, request.ifName(), netns, deadline);
            Optional<CniError> refused = PortMappings.refused(agent.lastDesired().orElse(null), PodKeys.key(addressed));
            if (refused.isPresent()) {
                throw refused.get();
            }
            return CniResults.of(plumbed, request.netns(), options.clusterDns().forNamespace(pod.namespace()));
        } catch (CniError | RuntimeException | InterruptedException e) {
            undo(pod, request.ifName(), e);
            throw e;
        }
    }

    @Override
    public void del(CniRequest request) throws CniError {
        Optional<Pod> pod = pods.find(request);
        if (pod.isEmpty()) {
            return; // never attached, or already released: DEL is idempotent
        }
        pods.delete(pod.get());
        awaitGone(List.of(pod.get()), Deadline.after(options.delTimeout()));
    }

    @Override
    public void check(CniRequest request) throws CniError {
        Pod pod = pods.find(request).orElseThrow(() -> new CniError(CniError.UNKNOWN_CONTAINER,
                "container " + request.containerId() + " is not attached to network " + request.config().network(),
                "no pod of this node holds attachment " + request.containerId() + "/" + request.ifName()
                        + "; it was never added, or was deleted (DEL, GC)"));
        check.verify(pod, request);
    }

    @Override
    public void status(CniRequest request) throws CniError {
        String network = request.config().network();
        Optional<Network> found;
        try {
            found = registry.get(Network.class, null, network);
        } catch (RuntimeException e) {
            throw new CniError(CniError.PLUGIN_NOT_AVAILABLE, "the Drover API is not available",
                    RegistryErrors.describe(e));
        }
        if (found.isEmpty()) {
            throw new CniError(CniError.PLUGIN_NOT_AVAILABLE, "network " + network + " does not exist",
                    "create it (kind: Network, metadata.name: " + network + ") or name another in the configuration");
        }
    }

    @Override
    public void gc(CniRequest request) throws CniError {
        List<Attachment> valid = request.config().validAttachments();
        List<Pod> stale = new ArrayList<>();
        for (Pod pod : pods.onNetwork(request.config().network())) {
            CniAttachment a = CniAttachment.of(pod).orElseThrow();
            boolean kept = valid.stream().anyMatch(v -> v.containerId().equals(a.containerId())
                    && (v.ifName().isEmpty() || v.ifName().equals(a.ifName())));
            if (!kept && pods.delete(pod)) {
                log.info("CNI GC: deleted pod {} of container {} ({})", CniPods.key(pod), a.containerId(), a.ifName());
                stale.add(pod);
            }
        }
        awaitGone(stale, Deadline.after(options.delTimeout()));
    }

    /**
     * What stops the ADD in the container's namespace, if anything: the agent cannot enter it, or the interface name
     * is taken there (CNI_IFNAME in use: code 4).
     */
    private Optional<CniError> interfaceProblem(NetNs netns, CniRequest request) {
        List<Link> links;
        try {
            links = kernel.links(netns);
        } catch (KernelException e) {
            // The path exists (the dispatcher checked) but is no namespace here: typically a runtime in another mount
            // namespace (`ip netns exec` makes one), whose namespace mounts the agent cannot see.
            return Optional.of(new CniError(CniError.INVALID_ENVIRONMENT, "CNI_NETNS is not a network namespace the"
                    + " Drover agent can enter", request.netns() + ": " + e.getMessage() + "; run the runtime in the"
                    + " agent's mount namespace (enter a node with `nsenter --net=...`, not `ip netns exec`)"));
        }
        if (links.stream().anyMatch(l -> l.name().equals(request.ifName()))) {
            return Optional.of(CniError.interfaceInUse(request.ifName(), request.netns()));
        }
        return Optional.empty();
    }

    /** The check's answer; a check that itself broke (a bug) is an internal error, not a reason to go on. */
    private static Optional<CniError> outcome(FutureTask<Optional<CniError>> check) throws InterruptedException {
        try {
            return check.get();
        } catch (ExecutionException e) {
            return Optional.of(new CniError(CniError.INTERNAL, "internal error in the Drover node agent",
                    "checking the container's namespace: " + e.getCause()));
        }
    }

    /** The address families the network's pods get, for telling which published ports could clash. */
    private Set<IpFamily> families(String network) {
        Set<IpFamily> out = EnumSet.noneOf(IpFamily.class);
        try {
            registry.get(Network.class, null, network)
                    .ifPresent(n -> n.spec().cidrs().stream().map(Cidr::family).forEach(out::add));
        } catch (ApiException e) {
            // Creating the pod will say what is wrong with the API.
        }
        return out.isEmpty() ? EnumSet.allOf(IpFamily.class) : out;
    }

    /** A failed ADD leaves nothing: the pod goes (IPAM releases its addresses), and so does any interface. */
    private void undo(Pod pod, String ifName, Exception cause) {
        try {
            pods.delete(pod);
            plumbing.awaitGone(pod, ifName, Deadline.after(options.delTimeout()));
        } catch (CniError | RuntimeException e) {
            cause.addSuppressed(e);
            log.warn("cannot undo the failed ADD of pod {}: {}", CniPods.key(pod), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cause.addSuppressed(e);
        }
    }

    private void awaitGone(List<Pod> gone, Deadline deadline) throws CniError {
        try {
            for (Pod pod : gone) {
                CniAttachment a = CniAttachment.of(pod).orElseThrow();
                plumbing.awaitGone(pod, a.ifName(), deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CniError(CniError.TRY_AGAIN_LATER, "the Drover agent is stopping", "run the command again");
        }
    }

    private static boolean pathExists(String path) {
        try {
            return !path.isEmpty() && Files.exists(Path.of(path));
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
