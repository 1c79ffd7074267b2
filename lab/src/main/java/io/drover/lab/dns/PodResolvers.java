package io.drover.lab.dns;

import io.drover.agent.cni.ClusterDns;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabPodNamespaces;
import io.drover.model.pod.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the resolver configuration ({@link PodResolvConf}) of one lab node's pods in line with the pods: written for
 * each pod of the node that has a network namespace of its own (bridge or none mode), once the agent has made it,
 * before the pod's command starts; removed once a pod's namespace is gone. Level-triggered, run on every pass of
 * the node's pod runner.
 */
public final class PodResolvers {

    private static final Logger log = LoggerFactory.getLogger(PodResolvers.class);
    private static final Path RUN_NETNS = Path.of("/run/netns");

    private final String node;
    private final LabNames names;
    private final ClusterDns clusterDns;
    private final PodResolvConf files;

    /** @param clusterDns what the node's agent puts in CNI results; {@link ClusterDns#NONE}: no configuration */
    public PodResolvers(String node, LabNames names, ClusterDns clusterDns, PodResolvConf files) {
        this.node = node;
        this.names = names;
        this.clusterDns = clusterDns;
        this.files = files;
    }

    /**
     * Writes what the node's pods need and removes what no namespace needs any more. True when a pod of the node
     * still waits for its namespace (look again soon).
     *
     * @param pods every pod of the cluster
     */
    public boolean sync(List<Pod> pods) {
        if (clusterDns.nameservers().isEmpty()) {
            return false;
        }
        boolean waiting = false;
        for (Pod pod : pods) {
            if (!node.equals(pod.spec().node()) || !ownsNamespace(pod)) {
                continue;
            }
            String netns = LabPodNamespaces.namespaceName(names, pod);
            if (!Files.exists(RUN_NETNS.resolve(netns))) {
                waiting = true;
                continue;
            }
            String key = pod.metadata().namespace() + "/" + pod.metadata().name();
            if (files.write(netns, PodResolvConf.render(clusterDns.forNamespace(pod.metadata().namespace()), key))) {
                log.debug("lab pods of {}: resolver configuration of {} in {}", node, key, files.path(netns));
            }
        }
        // A namespace that is gone has no use for its file; one that exists may be another node's pod's.
        for (String netns : files.namespacesWithPrefix(LabPodNamespaces.podPrefix(names))) {
            if (!Files.exists(RUN_NETNS.resolve(netns))) {
                files.remove(netns);
            }
        }
        return waiting;
    }

    /** Bridge and none pods have a namespace of their own; container-mode pods share one, host-mode pods the node's. */
    private static boolean ownsNamespace(Pod pod) {
        String mode = pod.spec().effectiveNetworkMode();
        return mode.equals("bridge") || mode.equals("none");
    }
}
