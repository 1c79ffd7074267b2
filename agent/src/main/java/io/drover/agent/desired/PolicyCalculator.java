package io.drover.agent.desired;

import io.drover.agent.rules.PolicedPod;
import io.drover.agent.rules.PolicyRules;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Computes the NetworkPolicy rules of one node: which of its pods are isolated, in which direction, and what each
 * may send and receive. Pure, like {@link NodeCalculator}. The semantics are the policy module's
 * ({@link PolicySnapshot}); this only picks the node's pods and hands their compiled policies to the rules.
 *
 * <p>It needs every pod of the cluster, not only the node's: peers are other pods, wherever they run.
 */
public final class PolicyCalculator {

    private PolicyCalculator() {}

    /**
     * @param pods every pod of the cluster
     */
    public static PolicyRules compute(String nodeName, Collection<Namespace> namespaces, Collection<Pod> pods,
            Collection<NetworkPolicy> policies) {
        return compute(nodeName, namespaces, pods, policies, Firewall.NONE);
    }

    /**
     * With the distributed firewall: its tiers come before NetworkPolicy, and once it is configured (a firewall
     * policy or a default action other than Allow) every pod of the node has chains.
     */
    public static PolicyRules compute(String nodeName, Collection<Namespace> namespaces, Collection<Pod> pods,
            Collection<NetworkPolicy> policies, Firewall firewall) {
        if (policies.isEmpty() && !firewall.configured()) {
            return PolicyRules.NONE;
        }
        PolicySnapshot snapshot = PolicySnapshot.of(namespaces, pods, policies, firewall);
        List<PolicedPod> policed = new ArrayList<>();
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
                policed.add(candidate);
            }
        }
        return PolicyRules.of(policed);
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
