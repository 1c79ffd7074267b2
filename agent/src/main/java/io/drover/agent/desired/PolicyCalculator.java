package io.drover.agent.desired;

import io.drover.agent.rules.PolicedPod;
import io.drover.agent.rules.PeerSetRenderings;
import io.drover.agent.rules.PolicyRules;
import io.drover.agent.rules.PolicyRules.PodRules;
import io.drover.model.net.IpAddresses;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodStatus;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.tenant.Namespace;
import io.drover.policy.Firewall;
import io.drover.policy.NamespacedName;
import io.drover.policy.PodFirewall;
import io.drover.policy.PodPolicy;
import io.drover.policy.PolicySnapshot;
import java.net.InetAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Computes the NetworkPolicy rules of one node: which of its pods are isolated, in which direction, and what each
 * may send and receive. Pure, like {@link NodeCalculator}. The semantics are the policy module's
 * ({@link PolicySnapshot}); this only picks the node's pods and hands their compiled policies to the rules.
 *
 * <p>It needs every pod of the cluster, not only the node's: peers are other pods, wherever they run.
 *
 * <p>An instance remembers what it rendered for each pod and each peer set, so that a change that leaves a pod's
 * compiled policy as it was (the policy engine then hands back the very same object) costs nothing for that pod: a
 * policy change re-renders the pods of its namespace, not the whole node. The static methods start from nothing.
 */
public final class PolicyCalculator {

    /** The rules rendered at the last calculation, by pod. */
    private Map<String, PodRules> rendered = Map.of();
    private final PeerSetRenderings renderings = new PeerSetRenderings();

    /**
     * @param pods every pod of the cluster
     */
    public static PolicyRules compute(String nodeName, Collection<Namespace> namespaces, Collection<Pod> pods,
            Collection<NetworkPolicy> policies) {
        return compute(nodeName, namespaces, pods, policies, Firewall.NONE);
    }

    /** As {@link #calculate}, from nothing. */
    public static PolicyRules compute(String nodeName, Collection<Namespace> namespaces, Collection<Pod> pods,
            Collection<NetworkPolicy> policies, Firewall firewall) {
        return new PolicyCalculator().calculate(nodeName, namespaces, pods, policies, firewall);
    }

    /**
     * The node's rules, reusing what the last calculation rendered for pods whose compiled policy is unchanged. With
     * the distributed firewall, its tiers come before NetworkPolicy, and once it is configured (a firewall policy or
     * a default action other than Allow) every pod of the node has chains.
     *
     * @param pods     every pod of the cluster
     * @param firewall the distributed firewall ({@link Firewall#NONE} for none)
     */
    public synchronized PolicyRules calculate(String nodeName, Collection<Namespace> namespaces, Collection<Pod> pods,
            Collection<NetworkPolicy> policies, Firewall firewall) {
        if (policies.isEmpty() && !firewall.configured()) {
            rendered = Map.of();
            return PolicyRules.NONE;
        }
        PolicySnapshot snapshot = PolicySnapshot.of(namespaces, pods, policies, firewall);
        Map<String, PodRules> next = new HashMap<>();
        for (Pod pod : snapshot.podsOn(nodeName)) {
            if (!pod.spec().effectiveNetworkMode().equals("bridge")) {
                continue; // host and container:<pod> pods have no addresses of their own to police
            }
            List<InetAddress> addresses = addressesOf(pod);
            if (addresses.isEmpty()) {
                continue; // nothing can reach it or leave it before IPAM gives it an address
            }
            NamespacedName key = NamespacedName.of(pod);
            PodPolicy policy = snapshot.compile(key);
            PodFirewall podFirewall = firewall.configured() ? snapshot.compileFirewall(key) : null;
            PolicedPod candidate = new PolicedPod(PodKeys.key(pod), addresses, policy, podFirewall);
            if (candidate.isPoliced()) {
                PodRules known = rendered.get(candidate.pod());
                next.put(candidate.pod(), known != null && renderedFrom(known, candidate) ? known : PolicyRules.render(candidate));
            }
        }
        rendered = next;
        return PolicyRules.assemble(next.values(), renderings);
    }

    /**
     * Whether a pod's rules were rendered from what it is now. The compiled policy by identity: the policy engine
     * hands back the same object while nothing it depends on changed, and comparing two compilations would cost
     * about as much as rendering. The firewall part is compiled anew at every calculation, so it compares by value.
     */
    private static boolean renderedFrom(PodRules rules, PolicedPod pod) {
        PolicedPod source = rules.source();
        return source.policy() == pod.policy() && source.addresses().equals(pod.addresses())
                && Objects.equals(source.firewall(), pod.firewall());
    }

    private static List<InetAddress> addressesOf(Pod pod) {
        if (pod.status() == null) {
            return List.of();
        }
        return pod.status().addresses().stream()
                .map(PodStatus.PodAddress::ip)
                .filter(ip -> ip != null && IpAddresses.isValid(ip))
                .map(IpAddresses::parse)
                .distinct()
                .toList();
    }
}
