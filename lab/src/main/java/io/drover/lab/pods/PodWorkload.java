package io.drover.lab.pods;

import io.drover.lab.echo.EchoPort;
import io.drover.lab.echo.EchoServer;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabPodNamespaces;
import io.drover.model.pod.Pod;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What one lab pod runs, computed from the pod alone: the command of its spec, or else Drover's echo server on its
 * declared ports; in the namespace {@link LabPodNamespaces#namespaceName} gives (for a container-mode pod, the
 * other pod's). Two workloads are equal when nothing about what runs where differs, so an unchanged pod is left
 * running and a changed one is restarted.
 *
 * @param pod       {@code <namespace>/<pod>}, also the echo server's text
 * @param uid       the pod's uid: a pod deleted and created again under the same name is a new workload
 * @param namespace the network namespace name under /run/netns
 * @param command   the pod's command, or empty for the echo server
 * @param ports     the echo server's ports (unused with a command)
 * @param role      the name of a command's process in the lab state and of its log
 */
public record PodWorkload(String pod, String uid, String namespace, List<String> command, List<EchoPort> ports,
        String role) {

    private static final Pattern ROLE = Pattern.compile("[a-z0-9][a-z0-9.-]{0,62}");

    public PodWorkload {
        command = List.copyOf(command);
        ports = List.copyOf(ports);
    }

    /** The workload of a pod, or empty when it has nothing to run (no command and no port to serve). */
    public static Optional<PodWorkload> of(LabNames names, String node, Pod pod) {
        String namespace = LabPodNamespaces.namespaceName(names, pod);
        List<EchoPort> ports = EchoServer.portsOf(pod);
        List<String> command = pod.spec().command();
        if (command.isEmpty() && ports.isEmpty()) {
            return Optional.empty();
        }
        String key = pod.metadata().namespace() + "/" + pod.metadata().name();
        return Optional.of(new PodWorkload(key, pod.metadata().uid(), namespace, command, ports,
                roleOf(names, node, pod)));
    }

    /**
     * {@code pod.NODE.NAMESPACE.POD}, readable in {@code logs/}; when that is too long for a role, the pod's hash
     * from its namespace name stands for namespace and pod. The node is part of it so that an agent recognises
     * the commands it started (and adopts or stops them after a restart) among the other nodes' ones.
     */
    static String roleOf(LabNames names, String node, Pod pod) {
        String readable = rolePrefix(node) + pod.metadata().namespace() + "." + pod.metadata().name();
        if (ROLE.matcher(readable).matches()) {
            return readable;
        }
        String podNamespace = names.podNamespace(pod.metadata().namespace(), pod.metadata().name());
        return rolePrefix(node) + podNamespace.substring(podNamespace.lastIndexOf('-') + 1);
    }

    /** The start of the role of every command a node's agent starts. */
    static String rolePrefix(String node) {
        return "pod." + node + ".";
    }

    public boolean runsCommand() {
        return !command.isEmpty();
    }

    @Override
    public String toString() {
        return pod + (runsCommand() ? " (command " + String.join(" ", command) + ")" : " (echo server on " + ports + ")")
                + " in " + namespace;
    }
}
