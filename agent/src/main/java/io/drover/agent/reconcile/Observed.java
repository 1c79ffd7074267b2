package io.drover.agent.reconcile;

import io.drover.agent.kernel.NetNs;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The kernel as read at the start of a sync, limited to what the desired state touches. Reading a pod's namespace
 * can fail on its own (a runtime removed it under us): that pod then waits, the others go on.
 *
 * @param node        the node namespace: every link, and the addresses of Drover's bridges
 * @param namespaces  the names under /run/netns (empty when the agent owns no namespace)
 * @param pods        each pod namespace with a desired interface or a desired loopback
 * @param unreadable  pod namespaces that could not be read, with why
 * @param sysctls     the current value of each desired sysctl that could be read
 * @param unreadableSysctls sysctls that could not be read, with why
 * @param crossNode   the node's routes and VXLAN device (see {@link CrossNodeView})
 */
public record Observed(
        NamespaceView node,
        Set<String> namespaces,
        Map<NetNs, NamespaceView> pods,
        Map<NetNs, String> unreadable,
        Map<String, String> sysctls,
        Map<String, String> unreadableSysctls,
        CrossNodeView crossNode) {

    public Observed {
        namespaces = Set.copyOf(namespaces);
        pods = Map.copyOf(pods);
        unreadable = Map.copyOf(unreadable);
        sysctls = Map.copyOf(sysctls);
        unreadableSysctls = Map.copyOf(unreadableSysctls);
    }

    public Optional<NamespaceView> pod(NetNs netns) {
        return Optional.ofNullable(pods.get(netns));
    }
}
