package io.drover.controllers.hostports;

import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The node ports that pods take without a reservation, as seen from one pod that wants automatic ones: every
 * {@code hostPort} declared by a pod of the node (its own included), and every port of a host-mode pod there (it
 * listens on the node itself). An automatic port is never chosen among them. Pure.
 *
 * <p>A claim by a pod older than the one asking (or by the pod itself) also takes an automatic port back: the node
 * agent keeps a clashing host port for the older pod, as a second {@code docker run -p} with a taken port fails, so
 * an automatic port that an older pod turns out to have declared (the two were written at the same moment) is
 * useless and is replaced. A younger pod's claim on an automatic port is refused by the agent instead.
 */
public final class PortClaims {

    /** @param older whether a claimant is older than the pod asking, or is that pod */
    private record Claim(String pod, boolean older) {}

    public static final PortClaims NONE = new PortClaims(Map.of());

    private final Map<String, Claim> byPort;

    private PortClaims(Map<String, Claim> byPort) {
        this.byPort = byPort;
    }

    /** The claims on {@code pod}'s node, from every pod known (those of other nodes are skipped). */
    public static PortClaims of(Pod pod, Collection<Pod> pods) {
        String node = pod.spec().node();
        Map<String, Claim> out = new HashMap<>();
        if (node == null || node.isEmpty()) {
            return NONE;
        }
        // The pod's own version (the one being worked on), not the copy among the pods known, which may be older.
        claim(out, pod, true);
        for (Pod other : pods) {
            if (node.equals(other.spec().node()) && !Objects.equals(other.metadata().uid(), pod.metadata().uid())) {
                claim(out, other, olderThan(other, pod));
            }
        }
        return new PortClaims(out);
    }

    private static void claim(Map<String, Claim> out, Pod pod, boolean older) {
        boolean hostMode = pod.spec().effectiveNetworkMode().equals("host");
        for (PodPort p : pod.spec().ports()) {
            Integer taken = p.hostPort() != null ? p.hostPort() : hostMode ? p.port() : null;
            if (taken != null) {
                out.merge(key(p.effectiveProtocol(), taken), new Claim(name(pod), older), (a, b) -> a.older() ? a : b);
            }
        }
    }

    /** Whether some pod of the node takes {@code hostPort}/{@code protocol} without a reservation. */
    public boolean taken(String protocol, int hostPort) {
        return byPort.containsKey(key(protocol, hostPort));
    }

    /** The pod that takes an automatic port back (see the class comment), or null. */
    public String takenBack(String protocol, int hostPort) {
        Claim c = byPort.get(key(protocol, hostPort));
        return c != null && c.older() ? c.pod() : null;
    }

    /** How many claims of {@code protocol} fall into {@code range}. */
    int countIn(String protocol, HostPortRange range) {
        int n = 0;
        for (String k : byPort.keySet()) {
            int slash = k.indexOf('/');
            if (k.substring(0, slash).equals(protocol) && range.contains(Integer.parseInt(k.substring(slash + 1)))) {
                n++;
            }
        }
        return n;
    }

    private static String key(String protocol, int port) {
        return protocol + "/" + port;
    }

    private static String name(Pod pod) {
        return pod.metadata().namespace() == null ? pod.metadata().name() : pod.metadata().namespace() + "/" + pod.metadata().name();
    }

    /** The agent's order (oldest first, then by namespace/name): creation times of one format sort as text. */
    static boolean olderThan(Pod a, Pod b) {
        String ta = a.metadata().creationTimestamp() == null ? "~" : a.metadata().creationTimestamp();
        String tb = b.metadata().creationTimestamp() == null ? "~" : b.metadata().creationTimestamp();
        int c = ta.compareTo(tb);
        return c != 0 ? c < 0 : name(a).compareTo(name(b)) < 0;
    }
}
