package io.drover.agent.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Two published ports that want the same packets: same protocol, same host port, same address family, and host
 * addresses that meet (equal, or either one is every address of the node). Docker refuses the second
 * {@code -p 8080:80} as the kernel refuses a second bind; so does Drover, keeping the port that was there first.
 *
 * @param kept    the port published earlier, which keeps the host port
 * @param refused the port that cannot be published
 */
public record PortClash(PublishedPort kept, PublishedPort refused) {

    public PortClash {
        Objects.requireNonNull(kept, "kept");
        Objects.requireNonNull(refused, "refused");
    }

    /** What to tell the owner of the refused port, in words they can act on. */
    public String message() {
        return refused.describeHostSide() + " is already published by " + name(kept) + " (to "
                + kept.describePodSide() + "), so " + name(refused) + " cannot publish "
                + (sameHostSide() ? "it" : refused.describeHostSide()) + " (to " + refused.describePodSide()
                + "): choose another hostPort or hostIP, or stop publishing it in " + name(kept);
    }

    private boolean sameHostSide() {
        return Objects.equals(kept.hostIp(), refused.hostIp());
    }

    private static String name(PublishedPort port) {
        return port.pod().isEmpty() ? "another pod" : port.pod();
    }

    /** Whether two published ports compete for the same packets. */
    public static boolean overlap(PublishedPort a, PublishedPort b) {
        return a.hostPort() == b.hostPort()
                && a.protocol().equals(b.protocol())
                && a.family() == b.family()
                && (a.hostIp() == null || b.hostIp() == null || a.hostIp().equals(b.hostIp()));
    }

    /**
     * The outcome of publishing ports in order: those admitted, and a clash for each one refused.
     *
     * @param admitted the ports that can be programmed together, in the order given, duplicates dropped
     * @param refused  one clash per refused port, naming the admitted port it collides with
     */
    public record Admission(List<PublishedPort> admitted, List<PortClash> refused) {
        public Admission {
            admitted = List.copyOf(admitted);
            refused = List.copyOf(refused);
        }
    }

    /**
     * Admits ports in priority order: each port is admitted unless it overlaps one admitted before it. Pass the
     * ports already programmed first (then new ones, e.g. by pod creation time), so that a newcomer never takes a
     * port away from a pod that has it. Exact duplicates are the same publication, not a clash. The check is
     * quadratic in the ports that share one host port and protocol, i.e. effectively linear.
     */
    public static Admission admit(List<PublishedPort> portsInPriorityOrder) {
        List<PublishedPort> admitted = new ArrayList<>();
        List<PortClash> refused = new ArrayList<>();
        Map<String, List<PublishedPort>> byHostPort = new HashMap<>();
        for (PublishedPort port : new LinkedHashSet<>(portsInPriorityOrder)) {
            List<PublishedPort> rivals = byHostPort.computeIfAbsent(
                    port.protocol() + "/" + port.hostPort() + "/" + port.family(), k -> new ArrayList<>());
            PublishedPort holder = rivals.stream().filter(r -> overlap(r, port)).findFirst().orElse(null);
            if (holder != null) {
                refused.add(new PortClash(holder, port));
            } else {
                rivals.add(port);
                admitted.add(port);
            }
        }
        return new Admission(admitted, refused);
    }

    /** Every clash among the ports, the earlier port of each pair winning. Empty when they can all be published. */
    public static List<PortClash> find(List<PublishedPort> portsInPriorityOrder) {
        return admit(portsInPriorityOrder).refused();
    }
}
